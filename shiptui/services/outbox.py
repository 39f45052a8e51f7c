"""The reminder outbox: rows written in the same transaction as the state change."""

from __future__ import annotations

import socket
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache

import peewee
from peewee import EXCLUDED, Case, Value

from shiptui import clock, config
from shiptui.errors import NotFound, RejectedInput
from shiptui.i18n import _, pgettext
from shiptui.services.orders import chunked
from shiptui.storage import (
    FIRST_REVIEW,
    Action,
    Campaign,
    Member,
    Order,
    Reminder,
    ReminderStatus,
    database,
)
from shiptui.storage.bulk import stream

# However early a ship date lies, a reminder waits this long, so a mistake can be undone
# before any member is emailed.
UNDO_GRACE = timedelta(hours=1)

UNSENT = (ReminderStatus.QUEUED, ReminderStatus.FAILED, ReminderStatus.SUPPRESSED)


def status_word(status: str) -> str:
    """A stored reminder status (or "none": no reminder) in the operator's language, the
    words of the dashboard's Mail column (geplant), for the console and the CLI alike."""
    words = {
        "none": pgettext("reminder", "none"),
        "queued": pgettext("reminder", "queued"), "sending": pgettext("reminder", "sending"),
        "sent": pgettext("reminder", "sent"), "failed": pgettext("reminder", "failed"),
        "cancelled": pgettext("reminder", "cancelled"), "suppressed": pgettext("reminder", "suppressed"),
    }
    return words.get(status, status)


def message_id_domain() -> str:
    """The right side of a Message-ID: the configured sender's domain, else this host's name."""
    _, sender = parseaddr(config.mail_from())
    return sender.rpartition("@")[2] or _host_name()


@lru_cache(maxsize=1)
def _host_name() -> str:
    return socket.getfqdn() or "localhost"


def first_reminder_due(campaign: Campaign, shipped_on: date) -> datetime:
    """When the first reminder of an order shipped on `shipped_on` may be sent (stored form)."""
    now = clock.now()
    due = datetime.combine(
        shipped_on + timedelta(days=campaign.reminder_delay_days), now.timetz()
    )
    return clock.utc_naive(max(due, now + UNDO_GRACE))


