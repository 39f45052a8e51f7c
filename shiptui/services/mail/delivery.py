"""Delivery: the sender's side of the outbox (queueing is services/outbox.py).

A sender claims due messages by setting status `sending` and a lease (owner, expiry) in
one short write transaction; PostgreSQL skips rows another sender holds locked, SQLite
serialises claims on its write lock. Each outcome is recorded right after the SMTP
answer, so a sender killed mid-batch leaves at most its in-flight message unrecorded:
its lease runs out, another sender claims it again, and it may go twice (same
Message-ID), never more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import peewee
from peewee import Case, Value

from shiptui import clock
from shiptui.storage import Order, OrderStatus, Reminder, ReminderStatus, SendPace, database
from shiptui.storage.database import is_postgres


_NO_LEASE = {Reminder.lease_owner: None, Reminder.lease_expires_at: None}


def _due(now: datetime) -> peewee.Expression:
    waiting = (
        (Reminder.status == ReminderStatus.QUEUED)
        & (Reminder.send_after <= now)
        & (Reminder.next_attempt_at.is_null() | (Reminder.next_attempt_at <= now))
    )
    abandoned = (Reminder.status == ReminderStatus.SENDING) & (Reminder.lease_expires_at <= now)
    return waiting | abandoned


def claim_due(owner: str, limit: int, lease: timedelta) -> list[int]:
    """Lease up to `limit` due reminders to `owner`, counting the attempt; their ids, due first."""
    db = database()
    now = clock.stored_now()
    with db.atomic():
        # A sender died with this reminder in flight, and undo has since taken back the
        # shipment: it may have reached the member or not, but it is not sent again.
        Reminder.update(
            {
                Reminder.status: ReminderStatus.CANCELLED,
                Reminder.last_error: "shipment undone while this reminder was being sent; "
                "it may have reached the member",
                **_NO_LEASE,
            }
        ).where(
            (Reminder.status == ReminderStatus.SENDING)
            & (Reminder.lease_expires_at <= now)
            & Reminder.order.in_(Order.select(Order.id).where(Order.status != OrderStatus.SHIPPED))
        ).execute()
        query = (
            Reminder.select(Reminder.id)
            .where(_due(now))
            .order_by(Reminder.send_after, Reminder.id)
            .limit(limit)
        )
        if is_postgres(db):
            query = query.for_update(skip_locked=True)
        ids = [reminder_id for (reminder_id,) in query.tuples()]
        if ids:
            Reminder.update(
                status=ReminderStatus.SENDING,
                lease_owner=owner,
                lease_expires_at=now + lease,
                attempts=Reminder.attempts + 1,
            ).where(Reminder.id.in_(ids)).execute()
    return ids


def _update_held(reminder_id: int, owner: str, values: dict) -> bool:
    """Update a reminder only while `owner` holds its lease: one statement per SMTP answer.

    Written as SQL rather than built by peewee per call: building the query cost as much
    as the SMTP exchange itself, and the sender must keep pace with a bare smtplib loop.
    """
    db = database()
    values = {**values, **_NO_LEASE}
    assignments = ", ".join(f"{field.column_name} = {db.param}" for field in values)
    sql = (
        f"UPDATE {Reminder._meta.table_name} SET {assignments} "
        f"WHERE id = {db.param} AND status = {db.param} AND lease_owner = {db.param}"
    )
    params = [field.db_value(value) for field, value in values.items()]
    cursor = db.execute_sql(sql, [*params, reminder_id, ReminderStatus.SENDING.value, owner])
    return cursor.rowcount == 1


def skip_commit_flush() -> None:
    """Let this connection's commits return before PostgreSQL flushes them to disk.

    For the sender only: a claim or outcome lost in a PostgreSQL crash (not a sender's)
    means a reminder is sent once more, with its Message-ID; nothing is lost, and the
    flush per email would cost more than the SMTP exchange.
    """
    db = database()
    if is_postgres(db):
        db.execute_sql("SET synchronous_commit TO OFF")


def record_sent(reminder_id: int, owner: str, *, recipient: str, subject: str, body: str) -> bool:
    """The relay accepted it: keep what was sent. False if the lease had passed to another sender."""
    return _update_held(reminder_id, owner, {
        Reminder.status: ReminderStatus.SENT.value,
        Reminder.sent_at: clock.stored_now(),
        Reminder.recipient: recipient,
        Reminder.subject: subject,
        Reminder.body: body,
        Reminder.last_error: "",
        Reminder.next_attempt_at: None,
    })


def record_retry(reminder_id: int, owner: str, *, error: str, next_attempt_at: datetime) -> bool:
    """A temporary failure: queued again, not before `next_attempt_at` (stored form)."""
    return _update_held(reminder_id, owner, {
        Reminder.status: ReminderStatus.QUEUED.value,
        Reminder.last_error: error,
        Reminder.next_attempt_at: next_attempt_at,
    })


def record_failed(reminder_id: int, owner: str, *, error: str) -> bool:
    """A permanent failure, with the relay's answer; `retry` queues it again."""
    return _update_held(reminder_id, owner, {
        Reminder.status: ReminderStatus.FAILED.value,
        Reminder.last_error: error,
        Reminder.next_attempt_at: None,
    })


def record_suppressed(reminder_id: int, owner: str, *, recipient: str, reason: str) -> bool:
    """Not sent: the address is on the suppression list (taking it off queues the reminder again)."""
    return _update_held(reminder_id, owner, {
        Reminder.status: ReminderStatus.SUPPRESSED.value,
        Reminder.recipient: recipient,
        Reminder.last_error: f"suppressed: {reason}",
        Reminder.next_attempt_at: None,
    })


def release(reminder_ids: list[int], owner: str) -> int:
    """Give back leased reminders that were not attempted (a sender stopping): due again at once."""
    if not reminder_ids:
        return 0
    return (
        Reminder.update(
            {Reminder.status: ReminderStatus.QUEUED, Reminder.attempts: Reminder.attempts - 1, **_NO_LEASE}
        )
        .where(
            Reminder.id.in_(reminder_ids),
            Reminder.status == ReminderStatus.SENDING,
            Reminder.lease_owner == owner,
        )
        .execute()
    )


def renew_lease(reminder_ids: list[int], owner: str, lease: timedelta) -> list[int]:
    """Extend the lease of a long batch; the ids still held (a lapsed one may be another's now)."""
    if not reminder_ids:
        return []
    held = (
        (Reminder.id.in_(reminder_ids))
        & (Reminder.status == ReminderStatus.SENDING)
        & (Reminder.lease_owner == owner)
    )
    with database().atomic():
        Reminder.update(lease_expires_at=clock.stored_now() + lease).where(held).execute()
        still = {reminder_id for (reminder_id,) in Reminder.select(Reminder.id).where(held).tuples()}
    return [reminder_id for reminder_id in reminder_ids if reminder_id in still]


# --- Pace: one send slot shared by every sender on this database -------------------------
#
# The relay's limit holds for all senders together, so the next free moment to send is a
# row in the database: a sender takes the slot and moves it on by its interval in one
# statement (a short write, atomic on SQLite and PostgreSQL alike), then waits for it.

_PACE_ROW = 1


def take_send_slot(interval: float, now: float) -> float:
    """The moment (Unix time) this sender may send its next message; the next sender's is `interval` later."""
    row = SendPace.insert(id=_PACE_ROW, next_slot=now).on_conflict_ignore()
    row.execute()
    slot = Case(None, [(SendPace.next_slot > now, SendPace.next_slot)], Value(now))
    taken = (
        SendPace.update(next_slot=slot + interval)
        .where(SendPace.id == _PACE_ROW)
        .returning(SendPace.next_slot)
        .tuples()
        .execute()
    )
    return next(iter(taken))[0] - interval


def hold_sending_until(moment: float) -> None:
    """No sender on this database takes a slot before `moment` (the relay asked us to slow down)."""
    SendPace.insert(id=_PACE_ROW, next_slot=moment).on_conflict(
        conflict_target=[SendPace.id],
        update={SendPace.next_slot: Case(None, [(SendPace.next_slot < moment, moment)], SendPace.next_slot)},
    ).execute()
