"""Campaigns from the console: create one from the campaign list, change a campaign's
settings and reminder email (with a preview) from the list or the dashboard."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from shiptui import clock
from shiptui.services.campaigns import CampaignSettings, create_campaign, find_campaign, list_campaigns
from shiptui.storage import Campaign
from shiptui.tui.screens.campaign_list import CampaignListScreen
from shiptui.tui.screens.campaign_settings import CampaignSettingsScreen, NewCampaignScreen
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.widgets.order_table import OrderTable
from tests.tui.pilot import burst, screen_text, settle, text_of

SMALL = (60, 20)


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def list_rows(app) -> list[str]:
    table = app.screen.query_one("#campaigns")
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def fill(pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}", Input).value = text
    await pilot.pause()


async def test_n_creates_a_campaign_with_its_reminder_delay(sqlite_db, make_app):
    create_campaign("Autumn Kit")
    create_campaign("Spring Kit")  # two: the console opens on the list
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewCampaignScreen)
        await pilot.press(*"Winter Cream", "tab", "3", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CampaignListScreen)
        table = app.screen.query_one("#campaigns")
        assert "Winter Cream winter-cream" in list_rows(app)[table.cursor_row]
        assert "created campaign Winter Cream (winter-cream)" in notices(app)[-1]
        assert "press l to load its orders" in notices(app)[-1]
    assert find_campaign("winter-cream").reminder_delay_days == 3


async def test_keys_typed_ahead_of_a_tab_go_to_the_next_field(sqlite_db, make_app):
    create_campaign("Autumn Kit")
    create_campaign("Spring Kit")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        burst(app, "Winter Cream\t3\r")
        await settle(pilot)
        assert isinstance(app.screen, CampaignListScreen)
    assert find_campaign("winter-cream").reminder_delay_days == 3


async def test_keys_typed_ahead_of_an_enter_stay_out_of_the_submitted_field(sqlite_db, make_app):
    """A burst of name, Enter and the list's next key: the campaign gets the name as it
    was when Enter came, not with the key typed behind it ("Epsc")."""
    create_campaign("Autumn Kit")
    create_campaign("Spring Kit")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        burst(app, "Eps\rc")
        await settle(pilot)
    assert sorted(campaign.name for campaign in list_campaigns()) == ["Autumn Kit", "Eps", "Spring Kit"]


@pytest.mark.parametrize(("name", "delay", "field", "message"), [
    ("  ", "7", "name", "a campaign name needs at least one letter or digit"),
    ("autumn KIT", "7", "name", "there is a campaign 'Autumn Kit' already (slug autumn-kit)"),
    ("Winter", "a week", "delay", "reminder delay 'a week' is not a number of days: give 0 to 365"),
    ("Winter", "400", "delay", "reminder delay 400 days is out of range: give 0 to 365"),
])
async def test_a_new_campaign_is_refused_at_the_field_and_nothing_is_created(
    sqlite_db, make_app, name, delay, field, message
):
    create_campaign("Autumn Kit")
    create_campaign("Spring Kit")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await fill(pilot, "name", name)
        await fill(pilot, "delay", delay)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewCampaignScreen)
        assert message in text_of(app, f"#{field}-error")
        assert app.screen.focused is app.screen.query_one(f"#{field}")
        await pilot.press("escape")
        assert isinstance(app.screen, CampaignListScreen)
    assert [summary.name for summary in list_campaigns()] == ["Autumn Kit", "Spring Kit"]


async def test_two_campaigns_of_one_name_are_told_apart_by_their_slugs(sqlite_db, make_app):
    """Made before duplicates were refused: their long slugs differ only at the end."""
    create_campaign("Winter Skincare Sampling Germany")
    Campaign.create(name="Winter Skincare Sampling Germany", slug="winter-skincare-sampling-germany-2",
                    reminder_delay_days=7, created_at=clock.stored_now())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first, second = list_rows(app)
        assert first != second
        assert first.split()[-4].endswith("germany") and second.split()[-4].endswith("germany-2")


async def test_settings_from_the_list_rename_and_change_the_delay(sqlite_db, make_campaign, make_app):
    make_campaign(3, name="Autumn Kit")
    make_campaign(2, name="Spring Kit")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "c")
        await settle(pilot)
        assert isinstance(app.screen, CampaignSettingsScreen)
        assert app.screen.query_one("#order", Input).value == "SO-1"  # the first order's email
        assert "Member 1" in text_of(app, "#preview")
        await fill(pilot, "name", "autumn kit")
        await pilot.press("ctrl+s")
        assert "there is a campaign 'Autumn Kit' already" in text_of(app, "#name-error")
        await fill(pilot, "name", "Spring Kit 2026")
        await fill(pilot, "delay", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CampaignListScreen)
        assert any(row.startswith("Spring Kit 2026 spring-kit ") for row in list_rows(app))
    campaign = find_campaign("spring-kit")
    assert (campaign.name, campaign.reminder_delay_days) == ("Spring Kit 2026", 10)


async def test_settings_from_the_dashboard_preview_the_email_of_the_order_at_the_cursor(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "c")  # SO-2: Jürgen Müller, shipped with UPS tracking
        await settle(pilot)
        assert isinstance(app.screen, CampaignSettingsScreen)
        assert app.screen.query_one("#order", Input).value == "SO-2"
        await fill(pilot, "subject", "Your $product is on its way, $member_name")
        assert "Subject: Your Hydra Glow Serum is on its way, Jürgen Müller" in text_of(app, "#preview")
        app.screen.query_one("#body", TextArea).text = "Thanks, $member_name.\n\nFollow it: $tracking_url\n"
        await pilot.pause()
        assert "Follow it: https://" in text_of(app, "#preview") and "1Z999AA10123456784" in text_of(app, "#preview")
        await fill(pilot, "subject", "Hi $name")
        assert "no preview: the subject template uses the unknown placeholder $name" in text_of(app, "#preview")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown placeholder $name" in text_of(app, "#subject-error")
        assert CampaignSettings.of(find_campaign(campaign.slug)).subject != "Hi $name"  # nothing saved
        await fill(pilot, "subject", "Tracking for $order_id")
        await fill(pilot, "name", "Spring Serum Sampling 2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Spring Serum Sampling 2026" in str(app.screen.query_one("CampaignBar").render())
    saved = CampaignSettings.of(find_campaign(campaign.slug))
    assert (saved.name, saved.subject, saved.body) == ("Spring Serum Sampling 2026", "Tracking for $order_id",
                                                       "Thanks, $member_name.\n\nFollow it: $tracking_url\n")


async def test_an_empty_campaign_says_how_to_load_its_orders(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(0, name="Winter Cream")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "no orders yet: press l to load them from a CSV file" in screen_text(app)
        assert len(app.screen.query_one(OrderTable).ids) == 0


def test_snapshot_new_campaign(sqlite_db, make_app, snap_compare):
    create_campaign("Autumn Kit")
    create_campaign("Spring Kit")
    assert snap_compare(make_app(), press=["n", *"Autumn kit", "enter"])


def test_snapshot_settings(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), press=["down", "c"])  # at 60x20: test_dialogs


def test_snapshot_settings_preview(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), press=["down", "c", "tab", "tab", "tab", "tab", "tab"])


def test_snapshot_new_campaign_at_60x20(sqlite_db, make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", *"Winter", "tab", "x", "enter"], terminal_size=SMALL)



async def test_a_new_notice_replaces_the_one_of_its_kind_and_a_dialog_clears_them(campaign, make_app):
    """r twice leaves one notice, not a pile; an error stays beside it; a dialog opens
    without either over it."""
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.notify("the database is locked", title="Not done", severity="error")
        await pilot.press("r", "r")
        await settle(pilot)
        assert notices(app) == ["the database is locked", "reloaded: the orders as they are now"]
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CampaignSettingsScreen) and notices(app) == []