def queue_first_reminders(
    action: Action, campaign: Campaign, shipped_on: date | Collection[date], changed: peewee.Select
) -> int:
    """Queue the first review reminder of every order `action` shipped on `shipped_on`
    (a day, or several: an import ships on many days, in one statement). `changed`: a
    query of the ids of the orders `action` changed (its staged, analysed table: the
    database plans the join by its size).

    One reminder per order, ever: an order that already has one keeps it, except that a
    reminder cancelled by an undo is queued again. Returns how many were queued.
    """
    days = [shipped_on] if isinstance(shipped_on, date) else sorted(shipped_on)
    if not days:
        return 0
    due = Case(
        Order.shipped_on,
        [
            (Value(day, converter=Order.shipped_on.db_value),
             Value(first_reminder_due(campaign, day), converter=Reminder.send_after.db_value))
            for day in days
        ],
    )
    message_id = (
        Value(f"<first-review.{campaign.slug}.").concat(peewee.Cast(Order.id, "text")).concat(f"@{message_id_domain()}>")
    )
    rows = (
        Order.select(
            Order.id,
            Value(FIRST_REVIEW),
            Member.email,
            message_id,
            Value(ReminderStatus.QUEUED),
            due,
            Value(action.id),
            Value(clock.stored_now()),
            Value(""),
            Value(""),
            Value(""),
            Value(0),
        )
        .join(Member, on=(Order.member == Member.id))
        # Only orders shipped on one of the days have a due time. Tested so, not as
        # `shipped_on IN (days)`: PostgreSQL's statistics never know a day just shipped on,
        # so it took 100,000 such orders for one and joined them by an index lookup each
        # (an import's reminders: 0.27 s instead of 0.07 s for the join).
        .where(Order.id.in_(changed), due.is_null(False))
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
    )
    # Most often none of the orders has a reminder yet: then a plain INSERT, as PostgreSQL
    # inserts every row of an INSERT … ON CONFLICT speculatively (4.4-4.8 s instead of
    # 2.8-3.4 s for 100,000 new reminders). The unique (order, kind) index keeps the rule.
    if Reminder.select().where(Reminder.order.in_(changed), Reminder.kind == FIRST_REVIEW).exists():
        query = query.on_conflict(
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


# --- What the operator sees and does -----------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    id: int
    campaign: str  # slug
    order_id: str
    member_name: str
    email: str
    status: str
    send_after: datetime  # local, timezone-aware
    next_attempt_at: datetime | None
    attempts: int
    last_error: str
    message_id: str
    sent_at: datetime | None

    @property
    def due(self) -> datetime:
        """When the sender will next try it."""
        if self.next_attempt_at and self.next_attempt_at > self.send_after:
            return self.next_attempt_at
        return self.send_after


def _local(stored: datetime | None) -> datetime | None:
    return clock.local_from_stored(stored) if stored else None


def _scope(status: str | None, campaign: Campaign | None) -> peewee.Expression:
    condition = Value(True)
    if status:
        condition &= Reminder.status == status
    if campaign is not None:
        condition &= Reminder.order.in_(Order.select(Order.id).where(Order.campaign == campaign))
    return condition


def outbox_rows(
    *,
    status: str | None = None,
    campaign: Campaign | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[OutboxRow]:
    """Reminders in the order the sender takes them (due first); `offset` skips that
    many, for reading a long list a page at a time."""
    return [_outbox_row(row) for row in _outbox_query(status, campaign, limit=limit).offset(offset or None)]


def stream_outbox_rows(*, status: str | None = None, campaign: Campaign | None = None) -> Iterator[OutboxRow]:
    """Like `outbox_rows`, a batch at a time: for listings of any length."""
    return map(_outbox_row, stream(_outbox_query(status, campaign)))


def _outbox_query(status: str | None, campaign: Campaign | None, *, limit: int | None = None) -> peewee.Select:
    return (
        Reminder.select(
            Reminder.id, Campaign.slug, Order.order_key, Order.ship_name, Reminder.recipient,
            Reminder.status, Reminder.send_after, Reminder.next_attempt_at, Reminder.attempts,
            Reminder.last_error, Reminder.message_id, Reminder.sent_at,
        )
        .join(Order, on=(Reminder.order == Order.id))
        .join(Campaign, on=(Order.campaign == Campaign.id))
        .where(_scope(status, campaign))
        .order_by(Reminder.send_after, Reminder.id)
        .limit(limit)
        .tuples()
    )


def _outbox_row(row: tuple) -> OutboxRow:
    return OutboxRow(
        id=row[0], campaign=row[1], order_id=row[2], member_name=row[3], email=row[4],
        status=row[5], send_after=_local(row[6]), next_attempt_at=_local(row[7]),
        attempts=row[8], last_error=row[9], message_id=row[10], sent_at=_local(row[11]),
    )


def outbox_counts(campaign: Campaign | None = None) -> dict[str, int]:
    """How many reminders are in each status (every status present, zero or not)."""
    counts = dict.fromkeys((status.value for status in ReminderStatus), 0)
    counts.update(
        Reminder.select(Reminder.status, peewee.fn.COUNT(Reminder.id))
        .where(_scope(None, campaign))
        .group_by(Reminder.status)
        .tuples()
    )
    return counts


RETRYABLE = (ReminderStatus.FAILED, ReminderStatus.QUEUED)


def retry(reminder_ids: list[int] | None = None, *, campaign: Campaign | None = None) -> int:
    """Queue reminders again for the next sender run: the given ones, else every failed one.

    A failed reminder starts its attempts afresh; a queued one waiting out a backoff
    becomes due at once (never before its send_after). Sent, cancelled and in-flight ones
    cannot be retried: naming one rejects the whole request. Returns how many were queued.
    """
    with database().atomic():
        if reminder_ids is None:
            chosen = Reminder.select(Reminder.id).where(_scope(ReminderStatus.FAILED, campaign))
        else:
            wanted = list(dict.fromkeys(reminder_ids))
            found = {}
            for chunk in chunked(wanted):
                found.update(
                    Reminder.select(Reminder.id, Reminder.status)
                    .where(Reminder.id.in_(list(chunk)), _scope(None, campaign))
                    .tuples()
                )
            missing = [str(i) for i in wanted if i not in found]
            if missing:
                unknown = (_("no reminder with id {ids} in campaign {campaign}") if campaign
                           else _("no reminder with id {ids}")).format(ids=", ".join(missing), campaign=campaign and campaign.slug)
                raise NotFound(
                    _("{unknown}; nothing was retried (see the ids with `shiptui mail list`)").format(unknown=unknown)
                )
            refused = [f"{i} ({found[i]})" for i in wanted if found[i] not in RETRYABLE]
            if refused:
                raise RejectedInput(
                    _("only failed or queued reminders can be retried, not {reminders}; nothing was retried").format(
                        reminders=", ".join(refused))
                )
            chosen = wanted
        return (
            Reminder.update(
                {
                    Reminder.status: ReminderStatus.QUEUED,
                    Reminder.next_attempt_at: None,
                    Reminder.attempts: peewee.Case(
                        None, [(Reminder.status == ReminderStatus.FAILED, 0)], Reminder.attempts
                    ),
                }
            )
            .where(Reminder.id.in_(chosen), Reminder.status.in_(RETRYABLE))
            .execute()
        )
