"""TUI fixtures: a test app factory, a small campaign in every state, and deterministic
snapshots (fixed clock from tests/conftest.py, no cursor blink, no animation), stored as
SVGs under the top-level snapshots/ folder."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import pytest_textual_snapshot
from textual.events import DescendantFocus
from textual.widgets import Input

from shiptui.storage import Campaign
from shiptui.tui.app import ShiptuiApp
from tests.conftest import MEMBERS, second_order_for_member_of, setup_states  # noqa: F401 (test_dashboard imports the second from here)

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots"


class SnapshotsFolder(pytest_textual_snapshot.SVGImageExtension):
    """The plugin's SVG snapshots, kept in snapshots/<test module>/ instead of tests/__snapshots__."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture(autouse=True)
def snapshots_in_top_level_folder(monkeypatch):
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", SnapshotsFolder)


@pytest.fixture
def campaign(sqlite_db, make_campaign) -> Campaign:
    """12 orders SO-1..SO-12: pending, shipped with tracking, won't ship; odd member names."""
    names = [MEMBERS[i % len(MEMBERS)] for i in range(12)]
    campaign = make_campaign(12, members=names)
    return setup_states(campaign)


class SteadyApp(ShiptuiApp):
    """The console with text cursors that never blink, so a snapshot cannot catch one
    half-way (Input's public `cursor_blink`, set as a field gets the focus)."""

    # A relative CSS_PATH is read beside the class that sets it: the console's, not here.
    CSS_PATH = Path(inspect.getfile(ShiptuiApp)).with_name(ShiptuiApp.CSS_PATH)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if isinstance(event.widget, Input):
            event.widget.cursor_blink = False


@pytest.fixture
def make_app(operator):
    """make_app(campaign or None) -> the console as `shiptui` starts it, at rest."""

    def make(campaign: Campaign | None = None) -> ShiptuiApp:
        app = SteadyApp(operator, campaign)
        app.animation_level = "none"
        return app

    return make
