"""Every key flow of the dashboard, driven as an operator would, checked in the database."""

from __future__ import annotations

import gc
import sqlite3
import time
from datetime import date

import pytest
from textual.geometry import Region
from textual.widgets import Input

from shiptui.errors import NotFound
from shiptui.services import fulfillment, orders
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import FIRST_REVIEW, Order, Reminder
from shiptui.tui import order_view
from shiptui.tui.app import ShiptuiApp, run
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.member import MemberScreen
from shiptui.tui.screens.order_history import OrderHistoryScreen
from shiptui.tui.screens.tracking import TrackingScreen
from shiptui.tui.widgets.order_table import OrderTable
from tests.conftest import order_state, ship_to_of
from tests.tui.conftest import second_order_for_member_of
from tests.tui.pilot import settle

TODAY = date(2026, 3, 16)


def table_lines(app) -> list[str]:
    table = app.screen.query_one(OrderTable)
    return [strip.text for strip in table.render_lines(Region(0, 0, table.size.width, table.size.height))]


def line_of(app, order_key: str) -> str:
    return next(line for line in table_lines(app) if line.split()[:1] == [order_key])


def status(campaign, key: str) -> tuple[str, date | None]:
    order = get_order(campaign, key)
    return order.status, order.shipped_on


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def go_to(pilot, order_key: str) -> None:
    table = pilot.app.screen.query_one(OrderTable)
    table.cursor = table.ids.index(resolve_order_keys(table.screen.campaign, [order_key])[0])
    await pilot.pause()


