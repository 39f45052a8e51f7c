"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when
SHIPTUI_TEST_PG_URL names a server), a fixed clock and operator, campaign factories,
a campaign with orders in every state."""

from __future__ import annotations

import os
from datetime import date, datetime

import peewee
import pytest

from shiptui import clock
from shiptui.services import fulfillment
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Campaign, Member, Order, Product, close_database, open_database
from shiptui.storage.models import SHIP_TO
from shiptui.services.campaigns import create_campaign

PG_URL = os.environ.get("SHIPTUI_TEST_PG_URL", "")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])

# A Monday morning in March, in a fixed offset so the tests mean the same in every zone.
FIXED_NOW = "2026-03-16T10:30:00+01:00"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SHIPTUI_NOW", FIXED_NOW)
    with clock.freeze(FIXED_NOW) as moment:
        yield moment


@pytest.fixture(autouse=True)
def english_operator(monkeypatch):
    """Tests read English unless they ask for German, whatever the machine's locale."""
    monkeypatch.setenv("SHIPTUI_LANG", "en")


@pytest.fixture(autouse=True)
def operator(monkeypatch) -> str:
    monkeypatch.setenv("SHIPTUI_OPERATOR", "alice")
    return "alice"


@pytest.fixture
def umask_022():
    """The common default umask, under which files used to be created world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _reset_postgres(url: str) -> None:
    from playhouse.db_url import connect

    db = connect(url)
    db.connect()
    db.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    db.close()


@pytest.fixture(params=BACKENDS)
def db_location(request, tmp_path) -> str:
    """Where a fresh, empty database lives: a SQLite file, or a wiped PostgreSQL database."""
    if request.param == "postgres":
        _reset_postgres(PG_URL)
        return PG_URL
    return str(tmp_path / "shiptui.sqlite3")


@pytest.fixture
def db(db_location) -> peewee.Database:
    database = open_database(db_location)
    yield database
    close_database()


@pytest.fixture
def sqlite_location(tmp_path) -> str:
    return str(tmp_path / "shiptui.sqlite3")


@pytest.fixture
def sqlite_db(sqlite_location) -> peewee.Database:
    database = open_database(sqlite_location)
    yield database
    close_database()


@pytest.fixture
def make_campaign():
    """make_campaign(n) -> a campaign with pending orders SO-1 .. SO-n, one member each."""

    def make(orders: int = 5, name: str = "Spring Serum Sampling", members: list[str] | None = None) -> Campaign:
        campaign = create_campaign(name)
        product = Product.get_or_create(sku="HGS-030", defaults={"name": "Hydra Glow Serum"})[0]
        stamp = clock.stored_now()
        for number in range(1, orders + 1):
            member_name = members[number - 1] if members else f"Member {number}"
            member = Member.create(
                name=member_name,
                email=f"member{number}.{campaign.slug}@example.com",
                address_line1=f"{number} Maple Ave",
                city="Portland",
                region="OR",
                postal_code="97205",
                country="US",
            )
            Order.create(
                campaign=campaign, member=member, product=product, order_key=f"SO-{number}",
                updated_at=stamp, updated_by="seed", **ship_to_of(member),
            )
        return campaign

    return make


def ship_to_of(member: Member) -> dict[str, str]:
    """An order's ship-to fields, filled from its member (as a load of orders does)."""
    return {f"ship_{name}": getattr(member, name) for name in SHIP_TO}


def order_state(campaign: Campaign) -> dict[str, tuple]:
    """Every order's observable state, for asserting that nothing changed."""
    return {
        key: tuple(rest)
        for key, *rest in Order.select(
            Order.order_key, Order.status, Order.shipped_on, Order.carrier,
            Order.tracking_number, Order.tracking_url, Order.version,
        ).where(Order.campaign == campaign).tuples()
    }


def stored(moment: str) -> datetime:
    return clock.utc_naive(datetime.fromisoformat(moment))


MEMBERS = [
    "Emily O'Brien", "Jürgen Müller", "[b]Bold[/b] Member", "Zoë García",
    "Evil \x1b[31mRed\x1b[0m Name", "Anna-Lena Schäfer", "Michael Smith", "Käthe Köhler",
]


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
