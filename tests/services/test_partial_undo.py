"""An undo that cannot put back every order (issue 8, item 9): two operators on one campaign,
on SQLite and PostgreSQL. No order may stay shipped by an action marked undone."""

from __future__ import annotations

import pytest

from shiptui.errors import RejectedInput
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship, update_tracking
from shiptui.services.undo import undo_last
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Action, ActionChange, Order, Reminder


def target(campaign, *keys):
    return OrderTarget.of_ids(resolve_order_keys(campaign, list(keys)))


def reminder_status(campaign, key):
    return Reminder.select(Reminder.status).join(Order).where(
        Order.campaign == campaign, Order.order_key == key
    ).scalar()


def assert_no_order_is_left_by_an_undone_action():
    left = (
        ActionChange.select(Action.id)
        .join(Action, on=(ActionChange.action == Action.id))
        .where(Action.undone_at.is_null(False), ActionChange.restored_at.is_null())
    )
    assert not left.exists()


def test_a_partial_undo_leaves_the_rest_undoable_once_the_other_change_is_undone(db, make_campaign):
    campaign = make_campaign(2)
    mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="alice")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="bob")

    first = undo_last(campaign, operator="alice")

    assert first.restored == 1 and first.reminders_cancelled == 1
    assert [skip.order_id for skip in first.skipped] == ["SO-1"]
    assert "changed by bob since" in list(first.skipped)[0].reason
    assert "1 changed by someone since, left as they are: undo again" in first.summary()
    assert get_order(campaign, "SO-2").status == "pending"
    assert get_order(campaign, "SO-1").status == "shipped"
    assert Action.get(Action.operator == "alice").undone_at is None, "not all of it was undone"
    assert_no_order_is_left_by_an_undone_action()
    with pytest.raises(RejectedInput, match=r"nothing to undo now: .* changed by others since: SO-1;"):
        undo_last(campaign, operator="alice")

    undo_last(campaign, operator="bob")
    assert get_order(campaign, "SO-1").tracking_number == ""
    second = undo_last(campaign, operator="alice")

    assert second.undone.startswith("the rest of 2 marked shipped")
    assert (second.restored, second.reminders_cancelled, list(second.skipped)) == (1, 1, [])
    assert get_order(campaign, "SO-1").status == "pending"
    assert reminder_status(campaign, "SO-1") == "cancelled", "the member is not emailed"
    assert Action.get(Action.operator == "alice").undone_by == "alice"
    assert_no_order_is_left_by_an_undone_action()
    with pytest.raises(RejectedInput, match="nothing to undo: alice has no action"):
        undo_last(campaign, operator="alice")
    wont = mark_wont_ship(campaign, target(campaign, "SO-1"), operator="alice")
    assert (wont.changed, list(wont.skipped)) == (1, [])


def test_while_part_of_an_action_waits_undo_takes_back_the_one_before(db, make_campaign):
    campaign = make_campaign(3)
    mark_wont_ship(campaign, target(campaign, "SO-3"), operator="alice")
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="bob")
    assert undo_last(campaign, operator="alice").restored == 0

    earlier = undo_last(campaign, operator="alice")

    assert earlier.undone == "1 marked won't ship" and earlier.restored == 1
    assert get_order(campaign, "SO-3").status == "pending"
    assert get_order(campaign, "SO-1").status == "shipped"
    undo_last(campaign, operator="bob")
    assert undo_last(campaign, operator="alice").restored == 1, "the waiting part is taken back"
    assert get_order(campaign, "SO-1").status == "pending"
    assert_no_order_is_left_by_an_undone_action()


def test_an_order_changed_by_several_later_actions_waits_for_all_of_them(db, make_campaign):
    campaign = make_campaign(1)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="bob")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="00340434161094042557", carrier="DHL Paket",
                    url="", operator="carol")
    undo_last(campaign, operator="alice")
    undo_last(campaign, operator="bob")  # waits for carol's change too

    assert get_order(campaign, "SO-1").carrier == "DHL Paket"
    undo_last(campaign, operator="carol")
    undo_last(campaign, operator="bob")
    undo_last(campaign, operator="alice")

    order = get_order(campaign, "SO-1")
    assert (order.status, order.carrier, order.tracking_number) == ("pending", "", "")
    assert_no_order_is_left_by_an_undone_action()


def test_an_undo_that_must_leave_many_orders_names_the_first_twenty_and_counts_them_all(db, make_campaign):
    campaign = make_campaign(30)
    mark_shipped(campaign, target(campaign, *(f"SO-{n}" for n in range(1, 31))), operator="alice")
    for n in range(1, 26):
        update_tracking(campaign, get_order(campaign, f"SO-{n}"), number="1Z999AA10123456784", carrier="UPS",
                        url="", operator="bob")

    result = undo_last(campaign, operator="alice")

    assert result.restored == 5
    assert len(result.skipped) == 25
    assert [skip.order_id for skip in result.skipped] == [f"SO-{n}" for n in range(1, 21)], "in Order ID order"
    assert "25 changed by someone since" in result.summary()
    with pytest.raises(RejectedInput, match=r"changed by others since: SO-1, SO-2, .*, SO-10 and 15 more;"):
        undo_last(campaign, operator="alice")
