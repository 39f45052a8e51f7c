"""One key map on every screen: ? lists the keys of the screen it was opened from, q (and
escape) goes back, r reads again; escape closes every dialog; a notice leaves with its screen."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from shiptui.services import fulfillment, undo
from shiptui.services.campaigns import create_campaign
from shiptui.services.orders import OrderTarget, resolve_order_keys
from shiptui.tui.screens.campaign_list import CampaignListScreen
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
from tests.tui.pilot import open_file, screen_text, settle

# A line of each screen's help that only that screen's keys give.
OWN_KEY = {
    CampaignListScreen: "open the campaign's dashboard",
    DashboardScreen: "mark the selected orders",
    OutboxScreen: "queue the failed reminder at the cursor again",
    MemberScreen: "read it again, with others' changes",
    OrderHistoryScreen: "read it again, with others' changes",
}


def help_lines(app) -> list[str]:
    labels = [str(label.render()) for label in app.screen.query(Label)]
    return [f"{key} {what}" for key, what in zip(labels[::2], labels[1::2])]


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def check_help_and_back(pilot, screen_type: type, back_key: str = "q") -> None:
    """? opens the help of this screen, escape closes it; `back_key` leaves the screen."""
    app = pilot.app
    assert isinstance(app.screen, screen_type)
    await press(pilot, "question_mark")
    assert isinstance(app.screen, HelpScreen), screen_type
    lines = help_lines(app)
    assert any(OWN_KEY[screen_type] in line for line in lines), lines
    assert any(line.startswith("? ") for line in lines) and any(line.startswith("r ") for line in lines), lines
    await press(pilot, "escape")
    assert isinstance(app.screen, screen_type)
    await press(pilot, back_key)
    assert not isinstance(app.screen, screen_type)


@pytest.fixture
def two_campaigns(campaign, make_campaign):
    """With two campaigns the console opens on the campaign list."""
    make_campaign(2, name="Autumn Launch")
    return campaign


async def test_every_screen_answers_help_and_goes_back_with_q(two_campaigns, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert any(OWN_KEY[CampaignListScreen] in line for line in help_lines(app))
        await press(pilot, "q")  # q closes help too
        assert isinstance(app.screen, CampaignListScreen)
        await press(pilot, "enter")
        for key, screen_type in (("o", OutboxScreen), ("m", MemberScreen), ("h", OrderHistoryScreen)):
            await press(pilot, key)
            await check_help_and_back(pilot, screen_type)
            assert isinstance(app.screen, DashboardScreen)
            await press(pilot, key)
            await press(pilot, "escape")
            assert isinstance(app.screen, DashboardScreen), f"escape leaves {screen_type.__name__}"
        await check_help_and_back(pilot, DashboardScreen)
        assert isinstance(app.screen, CampaignListScreen)
        await press(pilot, "escape")
        assert app.return_code == 0  # the campaign list is the first screen: q or escape quits


async def test_r_reads_every_screen_again(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ship_so_1 = OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-1"]))
        await press(pilot, "h")  # the cursor is on SO-1
        before = screen_text(app).count(" · seed · ") + screen_text(app).count(" · alice · ")
        fulfillment.mark_shipped(campaign, ship_so_1, operator="zoe")  # another operator, meanwhile
        assert "zoe" not in screen_text(app)
        await press(pilot, "r")
        assert "zoe" in screen_text(app), "history: r shows the change"
        assert screen_text(app).count(" · seed · ") + screen_text(app).count(" · alice · ") == before
        await press(pilot, "q", "o")
        counts = screen_text(app)
        undo.undo_last(campaign, operator="zoe")
        await press(pilot, "r")
        assert screen_text(app) != counts, "outbox: r shows the cancelled reminder"
        await press(pilot, "q", "m")
        assert "Not shipped yet" in screen_text(app)
        fulfillment.mark_shipped(campaign, ship_so_1, operator="zoe")
        await press(pilot, "r")
        assert "Shipped 03/16/2026" in screen_text(app), "member view: r shows the ship"


async def test_r_on_the_campaign_list_shows_a_new_campaign(two_campaigns, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        create_campaign("Winter Gift Box")
        assert "Winter Gift Box" not in screen_text(app)
        await press(pilot, "r")
        assert "Winter Gift Box" in screen_text(app)


async def test_escape_closes_every_dialog(campaign, make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ups.csv").write_text("Order ID,Ship Date,Shipping Carrier,Tracking #\nSO-1,03/14/2026,UPS,1Z999AA10123456784\n")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, dialog in (("t", TrackingScreen), ("e", ExportScreen), ("i", ImportFileScreen)):
            await press(pilot, key)
            assert isinstance(app.screen, dialog)
            await press(pilot, "escape")
            assert isinstance(app.screen, DashboardScreen), dialog.__name__
        await open_file(pilot, "ups.csv")
        assert isinstance(app.screen, ImportMappingScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ImportFileScreen)  # a step back: choosing the file
        await press(pilot, "enter", "ctrl+s")
        assert isinstance(app.screen, ImportPreviewScreen)
        await press(pilot, "question_mark")
        lines = help_lines(app)
        assert any("import the file in one transaction" in line for line in lines), lines
        assert [line.split()[0] for line in lines].count("?") == 1, lines
        await press(pilot, "escape", "q")
        assert isinstance(app.screen, DashboardScreen)


async def test_a_notice_leaves_with_its_screen(campaign, make_app):
    fulfillment.mark_shipped(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-1"])), operator="alice")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "o", "enter")  # the reminder's details, as a notice
        assert any("Message-ID" in notice.message for notice in app._notifications)
        await press(pilot, "q")
        assert isinstance(app.screen, DashboardScreen)
        assert not app._notifications
        await press(pilot, "r")  # the dashboard's own notice is there until its screen is left
        assert app._notifications
        await press(pilot, "e")
        assert not app._notifications


def footer_lines(app) -> list[str]:
    footer = app.screen.query_one(FittingFooter)
    return [line.rstrip() for line in screen_text(app).splitlines()[-footer.size.height:]]


@pytest.mark.parametrize("language", ["en", "de"])
async def test_help_and_quit_are_on_the_footer_of_every_screen_at_60_by_20(campaign, make_app, monkeypatch, language):
    monkeypatch.setenv("SHIPTUI_LANG", language)
    help_key, quit_key, back_key = {"en": ("? Help", "q Quit", "q Back"), "de": ("? Hilfe", "q Beenden", "q Zurück")}[language]
    app = make_app(campaign)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        bottom = "\n".join(footer_lines(app))
        assert help_key in bottom and quit_key in bottom, bottom
        for key in ("o", "m", "h"):
            await press(pilot, key)
            bottom = "\n".join(footer_lines(app))
            assert help_key in bottom and back_key in bottom, (key, bottom)
            await press(pilot, "q")


async def test_the_footer_shows_import_export_outbox_member_where_there_is_room(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert footer_lines(app) == [
            "space Select s Ship w Won't ship t Track u Undo / Search f Filter "
            "i Import e Export o Outbox m Member ? Help q Quit"
        ]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert footer_lines(app) == ["space Select s Ship w Won't ship t Track u Undo / Search f Filter ? Help q Quit"]


async def test_a_notice_counts_as_the_bar_does(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(1001)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "a", "s")
        assert [notice.message for notice in app._notifications][-1].startswith("1,001 marked shipped")
        assert "1,001 shipped" in screen_text(app)
