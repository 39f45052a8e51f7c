"""The console in German (SHIPTUI_LANG=de, set before the app is built): every screen speaks
German at 80x24, with German dates and numbers, keeps every Footer key in sight, and shows
no English label. Snapshots in snapshots/test_german/."""

from __future__ import annotations

import re

import pytest

from shiptui.services import history
from shiptui.services.campaigns import StatusCounts
from shiptui.services.csv.reading import open_csv
from shiptui.services.orders import get_order
from shiptui.storage import Order
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.export_file import ExportScreen
from shiptui.tui.screens.help import HelpScreen
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import ImportPreviewScreen
from shiptui.tui.screens.member import MemberScreen
from shiptui.tui.screens.order_history import OrderHistoryScreen
from shiptui.tui.screens.outbox import OutboxScreen
from shiptui.tui.screens.tracking import TrackingScreen
from shiptui.tui.widgets.fitting_footer import FittingFooter
from tests.conftest import second_order_for_member_of
from tests.tui.pilot import screen_text, settle

SIZE = (80, 24)
# A German file: the tracking numbers under a header no alias names (Hermes, valid check digits).
GERMAN_PAKET = ("Bestellnummer,Versanddatum,Versandunternehmen,Paket-ID\n"
                "SO-1,14.03.2026,Hermes,09133131530724\n"
                "SO-5,15.03.2026,Hermes,07341333413925\n")
TO_SO_2 = ["down"]  # orders sort naturally: SO-1, SO-2 (shipped 03/12/2026, UPS), ... SO-12, SO-13
# The console's English labels, none of which may be left on a German screen (Filter, Import,
# Status, Problem and Details are German words too, and so are left out).
ENGLISH = (
    "Shipped", "Tracking number", "Tracking Number", "Tracking no.", "Carrier", "Pending", "Won't ship",
    "won't ship", "Help", "Quit", "Search", "Export", "Outbox", "Undo", "Member",
    "Select", "Ship", "Track", "Back", "Close", "Cancel", "Reload", "Order ID", "Product", "Campaign",
    "History", "Mapping", "Other file", "Save errors", "Check file", "Retry", "Details", "selected",
    "pending", "shipped", "all orders", "queued", "failed", "every change", "Keys", "escape closes",
    "enter saves", "left empty", "map the fields", "required", "not in the file", "checking",
    "to mark", "unchanged", "rejected", "imported", "exported", "reminders", "Due", "Tries",
    "Last error", "Download", "File", "no change", "Line", "Column", "Value", "Update tracking",
)


@pytest.fixture(autouse=True)
def german(monkeypatch):
    monkeypatch.setenv("SHIPTUI_LANG", "de")


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def german_member(campaign):
    """The member of SO-2 reads German and has a second order (SO-13)."""
    second_order_for_member_of(campaign, "SO-2")
    Order.update(language="de").where(Order.member == get_order(campaign, "SO-2").member).execute()
    return campaign


