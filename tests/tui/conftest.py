"""TUI fixtures: a test app factory, a small campaign in every state, and deterministic
snapshots (fixed clock from tests/conftest.py, no cursor blink, no animation), stored as
SVGs under the top-level snapshots/ folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import pytest_textual_snapshot
from textual.widgets import Input

from shiptui.services import fulfillment
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Campaign, Order, Product
from shiptui.tui.app import ShiptuiApp
from tests.conftest import ship_to_of

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots"


class SnapshotsFolder(pytest_textual_snapshot.SVGImageExtension):
    """The plugin's SVG snapshots, kept in snapshots/<test module>/ instead of tests/__snapshots__."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture(autouse=True)
def snapshots_in_top_level_folder(monkeypatch):
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", SnapshotsFolder)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A text cursor that never blinks, so a snapshot cannot catch it half-way."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


MEMBERS = [
    "Emily O'Brien", "Jürgen Müller", "[b]Bold[/b] Member", "Zoë García",
    "Evil \x1b[31mRed\x1b[0m Name", "Anna-Lena Schäfer", "Michael Smith", "Käthe Köhler",
]


@pytest.fixture
def campaign(sqlite_db, make_campaign) -> Campaign:
    """12 orders SO-1..SO-12: pending, shipped with tracking, won't ship; odd member names."""
    names = [MEMBERS[i % len(MEMBERS)] for i in range(12)]
    campaign = make_campaign(12, members=names)
    return setup_states(campaign)


@pytest.fixture
def any_campaign(db, make_campaign) -> Campaign:
    """The same campaign, on SQLite and (when SHIPTUI_TEST_PG_URL is set) PostgreSQL."""
    names = [MEMBERS[i % len(MEMBERS)] for i in range(12)]
    return setup_states(make_campaign(12, members=names))


def setup_states(campaign: Campaign) -> Campaign:
    def ids(*keys):
        return OrderTarget.of_ids(resolve_order_keys(campaign, list(keys)))

    for key, number, carrier in (("SO-2", "1Z999AA10123456784", "UPS"), ("SO-3", "00340434161094042557", "DHL Paket")):
        fulfillment.update_tracking(campaign, get_order(campaign, key), number=number, carrier=carrier, url="", operator="seed")
    fulfillment.mark_shipped(campaign, ids("SO-2", "SO-3"), operator="seed", shipped_on=date(2026, 3, 12))
    fulfillment.mark_wont_ship(campaign, ids("SO-4"), operator="seed")
    return campaign


def second_order_for_member_of(campaign: Campaign, order_key: str) -> None:
    """SO-13: another order of the member who receives `order_key`, of another product."""
    first = get_order(campaign, order_key)
    product = Product.get_or_create(sku="NRC-050", defaults={"name": "Night Repair Cream 50 ml"})[0]
    Order.create(
        campaign=campaign, member=first.member, product=product, order_key="SO-13",
        updated_at=first.updated_at, updated_by="seed", **ship_to_of(first.member),
    )


@pytest.fixture
def make_app(operator):
    """make_app(campaign or None) -> the console as `shiptui` starts it, at rest."""

    def make(campaign: Campaign | None = None) -> ShiptuiApp:
        app = ShiptuiApp(operator, campaign)
        app.animation_level = "none"
        return app

    return make
