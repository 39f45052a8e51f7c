"""The action log and the outbox keep no foreign keys (each insert would check every row):
what their ON DELETE did, the triggers of storage/cascades.py do, on both databases."""

import peewee
import pytest

from shiptui.services import fulfillment
from shiptui.services.orders import OrderTarget, order_ids
from shiptui.storage import Action, ActionChange, Campaign, Order, Reminder, close_database, open_database
from tests.storage.version_1 import VERSION_1_ROWS, create_version_1


def ship_all(campaign: Campaign) -> None:
    fulfillment.mark_shipped(campaign, OrderTarget.of_ids(order_ids(campaign)), operator="alice")


def logged(campaign: Campaign) -> tuple[int, int]:
    """How many action-log rows and reminders the campaign's orders have."""
    orders = Order.select(Order.id).where(Order.campaign == campaign)
    return (ActionChange.select().where(ActionChange.order.in_(orders)).count(),
            Reminder.select().where(Reminder.order.in_(orders)).count())


def test_a_deleted_campaign_takes_its_action_log_and_reminders_with_it(db, make_campaign):
    kept, gone = make_campaign(3), make_campaign(2, name="Autumn Kit")
    ship_all(kept)
    ship_all(gone)
    gone_orders = [order_id for (order_id,) in Order.select(Order.id).where(Order.campaign == gone).tuples()]
    Campaign.delete().where(Campaign.id == gone.id).execute()
    assert ActionChange.select().where(ActionChange.order.in_(gone_orders)).count() == 0
    assert Reminder.select().where(Reminder.order.in_(gone_orders)).count() == 0
    assert Action.select().where(Action.campaign == gone.id).count() == 0
    assert logged(kept) == (3, 3)


def test_a_deleted_order_takes_its_log_rows_and_reminder_with_it(db, make_campaign):
    campaign = make_campaign(3)
    ship_all(campaign)
    Order.delete().where(Order.order_key == "SO-2").execute()
    assert logged(campaign) == (2, 2)
    assert ActionChange.select().count() == Reminder.select().count() == 2


def test_a_deleted_action_takes_its_log_rows_and_leaves_its_reminders_queued(db, make_campaign):
    campaign = make_campaign(3)
    ship_all(campaign)
    Action.delete().execute()
    assert ActionChange.select().count() == 0
    assert [(reminder.status, reminder.queued_by_id) for reminder in Reminder.select()] == [("queued", None)] * 3


def test_a_first_release_database_keeps_its_log_and_reminders_without_foreign_keys(db_location):
    create_version_1(
        db_location, *VERSION_1_ROWS,
        "UPDATE orders SET status = 'shipped', shipped_on = '2026-01-02', version = 2 WHERE id IN (1, 2)",
        "INSERT INTO action (id, campaign_id, operator, kind, summary, created_at) "
        "VALUES (1, 1, 'alice', 'ship', 'marked 2 orders shipped', '2026-01-02 09:00:00')",
        *(f"INSERT INTO action_change (action_id, order_id, status, shipped_on, carrier, tracking_number, "
          f"tracking_url, version) VALUES (1, {n}, 'pending', NULL, '', '', '', 1)" for n in (1, 2)),
        *(f"INSERT INTO reminder (id, order_id, kind, recipient, subject, body, message_id, status, send_after, "
          f"attempts, last_error, queued_by_id, queued_at) VALUES ({n}, {n}, 'first_review', 'm{n}@example.com', "
          f"'', '', '<{n}@shiptui>', 'queued', '2026-01-09 09:00:00', 0, '', 1, '2026-01-02 09:00:00')"
          for n in (1, 2)),
    )
    db = open_database(db_location)
    try:
        assert db.get_foreign_keys("action_change") == db.get_foreign_keys("reminder") == []
        assert [(change.order_id, change.status) for change in ActionChange.select().order_by(ActionChange.order)] == [
            (1, "pending"), (2, "pending")]
        assert [(reminder.order_id, reminder.queued_by_id) for reminder in Reminder.select().order_by(Reminder.id)] == [
            (1, 1), (2, 1)]
        with pytest.raises(peewee.IntegrityError), db.atomic():  # still one reminder per order
            Reminder.create(order=1, recipient="m1@example.com", message_id="<again@shiptui>",
                            send_after="2026-01-09 09:00:00", queued_at="2026-01-09 09:00:00")
        Order.delete().where(Order.id == 2).execute()
        assert [change.order_id for change in ActionChange.select()] == [1]
        assert [reminder.order_id for reminder in Reminder.select()] == [1]
        Campaign.delete().execute()
        assert ActionChange.select().count() == Reminder.select().count() == 0
    finally:
        close_database()