def english_words(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


async def test_no_screen_shows_an_english_label(german_member, make_campaign, make_app, here):
    """Every screen, walked through as an operator would. What the services say (the change
    of a history entry, the file's description, the import's summary) is theirs to
    translate and is taken out before the check; the file's own headers are German here."""
    (here / "paket_de.csv").write_text(GERMAN_PAKET)
    seen: dict[str, str] = {}

    async def look(pilot, name: str, screen_type: type, *from_services: str) -> None:
        await settle(pilot)
        assert isinstance(pilot.app.screen, screen_type), name
        # A sentence may wrap inside a dialog: compare words, not lines.
        text = " ".join(screen_text(pilot.app).replace("█", " ").split())
        for said in from_services:
            assert said in text, f"{name}: {said!r} not on the screen: {text}"
            text = text.replace(said, "")
        seen[name] = text

    make_campaign(3, name="Winter Kit")
    app = make_app(None)  # two campaigns: the list opens first
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen["campaign list"] = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await look(pilot, "dashboard", DashboardScreen)
        await pilot.press("end", "t")  # SO-13, the German member's second order
        await look(pilot, "tracking", TrackingScreen)
        await pilot.press("escape", "m")
        await look(pilot, "member", MemberScreen)
        await pilot.press("escape", "s")  # SO-13 (the cursor is on it) shipped, in a worker
        await settle(pilot)
        await pilot.press("h")  # then its history
        changes = history.order_history(german_member, "SO-13")
        await look(pilot, "history", OrderHistoryScreen, *(history.describe_change(change) for change in changes))
        await pilot.press("escape", "question_mark")
        await look(pilot, "help", HelpScreen)
        await pilot.press("escape", "i")
        await look(pilot, "import file", ImportFileScreen)
        await pilot.press(*"paket_de.csv", "enter")
        await look(pilot, "import mapping", ImportMappingScreen, open_csv(here / "paket_de.csv").described())
        await pilot.press("ctrl+s", "ctrl+s")  # told of the unmapped Paket-ID, then leaves it out
        await look(pilot, "import preview", ImportPreviewScreen)
        await pilot.press("enter")
        await settle(pilot)
        await look(pilot, "import summary", ImportPreviewScreen, app.screen.result.summary().split(": ", 1)[-1])
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await look(pilot, "export", ExportScreen)
        await pilot.press("enter")
        await look(pilot, "export written", ExportScreen)
        await pilot.press("escape", "o")
        await look(pilot, "outbox", OutboxScreen)
        await pilot.press("q", "q")
        await pilot.pause()
        seen["campaign list again"] = screen_text(app)
    found = {name: english_words(text) for name, text in seen.items()}
    assert {name: words for name, words in found.items() if words} == {}
    assert "Versand " in seen["dashboard"] and "12.03.2026" in seen["dashboard"]
    assert "Wird nicht versendet" in seen["dashboard"] and "Sendeverfolgung" in seen["member"]
    assert "Tracking-Informationen aktualisieren" in seen["tracking"] and "Versandunternehmen" in seen["tracking"]
    assert "D Paket-ID: Trackingnummern (09133131530724, 07341333413925) nicht" in seen["import mapping"]
    assert "zugeordnet: für Trackingnummer wählen" in seen["import mapping"]
    assert "2 als versendet zu kennzeichnen" in seen["import preview"]
    assert "Abwicklungs- und Distributionsliste" in seen["export"]
    assert "Postausgang" in seen["outbox"] and "geplant" in seen["outbox"]


async def test_every_footer_key_is_shown_whole_in_german(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(FittingFooter)
        bottom = screen_text(app).splitlines()[-footer.size.height:]
        shown = [f"{pilot.app.get_key_display(binding)} {binding.description}"
                 for _key, binding in app.screen._bindings if binding.show]
        assert footer.size.height == 2, "German needs a second line at 80 columns"
        assert all(any(label in line for line in bottom) for label in shown), (shown, bottom)
        assert "w Wird nicht versendet" in "\n".join(bottom) and "f Filtern" in "\n".join(bottom)


async def test_english_keeps_its_one_line_footer(campaign, make_app, monkeypatch):
    monkeypatch.setenv("SHIPTUI_LANG", "en")
    app = make_app(campaign)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(FittingFooter).size.height == 1
        assert screen_text(app).splitlines()[-1].startswith("space Select s Ship w Won't ship")


async def test_numbers_and_dates_in_german(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(130, 24)) as pilot:
        await settle(pilot)
        app.screen.bar.counts = StatusCounts(pending=1211, shipped=2, wont_ship=1)
        await pilot.pause()
        text = screen_text(app)
        assert "1.211 offen · 2 versendet · 1 wird nicht versendet · 0 ausgewählt" in text
        assert "12.03.2026" in text and "03/12/2026" not in text


def test_dashboard_snapshot(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), terminal_size=SIZE)


def test_tracking_modal_snapshot(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), press=[*TO_SO_2, "t"], terminal_size=SIZE)


def test_member_view_snapshot(german_member, make_app, snap_compare):
    assert snap_compare(make_app(german_member), press=[*TO_SO_2, "m"], terminal_size=SIZE)


def test_import_mapping_snapshot(campaign, make_app, here, snap_compare):
    (here / "paket_de.csv").write_text(GERMAN_PAKET)

    async def open_the_file(pilot) -> None:
        await pilot.press("i", *"paket_de.csv", "enter")
        await pilot.pause()

    assert snap_compare(make_app(campaign), run_before=open_the_file, terminal_size=SIZE)


def test_help_snapshot(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), press=["question_mark"], terminal_size=SIZE)
