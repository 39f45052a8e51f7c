"""The reminder outbox: rows written in the same transaction as the state change."""

from __future__ import annotations

import socket
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import peewee
from peewee import EXCLUDED, Value

from shiptui import clock
from shiptui.storage import (
    FIRST_REVIEW,
    Action,
    ActionChange,
    Campaign,
    Member,
    Order,
    Reminder,
    ReminderStatus,
)

# However early a ship date lies, a reminder waits this long, so a mistake can be undone
# before any member is emailed.
UNDO_GRACE = timedelta(hours=1)

UNSENT = (ReminderStatus.QUEUED, ReminderStatus.FAILED)


@lru_cache(maxsize=1)
def message_id_domain() -> str:
    return socket.getfqdn() or "localhost"


def first_reminder_due(campaign: Campaign, shipped_on: date) -> datetime:
    """When the first reminder of an order shipped on `shipped_on` may be sent (stored form)."""
    now = clock.now()
    due = datetime.combine(
        shipped_on + timedelta(days=campaign.reminder_delay_days), now.timetz()
    )
    return clock.utc_naive(max(due, now + UNDO_GRACE))


def queue_first_reminders(action: Action, campaign: Campaign, shipped_on: date) -> int:
    """Queue the first review reminder of every order `action` shipped on `shipped_on`.

    One reminder per order, ever: an order that already has one keeps it, except that a
    reminder cancelled by an undo is queued again. Returns how many were queued.
    """
    message_id = (
        Value("<first-review.")
        .concat(Value(campaign.slug))
        .concat(".")
        .concat(peewee.Cast(Order.id, "text"))
        .concat(f"@{message_id_domain()}>")
    )
    rows = (
        ActionChange.select(
            Order.id,
            Value(FIRST_REVIEW),
            Member.email,
            message_id,
            Value(ReminderStatus.QUEUED),
            Value(first_reminder_due(campaign, shipped_on)),
            Value(action.id),
            Value(clock.stored_now()),
            Value(""),
            Value(""),
            Value(""),
            Value(0),
        )
        .join(Order, on=(ActionChange.order == Order.id))
        .join(Member, on=(Order.member == Member.id))
        .where(ActionChange.action == action, Order.shipped_on == shipped_on)
    )
    query = Reminder.insert_from(
        rows,
        fields=[
            Reminder.order,
            Reminder.kind,
            Reminder.recipient,
            Reminder.message_id,
            Reminder.status,
            Reminder.send_after,
            Reminder.queued_by,
            Reminder.queued_at,
            Reminder.subject,
            Reminder.body,
            Reminder.last_error,
            Reminder.attempts,
        ],
    ).on_conflict(
        conflict_target=[Reminder.order, Reminder.kind],
        update={
            Reminder.status: ReminderStatus.QUEUED,
            Reminder.send_after: EXCLUDED.send_after,
            Reminder.queued_by: EXCLUDED.queued_by_id,
            Reminder.queued_at: EXCLUDED.queued_at,
            Reminder.attempts: 0,
            Reminder.last_error: "",
        },
        where=(Reminder.status == ReminderStatus.CANCELLED),
    )
    return query.as_rowcount().execute()