async def test_the_only_campaign_opens_on_its_dashboard_with_counts(campaign, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        bar = str(app.screen.query_one("CampaignBar").render())
        assert "Spring Serum Sampling" in bar
        assert "9 pending · 2 shipped · 1 won't ship · 0 selected" in bar
        lines = table_lines(app)
        assert lines[0].split()[:2] == ["Order", "ID"] and lines[0].rstrip().endswith("Sel")
        assert "03/12/2026" in line_of(app, "SO-2") and "queued" in line_of(app, "SO-2")
        assert "Won't ship" in line_of(app, "SO-4")
        assert line_of(app, "SO-1").rstrip().endswith("[ ]")


async def test_member_names_are_data_never_markup_or_terminal_codes(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.pause()
        assert "[b]Bold[/b] Member" in line_of(app, "SO-3")
        evil = line_of(app, "SO-5")
        assert "Evil \\x1b[31mRed\\x1b[0m Name" in evil
        assert "\x1b" not in "".join(table_lines(app))


async def test_space_selects_and_moves_down_then_s_ships_the_selection(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("space", "space")
        assert app.screen.query_one(OrderTable).cursor_row.order_id == "SO-7"
        assert "2 selected" in str(app.screen.query_one("CampaignBar").render())
        assert line_of(app, "SO-5").rstrip().endswith("[x]")
        await pilot.press("s")
        await settle(pilot)
        assert status(campaign, "SO-5") == status(campaign, "SO-6") == ("shipped", TODAY)
        assert status(campaign, "SO-7")[0] == "pending"
        assert Reminder.select().where(Reminder.kind == FIRST_REVIEW).count() == 4
        assert "03/16/2026" in line_of(app, "SO-5") and "queued" in line_of(app, "SO-5")
        assert "2 marked shipped · 2 reminders queued" in notices(app)[-1]
        assert "0 selected" in str(app.screen.query_one("CampaignBar").render())


async def test_w_marks_the_cursor_row_wont_ship_without_asking_and_u_restores_it(campaign, make_app):
    before = order_state(campaign)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-6")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # no dialog
        assert status(campaign, "SO-6") == ("wont_ship", None)
        assert "Won't ship" in line_of(app, "SO-6")
        await pilot.press("u")
        await settle(pilot)
        assert "Won't ship" not in line_of(app, "SO-6")
        assert "undone" in notices(app)[-1]
    after = order_state(campaign)
    assert {key: state[:-1] for key, state in after.items()} == {key: state[:-1] for key, state in before.items()}


async def test_ctrl_z_undoes_a_bulk_ship_and_cancels_its_reminders(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("shift+down", "shift+down", "s")
        await settle(pilot)
        assert [status(campaign, key)[0] for key in ("SO-5", "SO-6", "SO-7")] == ["shipped"] * 3
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [status(campaign, key)[0] for key in ("SO-5", "SO-6", "SO-7")] == ["pending"] * 3
        cancelled = Reminder.select().where(Reminder.status == "cancelled").count()
        assert cancelled == 3
        assert "03/16/2026" not in line_of(app, "SO-5")


async def test_shipping_a_wont_ship_order_reverses_it_and_shipped_ones_are_skipped(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("SO-2", "SO-4"):
            await go_to(pilot, key)
            await pilot.press("space")
        await pilot.press("s")
        await settle(pilot)
        assert status(campaign, "SO-4") == ("shipped", TODAY)
        assert status(campaign, "SO-2") == ("shipped", date(2026, 3, 12))
        assert "1 marked shipped" in notices(app)[-1] and "1 already shipped, skipped" in notices(app)[-1]


async def test_filter_then_select_all_acts_on_every_matching_order_not_only_those_on_screen(
    sqlite_db, make_campaign, make_app
):
    campaign = make_campaign(60)
    fulfillment.mark_wont_ship(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-1", "SO-59"])), operator="bob")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")  # pending only
        await settle(pilot)
        await pilot.pause()
        assert "pending · 1/58" in str(app.screen.query_one("CampaignBar").render())
        await pilot.press("a")
        assert "58 selected" in str(app.screen.query_one("CampaignBar").render())
        await pilot.press("s")
        await settle(pilot)
    shipped = Order.select().where(Order.status == "shipped").count()
    assert shipped == 58
    assert status(campaign, "SO-59") == ("wont_ship", None)
    assert Reminder.select().count() == 58


async def test_filter_cycles_through_every_status_and_back(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        for _ in range(4):
            await pilot.press("f")
            await settle(pilot)
            await pilot.pause()
            seen.append(len(app.screen.query_one(OrderTable).ids))
        assert seen == [9, 2, 1, 12]


async def test_search_as_you_type_then_select_all_ships_only_the_matches(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"müller")
        await settle(pilot)
        table = app.screen.query_one(OrderTable)
        shown = [table.row(i).member_name for i in range(len(table.ids))]
        assert shown == ["Jürgen Müller", "Jürgen Müller"]
        await pilot.press("enter")  # back to the table, the search stays
        assert app.focused is table
        await pilot.press("a", "s")
        await settle(pilot)
        assert status(campaign, "SO-2")[1] == date(2026, 3, 12)  # already shipped, kept
        assert status(campaign, "SO-10") == ("shipped", TODAY)
        assert Order.select().where(Order.status == "shipped").count() == 3


async def test_search_finds_tracking_numbers_and_order_ids_and_escape_clears_it(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"1z999")
        await settle(pilot)
        await pilot.pause()
        table = app.screen.query_one(OrderTable)
        assert [table.row(i).order_id for i in range(len(table.ids))] == ["SO-2"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause()
        assert len(table.ids) == 12 and app.focused is table
        await pilot.press("slash", *"nobody-here")
        await settle(pilot)
        await pilot.pause()
        assert len(table.ids) == 0 and "no order matches" in " ".join(table_lines(app))


async def test_escape_clears_the_selection(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "escape", "s")
        await settle(pilot)
        # nothing selected: s acted on the cursor row only
        assert Order.select().where(Order.status == "shipped").count() == 3


async def test_tracking_modal_saves_with_enter_and_fills_the_url_from_the_carrier(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("t")
        assert isinstance(app.screen, TrackingScreen)
        await pilot.press(*"1z 999 aa1 0123456784", "tab")
        await pilot.press(*"ups")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        order = get_order(campaign, "SO-5")
        assert (order.tracking_number, order.carrier, order.status) == ("1Z999AA10123456784", "UPS", "pending")
        assert order.tracking_url.startswith("https://") and "1Z999AA10123456784" in order.tracking_url
        assert "1Z999AA101234" in line_of(app, "SO-5")  # as much as 80 columns hold
        assert "1 tracking updated" in notices(app)[-1]


async def test_tracking_modal_tells_the_carrier_from_the_number(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("t", *"1Z5R89390357567127")
        assert "UPS, told by the number" in app.screen.query_one("#carrier", Input).placeholder
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "carrier UPS told by the number" in notices(app)[-1]
    assert get_order(campaign, "SO-5").carrier == "UPS"


async def test_tracking_modal_asks_which_carrier_when_several_fit(campaign, make_app):
    Order.update(ship_country="DE").where(Order.id == get_order(campaign, "SO-5").id).execute()
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("t", *"201298452277", "enter")  # valid for DHL Paket and GLS, both German
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        error = str(app.screen.query_one("#carrier-error").render())
        assert "this number could be DHL Paket, GLS: type which carrier it is" in error
        assert app.focused is app.screen.query_one("#carrier", Input)
        await pilot.press(*"gls", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert get_order(campaign, "SO-5").carrier == "GLS"
    assert get_order(campaign, "SO-5").tracking_url == "https://gls-group.com/DE/de/paketverfolgung?match=201298452277"


async def test_tracking_modal_is_prefilled_and_escape_changes_nothing(campaign, make_app):
    before = order_state(campaign)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-2")
        await pilot.press("enter")
        assert app.screen.query_one("#number", Input).value == "1Z999AA10123456784"
        assert app.screen.query_one("#carrier", Input).value == "UPS"
        await pilot.press(*"0000")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert order_state(campaign) == before


async def test_a_corrected_number_gets_the_carriers_page_for_the_new_number(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-2")
        await pilot.press("t")
        url = app.screen.query_one("#url", Input)
        assert url.value == "" and "1Z999AA10123456784" in url.placeholder  # the carrier's page, shown
        await pilot.press("ctrl+u", *"1Z999AA10123456795")  # ctrl+u: clear the box
        assert "1Z999AA10123456795" in url.placeholder
        await pilot.press("enter")
        await pilot.pause()
    order = get_order(campaign, "SO-2")
    assert order.tracking_number == "1Z999AA10123456795" and order.tracking_url.endswith("1Z999AA10123456795")


async def test_tracking_modal_shows_errors_at_the_field_and_writes_nothing(campaign, make_app):
    before = order_state(campaign)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("t", *"9.40011E+21", "tab", "tab", *"javascript:alert(1)", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        number_error = str(app.screen.query_one("#number-error").render())
        url_error = str(app.screen.query_one("#url-error").render())
        assert "scientific notation" in number_error
        assert "not an absolute http(s) address" in url_error
        assert app.focused is app.screen.query_one("#number", Input)
    assert order_state(campaign) == before


async def test_tracking_of_a_wont_ship_order_is_refused_in_the_modal(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-4")
        await pilot.press("t", *"1Z999AA10123456784", "enter")
        await pilot.pause()
        assert "won't ship" in str(app.screen.query_one("#form-error").render())
    assert get_order(campaign, "SO-4").tracking_number == ""


async def test_member_view_lists_the_members_orders_with_tracking_links(campaign, make_app):
    second_order_for_member_of(campaign, "SO-2")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-2")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen)
        cards = [widget.render() for widget in app.screen.query(".order-card")]
        texts = [str(card) for card in cards]
        assert len(texts) == 2  # in natural Order ID order: SO-2 before SO-13
        assert "Shipped 03/12/2026" in texts[0] and "UPS · 1Z999AA10123456784" in texts[0]
        assert "SO-13 · Night Repair Cream" in texts[1] and "Not shipped yet" in texts[1]
        links = {span.style.link for card in cards for span in card.spans if getattr(span.style, "link", None)}
        assert links == {get_order(campaign, "SO-2").tracking_url}
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_help_lists_every_dashboard_key(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(str(label.render()) for label in app.screen.query("Label"))
        for binding in [*OrderTable.BINDINGS, *DashboardScreen.BINDINGS]:
            assert binding.tooltip and binding.tooltip in text
        keys = [key for binding in [*OrderTable.BINDINGS, *DashboardScreen.BINDINGS] for key in binding.key.split(",")]
        assert len(keys) == len(set(keys))  # no key does two things
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_acting_on_an_order_someone_changed_meanwhile_is_reported_not_overwritten(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("space", "space")  # SO-5 and SO-6, as they were
        fulfillment.update_tracking(
            campaign, get_order(campaign, "SO-5"), number="1Z999AA10123456784", carrier="UPS", url="", operator="bob"
        )
        await pilot.press("w")
        await settle(pilot)
        assert status(campaign, "SO-5")[0] == "pending"  # bob's order: not touched
        assert status(campaign, "SO-6")[0] == "wont_ship"
        notice = notices(app)[-1]
        assert "1 changed by someone else, skipped" in notice and "SO-5: changed by bob" in notice


async def test_in_german_the_orders_someone_changed_meanwhile_are_named_too(campaign, make_app, monkeypatch):
    monkeypatch.setenv("SHIPTUI_LANG", "de")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        await pilot.press("space", "space")
        fulfillment.update_tracking(
            campaign, get_order(campaign, "SO-5"), number="1Z999AA10123456784", carrier="UPS", url="", operator="bob"
        )
        await pilot.press("w")
        await pilot.pause()
        notice = notices(app)[-1]
        assert "1 von jemand anderem geändert, übersprungen" in notice and "SO-5: von bob" in notice


async def test_r_reload_shows_another_operators_changes(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "03/16/2026" not in line_of(app, "SO-8")
        fulfillment.mark_shipped(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-8"])), operator="bob")
        await pilot.press("r")
        await settle(pilot)
        await pilot.pause()
        assert "03/16/2026" in line_of(app, "SO-8")
        assert "3 shipped" in str(app.screen.query_one("CampaignBar").render())


async def test_a_database_error_becomes_a_notice_and_the_console_keeps_running(campaign, make_app, sqlite_location):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-5")
        other = sqlite3.connect(sqlite_location)
        other.execute("DROP TABLE reminder")  # someone broke the schema under us
        other.close()
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "database error, nothing was changed" in notices(app)[-1]
        assert "no such table" in notices(app)[-1]
    assert status(campaign, "SO-5") == ("pending", None)


async def test_mouse_click_on_the_check_box_selects_the_row(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(OrderTable)
        await pilot.click(OrderTable, offset=(table.size.width - 3, 3))  # the header, then the 3rd row
        await pilot.pause()
        assert len(app.screen.table.selection) == 1 and table.cursor == 2
        assert table.cursor_row.id in app.screen.table.selection


async def test_paging_reaches_the_last_of_many_orders_and_acts_on_it(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(450)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the first 200 at once, then all 450
        await pilot.press("end")
        await pilot.pause()
        table = app.screen.query_one(OrderTable)
        assert table.cursor_row.order_id == "SO-450"  # natural Order ID order: SO-99 before SO-100
        assert table_lines(app)[-1].split()[0] == "SO-450"
        await pilot.press("pageup", "s")
        await settle(pilot)
        shipped = table.cursor_row.order_id
        assert status(campaign, shipped) == ("shipped", TODAY)
        await pilot.press("home")
        assert table.cursor_row.order_id == "SO-1"


async def test_select_all_while_the_rest_is_still_being_read_takes_every_order(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(450)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")  # at once: the table holds the first 200 so far
        assert len(app.screen.table.selection) == 450
        await settle(pilot)
        assert len(app.screen.table.selection) == 450 and len(app.screen.query_one(OrderTable).ids) == 450
        await pilot.press("w")
        await settle(pilot)
    assert Order.select().where(Order.status == "wont_ship").count() == 450


async def test_several_campaigns_open_on_the_list_and_q_goes_back_then_quits(sqlite_db, make_campaign, make_app):
    make_campaign(3, name="Autumn Kit")
    make_campaign(4, name="Winter Cream")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "CampaignListScreen"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.screen.campaign.name == "Winter Cream"
        await pilot.press("q")
        assert type(app.screen).__name__ == "CampaignListScreen"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_no_campaign_yet_says_how_to_make_one(sqlite_db, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "shiptui new-campaign" in str(app.screen.query_one("#list-empty").render())


def test_run_refuses_an_unknown_campaign_before_the_screen_opens(sqlite_db):
    with pytest.raises(NotFound, match="no campaign 'nope'"):
        run("nope", "alice")


async def test_ship_search_and_undo_on_every_backend(any_campaign, make_app):
    """The same keys on SQLite and PostgreSQL: the search is read in a worker thread,
    with its own connection."""
    app = make_app(any_campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"müller")
        await settle(pilot)
        await pilot.press("enter", "a", "s")
        await settle(pilot)
        assert status(any_campaign, "SO-10") == ("shipped", TODAY)
        assert "1 marked shipped · 1 reminder queued · 1 already shipped, skipped" in notices(app)[-1]
        await pilot.press("u")
        await settle(pilot)
        assert status(any_campaign, "SO-10") == ("pending", None)
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert len(app.screen.query_one(OrderTable).ids) == 12


async def test_an_order_deleted_meanwhile_shows_as_gone_until_reload(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(450)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        Order.delete().where(Order.id == get_order(campaign, "SO-445").id).execute()
        await pilot.press("end")  # the rows at the end are read now, after the delete
        await settle(pilot)
        assert "(this order no longer exists: press r)" in " ".join(table_lines(app))
        await pilot.press("r")
        await settle(pilot)
        assert "no longer exists" not in " ".join(table_lines(app))
        assert len(app.screen.query_one(OrderTable).ids) == 449


async def test_an_action_reads_the_view_again_without_an_order_deleted_meanwhile(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        Order.delete().where(Order.id == get_order(campaign, "SO-7").id).execute()
        await go_to(pilot, "SO-6")
        await pilot.press("s")
        await settle(pilot)
        assert "SO-7" not in [line.split()[0] for line in table_lines(app)[1:] if line.strip()]
        assert len(app.screen.query_one(OrderTable).ids) == 11
        assert app.screen.table.cursor_row.order_id == "SO-6"


@pytest.mark.parametrize(
    "width, columns",
    [
        (130, ["Order ID", "Member", "Product", "Shipped", "Mail", "Carrier", "Tracking no.", "Sel"]),
        (80, ["Order ID", "Member", "Product", "Shipped", "Mail", "Tracking no.", "Sel"]),
        (60, ["Order ID", "Member", "Shipped", "Mail", "Sel"]),
        (44, ["Order ID", "Member", "Shipped", "Sel"]),
    ],
)
async def test_columns_give_way_to_the_narrow_terminal_but_order_member_shipped_and_check_stay(
    campaign, make_app, width, columns
):
    app = make_app(campaign)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        header = table_lines(app)[0]
        every = ["Order ID", "Member", "Product", "Shipped", "Mail", "Carrier", "Tracking no.", "Sel"]
        assert [title for title in every if title in header] == columns
        assert header.rstrip().endswith("Sel") and "03/12/2026" in line_of(app, "SO-2")


async def test_member_view_never_hands_a_stored_url_with_terminal_codes_to_the_terminal(campaign, make_app):
    Order.update(tracking_url="https://evil.example/\x1b]8;;x\x1b\\").where(
        Order.id == get_order(campaign, "SO-2").id
    ).execute()
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-2")
        await pilot.press("m")
        await pilot.pause()
        card = app.screen.query_one(".order-card").render()
        assert "https://evil.example/\\x1b]8;;x\\x1b\\" in str(card)
        assert not [span for span in card.spans if getattr(span.style, "link", None)]


async def test_a_bug_is_kept_for_the_cli_to_log_and_no_traceback_is_printed(campaign, make_app):
    app = make_app(campaign)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert isinstance(app.crash, ZeroDivisionError)  # run() raises it: the CLI logs it, prints one line
    assert app._exit_renderables == []  # what Textual would print as a traceback on exit


async def test_member_view_speaks_the_members_language_with_the_carriers_german_page(campaign, make_app):
    second_order_for_member_of(campaign, "SO-2")
    Order.update(language="de").where(Order.member == get_order(campaign, "SO-2").member).execute()
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-2")
        await pilot.press("m")
        await pilot.pause()
        title = str(app.screen.query_one("#member-title").render())
        assert title.startswith("Sendeverfolgung · what Jürgen Müller sees, in German")
        cards = [widget.render() for widget in app.screen.query(".order-card")]
        texts = [str(card) for card in cards]
        assert "Noch nicht versendet" in texts[1] and "Sendeverfolgung: noch kein Tracking-Link" in texts[1]
        assert "Versendet am 12.03.2026" in texts[0] and "UPS · 1Z999AA10123456784" in texts[0]
        german_page = "https://www.ups.com/track?loc=de_DE&tracknum=1Z999AA10123456784"
        assert f"Sendeverfolgung: {german_page}" in texts[0]
        links = {span.style.link for card in cards for span in card.spans if getattr(span.style, "link", None)}
        assert links == {german_page}


async def test_h_shows_every_change_of_the_order_at_the_cursor_and_escape_returns(campaign, make_app):
    fulfillment.update_tracking(campaign, get_order(campaign, "SO-2"), number="1Z5R89390357567127", carrier="",
                                url="", operator="alice")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "SO-2")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, OrderHistoryScreen)
        cards = [str(card.render()) for card in app.screen.query(".change-card")]
        assert len(cards) == 3  # tracking by seed, shipped by seed, tracking by alice
        assert "seed · ship" in cards[1] and "status pending → shipped; shipped – → 03/12/2026" in cards[1]
        assert "alice · track" in cards[2] and "number 1Z999AA10123456784 → 1Z5R89390357567127" in cards[2]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


def bar_text(app) -> str:
    return str(app.screen.query_one("CampaignBar").render())


async def test_after_a_bulk_ship_and_its_undo_the_view_reads_its_rows_and_counts_again(
    sqlite_db, make_campaign, make_app
):
    campaign = make_campaign(300)  # more than the first page: the view is read in the worker
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")  # pending
        await settle(pilot)
        await pilot.press("a", "s")
        await settle(pilot)
        assert "0 pending · 300 shipped" in bar_text(app)
        assert "pending · 0/0" in bar_text(app)  # the bar and the view agree
        assert "no orders in this view" in " ".join(table_lines(app))
        await pilot.press("u")
        await settle(pilot)
        assert "300 pending · 0 shipped" in bar_text(app) and "pending · 1/300" in bar_text(app)
        assert table_lines(app)[1].split()[0] == "SO-1"


async def test_while_a_change_is_written_the_bar_says_so_data_keys_wait_and_the_cursor_moves(
    campaign, make_app, sqlite_location
):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = sqlite3.connect(sqlite_location, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another operator's write holds the lock: ours waits
        try:
            await pilot.press("a", "s")
            await pilot.pause(0.2)
            assert "writing the change to 12 orders…" in bar_text(app)
            assert app.screen.query_one("#working").display
            await pilot.press("down", "down")  # navigation keeps working
            assert app.screen.table.cursor == 2
            for key in ("w", "u", "t"):
                await pilot.press(key)
                assert "still writing the last change: wait for its notice" in notices(app)[-1]
                assert isinstance(app.screen, DashboardScreen)
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(pilot)
        assert "marked shipped" in notices(app)[-1]  # the result follows
        assert "writing" not in bar_text(app) and not app.screen.query_one("#working").display
        assert "0 pending · 12 shipped" in bar_text(app)
    assert Order.select().where(Order.status == "shipped").count() == 12


async def select_all(pilot, count: int) -> None:
    """Once the view is read, `a`: the bar counts `count` selected."""
    await settle(pilot)
    await pilot.press("a")
    assert f"{count} selected" in bar_text(pilot.app)


async def test_select_all_then_one_unselected_ships_every_order_of_the_view_but_that_one(
    sqlite_db, make_campaign, make_app
):
    campaign = make_campaign(300)  # more than the rows read so far
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await select_all(pilot, 300)
        await go_to(pilot, "SO-7")
        assert "[x]" in line_of(app, "SO-7")
        await pilot.press("space")  # unselects it, and moves down
        assert "299 selected" in bar_text(app) and "[ ]" in line_of(app, "SO-7") and "[x]" in line_of(app, "SO-8")
        await pilot.press("s")
        await settle(pilot)
        assert "299 marked shipped" in notices(app)[-1]
    assert status(campaign, "SO-7") == ("pending", None)
    assert Order.select().where(Order.status == "shipped").count() == 299


async def test_select_all_leaves_out_orders_loaded_after_the_view_was_read(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(300)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await select_all(pilot, 300)
        first = get_order(campaign, "SO-1")  # meanwhile loaded on another console: nobody saw it
        Order.create(campaign=campaign, member=first.member, product=first.product, order_key="SO-301",
                     updated_at=first.updated_at, updated_by="bob", **ship_to_of(first.member))
        await pilot.press("s")
        await settle(pilot)
        assert "300 marked shipped" in notices(app)[-1]
    assert status(campaign, "SO-301") == ("pending", None)
    assert Order.select().where(Order.status == "shipped").count() == 300


async def test_a_new_filter_after_select_all_ends_the_selection(sqlite_db, make_campaign, make_app):
    campaign = make_campaign(300)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await select_all(pilot, 300)
        await pilot.press("f")  # pending only: the selection was of every order
        await settle(pilot)
        assert "0 selected" in bar_text(app) and "[x]" not in " ".join(table_lines(app))
        await pilot.press("s")  # acts on the order at the cursor alone
        await settle(pilot)
    assert Order.select().where(Order.status == "shipped").count() == 1


async def test_select_all_stays_over_a_reload_of_its_view_and_counts_what_it_holds_now(
    sqlite_db, make_campaign, make_app
):
    campaign = make_campaign(300)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")  # pending
        await settle(pilot)
        await pilot.press("a", "space")  # all but SO-1
        assert "299 selected" in bar_text(app)
        fulfillment.mark_wont_ship(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-1", "SO-2"])),
                                   operator="bob")  # meanwhile, on another console
        await pilot.press("r")
        await settle(pilot)
        assert "298 selected" in bar_text(app) and "pending · " in bar_text(app)
        await pilot.press("w")
        await settle(pilot)
    assert Order.select().where(Order.status == "wont_ship").count() == 300


async def test_the_console_an_operator_runs_keeps_what_it_made_at_startup_out_of_the_full_gc_passes(
    campaign, operator
):
    app = ShiptuiApp(operator, campaign, freeze_startup=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            # The dashboard's widgets are frozen: a full pass no longer walks them.
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # this test process runs many apps


def test_run_starts_the_console_with_its_startup_frozen(campaign, monkeypatch):
    made = []
    monkeypatch.setattr(ShiptuiApp, "run", lambda app: made.append(app.freeze_startup))
    run(campaign.slug, "alice")
    assert made == [True]


async def test_typing_on_stops_reading_every_match_of_the_text_before(campaign, make_app, monkeypatch):
    # At a million orders, every match of "m" takes seconds to read after its first page:
    # the next keystroke's first page must not wait for them.
    monkeypatch.setattr(order_view, "FIRST_PAGE", 1)  # "m"'s first page is full: the rest is read
    monkeypatch.setattr(orders, "CHUNK", 1)  # asked whether to go on after each id
    read_on = []
    all_ids = orders.order_ids

    def order_ids(campaign, view, limit=None, *, until=None):
        if view.search == "m" and limit is None:
            # The whole list is being read when the next key comes.
            deadline = time.monotonic() + 5
            while not (until and until()) and time.monotonic() < deadline:
                time.sleep(0.01)
            ids = all_ids(campaign, view, until=until) if until else all_ids(campaign, view)
            read_on.append((len(ids), len(all_ids(campaign, view))))
            return ids
        return all_ids(campaign, view, limit)

    monkeypatch.setattr(orders, "order_ids", order_ids)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "m")
        await pilot.pause(0.2)
        await pilot.press("ü")
        await settle(pilot)
        table = app.screen.query_one(OrderTable)
        assert [table.row(i).member_name for i in range(len(table.ids))] == ["Jürgen Müller", "Jürgen Müller"]
    (read, matching), = read_on
    assert read == 1 < matching  # of the orders holding an m, one id was read, then "mü"
