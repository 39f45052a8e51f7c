"""Snapshots at 80x24 of every screen and modal and the key moments of each flow.

SVGs live in snapshots/test_snapshots/; `pytest tests/tui --snapshot-update` rewrites them
(look at them before committing: rsvg-convert FILE.svg -o FILE.png).
Orders sort naturally: SO-1, SO-2, ... SO-9, SO-10, SO-11, SO-12.
"""

from __future__ import annotations

from shiptui.services import fulfillment, undo
from shiptui.services.orders import get_order
from shiptui.storage import Order
from tests.conftest import second_order_for_member_of
from tests.tui.pilot import settle

DOWN_TO_SO_5 = ["down"] * 4  # SO-5: a pending order of a member with an escape sequence in the name
DOWN_TO_SO_2 = ["down"]  # SO-2: shipped, with tracking


def test_campaign_list(sqlite_db, make_campaign, make_app, snap_compare):
    make_campaign(3, name="Autumn Kit")
    make_campaign(4, name="Winter [i]Cream[/i] Sampling")
    assert snap_compare(make_app())


def test_campaign_list_without_campaigns(sqlite_db, make_app, snap_compare):
    assert snap_compare(make_app())


def test_dashboard(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign))


def test_rows_selected(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), press=[*DOWN_TO_SO_5, "space", "space", "shift+down"])


def test_rows_shipped_with_the_notice(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), run_before=pressing(*DOWN_TO_SO_5, "space", "space", "s"))


def test_after_undo(campaign, make_app, snap_compare):
    async def ship_then_undo(pilot):
        await pressing(*DOWN_TO_SO_5, "space", "space", "s")(pilot)
        await pressing("u")(pilot)

    assert snap_compare(make_app(campaign), run_before=ship_then_undo)


def test_wont_ship_skips_a_shipped_order_and_says_why(campaign, make_app, snap_compare):
    # SO-2 is shipped, SO-3 too: only SO-1 and SO-10.. are marked, the notice names the others
    assert snap_compare(make_app(campaign), run_before=pressing("a", "w"))


def test_changed_by_someone_else_is_reported(campaign, make_app, snap_compare):
    async def select_so_5_and_6_then_bob_edits_so_5_then_ship(pilot):
        await pilot.press(*DOWN_TO_SO_5, "space", "space")
        fulfillment.update_tracking(
            campaign, get_order(campaign, "SO-5"), number="1Z999AA10123456784", carrier="UPS", url="", operator="bob"
        )
        await pressing("s")(pilot)

    assert snap_compare(make_app(campaign), run_before=select_so_5_and_6_then_bob_edits_so_5_then_ship)


def test_tracking_modal_prefilled(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), press=[*DOWN_TO_SO_2, "enter"])


def test_tracking_modal_with_a_field_error(campaign, make_app, snap_compare):
    assert snap_compare(
        make_app(campaign),
        press=[*DOWN_TO_SO_5, "t", *"12345", "tab", *"UPS", "tab", *"ftp://x", "enter"],
    )


def test_member_view(campaign, make_app, snap_compare):
    second_order_for_member_of(campaign, "SO-2")
    assert snap_compare(make_app(campaign), press=[*DOWN_TO_SO_2, "m"])


def test_member_view_of_a_german_member(campaign, make_app, snap_compare):
    second_order_for_member_of(campaign, "SO-2")
    Order.update(language="de").where(Order.member == get_order(campaign, "SO-2").member).execute()
    assert snap_compare(make_app(campaign), press=[*DOWN_TO_SO_2, "m"])


def test_order_history(campaign, make_app, snap_compare):
    fulfillment.update_tracking(campaign, get_order(campaign, "SO-2"), number="1Z5R89390357567127", carrier="",
                                url="", operator="alice")
    undo.undo_last(campaign, operator="alice")
    assert snap_compare(make_app(campaign), press=[*DOWN_TO_SO_2, "h"])


def test_help(campaign, make_app, snap_compare):
    async def open_help_and_let_the_wrapped_lines_settle(pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(campaign), run_before=open_help_and_let_the_wrapped_lines_settle)


def pressing(*keys: str):
    """A run_before that presses keys and waits for the view they ask for (read in a worker)."""

    async def run(pilot):
        await pilot.press(*keys)
        await settle(pilot)

    return run


def test_search_as_you_type(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), run_before=pressing("slash", *"müller"))


def test_filter_wont_ship(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), run_before=pressing("f", "f", "f"))
