"""Delivering due reminders over SMTP, once each, losing none.

One pass (`Sender.send_due`) claims batches of due reminders with a lease, sends each
batch over one SMTP connection, and records every outcome as soon as the relay answers:
- 250: sent (with the subject and body that went out);
- 4xx, a refused, dropped or timed-out connection: queued again after an exponential
  backoff with jitter, up to `Backoff.max_attempts`, then failed (`retry` revives it);
- 5xx: failed, with the relay's answer; one that says the mailbox does not exist (5.1.1,
  5.1.10, 5.2.1) also puts the address on the suppression list;
- 421/451 "too many" / "rate": queued again, and every sender slows down (see pace.py);
- a reminder that cannot become an email (a malformed address): failed, saying why;
- an address on the suppression list: `suppressed`, not sent.
The Message-ID was fixed when the reminder was queued; every attempt reuses it.
"""

from __future__ import annotations

import logging
import math
import os
import random
import smtplib
import socket
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import peewee

from shiptui import clock
from shiptui.errors import DatabaseLocked, DatabaseUnavailable, RejectedInput
from shiptui.i18n import _, counted, ngettext
from shiptui.services.mail import delivery, suppression
from shiptui.services.mail.html import render_html
from shiptui.services.mail.message import UnsendableMessage, build_message, one_line
from shiptui.services.mail.pace import Pace, is_throttled
from shiptui.services.mail.smtp_config import SmtpConfig
from shiptui.services.mail.template import CampaignTemplates, ReminderFacts, templates_of_campaigns
from shiptui.services.orders import get_order
from shiptui.storage import (
    FIRST_REVIEW,
    Campaign,
    Member,
    Order,
    Product,
    Reminder,
    close_database,
    database,
)

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100
DEFAULT_LEASE = timedelta(minutes=2)
# A paced sender that must wait longer than this for its slot hangs up meanwhile: relays
# drop idle sessions after a few minutes (RFC 5321 4.5.3.2.7).
IDLE_CONNECTION_SECONDS = 30.0
AUTO_SUPPRESSED_BY = "mail send"


@dataclass
class Backoff:
    """Delay before attempt n+1 after n failed ones: base * 2^(n-1), capped, with jitter.

    The jitter ("equal jitter": between half and all of the delay) keeps the reminders of
    one outage from all returning to the relay in the same second.
    """

    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 12  # four to six hours of trying with the defaults
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempts: int) -> timedelta:
        full = min(self.cap, self.base * 2 ** max(attempts - 1, 0)).total_seconds()
        # Whole seconds, as moments are stored.
        return timedelta(seconds=math.ceil(full / 2 + (full / 2) * self.rng.random()))


@dataclass(frozen=True)
class Outcome:
    reminder_id: int
    order_id: str
    recipient: str
    error: str


@dataclass
class SendReport:
    sent: int = 0
    retrying: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    suppressed: list[Outcome] = field(default_factory=list)
    relay_errors: list[str] = field(default_factory=list)  # could not connect / log in

    def summary(self) -> str:
        parts = [counted(ngettext("{count} sent", "{count} sent", self.sent), self.sent)]
        if self.retrying:
            parts.append(counted(ngettext("{count} to retry later", "{count} to retry later", len(self.retrying)), len(self.retrying)))
        if self.failed:
            parts.append(counted(ngettext("{count} failed", "{count} failed", len(self.failed)), len(self.failed)))
        if self.suppressed:
            parts.append(counted(ngettext("{count} suppressed", "{count} suppressed", len(self.suppressed)), len(self.suppressed)))
        return " · ".join(parts)

    def add(self, other: "SendReport") -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.suppressed += other.suppressed
        self.relay_errors += other.relay_errors


@dataclass(frozen=True)
class Outgoing:
    reminder_id: int
    message_id: str
    recipient: str
    attempts: int
    facts: ReminderFacts
    template: CampaignTemplates  # renders the facts in the member's language


class _RelayError(Exception):
    """The relay could not be reached or refused the session: every message waits."""


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def open_connection(config: SmtpConfig) -> smtplib.SMTP:
    """A ready SMTP session: connected, TLS as the URL asks, logged in."""
    # Loading the system's CA certificates takes tens of milliseconds: only for TLS.
    context = ssl.create_default_context() if config.scheme != "smtp" else None
    try:
        if config.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as error:
        raise _RelayError(f"cannot connect to {config.describe()}: {_describe(error)}") from None
    try:
        smtp.ehlo()
        if config.scheme == "smtp+starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.username:
            smtp.login(config.username, config.password)
    except UnicodeError:  # smtplib sends AUTH in ASCII only
        smtp.close()
        raise _RelayError(
            f"cannot log in to {config.describe()}: the SMTP password has non-ASCII characters, "
            "which SMTP AUTH cannot carry; set an ASCII password for the relay's user"
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        smtp.close()
        raise _RelayError(
            f"{config.describe()} refused the login of {config.username}: "
            f"{_answer(error.smtp_code, error.smtp_error)}"
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        smtp.close()
        raise _RelayError(f"SMTP session with {config.describe()} failed: {_describe(error)}") from None
    return smtp


def _hang_up(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _answer(error.smtp_code, error.smtp_error)
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    return str(error) or type(error).__name__


def load_outgoing(reminder_ids: list[int]) -> list[Outgoing]:
    """The claimed reminders with their order's current member, product and tracking."""
    query = (
        Reminder.select(
            Reminder.id, Reminder.message_id, Member.email, Reminder.attempts, Order.ship_name,
            Product.name, Order.quantity, Campaign.name, Order.order_key, Order.shipped_on,
            Order.carrier, Order.tracking_number, Order.tracking_url, Order.language,
            Product.sku, Campaign.review_url, Campaign.id, Campaign.language,
        )
        .join(Order, on=(Reminder.order == Order.id))
        .join(Member, on=(Order.member == Member.id))
        .switch(Order)
        .join(Product, on=(Order.product == Product.id))
        .switch(Order)
        .join(Campaign, on=(Order.campaign == Campaign.id))
        .where(Reminder.id.in_(reminder_ids))
        .order_by(Reminder.send_after, Reminder.id)
        .tuples()
    )
    rows = list(query)
    templates = templates_of_campaigns((row[16] for row in rows), {row[16]: row[17] for row in rows})
    return [
        Outgoing(
            reminder_id=row[0], message_id=row[1], recipient=row[2], attempts=row[3],
            # A line break or control character in a name or Order ID must not break the
            # body's layout (or a header): each value stays on its line.
            facts=ReminderFacts(*(one_line(value) if isinstance(value, str) else value for value in row[4:16])),
            template=templates[row[16]],
        )
        for row in rows
    ]


def compose(config: SmtpConfig, item: Outgoing) -> tuple[str, str, bytes]:
    """The subject, the text and the whole email (as sent in DATA) of one reminder."""
    template, facts = item.template.choose(item.facts)
    subject, body = template.render(facts)
    data = build_message(
        config=config, message_id=item.message_id, member_name=facts.member_name,
        recipient=item.recipient, order_id=facts.order_id, subject=subject, body=body,
        html=render_html(template, facts, subject),
    )
    return subject, body, data


def preview(config: SmtpConfig, campaign: Campaign, order_key: str) -> tuple[Reminder, bytes]:
    """The order's reminder and the exact email it would be if it were sent now; nothing changes."""
    order = get_order(campaign, order_key)
    reminder = Reminder.get_or_none(Reminder.order == order, Reminder.kind == FIRST_REVIEW)
    if reminder is None:
        raise RejectedInput(
            _("{order_id} has no reminder yet: one is queued when the order is marked shipped").format(order_id=order_key)
        )
    [item] = load_outgoing([reminder.id])
    try:
        return reminder, compose(config, item)[2]
    except (UnsendableMessage, KeyError, ValueError) as error:
        raise RejectedInput(_("the reminder of {order_id} cannot be sent: {error}").format(
            order_id=order_key, error=error)) from None


class Sender:
    def __init__(
        self,
        config: SmtpConfig,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        lease: timedelta = DEFAULT_LEASE,
        backoff: Backoff | None = None,
        stop: threading.Event | None = None,
        pace: Pace | None = None,
    ):
        self.config = config
        self.batch_size = batch_size
        self.lease = lease
        self.backoff = backoff or Backoff()
        self.stop = stop or threading.Event()
        self.pace = pace or Pace()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def send_due(self, limit: int | None = None) -> SendReport:
        """Send what is due now, batch by batch, until nothing is due (or `limit` were tried)."""
        report = SendReport()
        tried = 0
        delivery.skip_commit_flush()
        while not self.stop.is_set() and (limit is None or tried < limit):
            size = self.batch_size if limit is None else min(self.batch_size, limit - tried)
            claimed = delivery.claim_due(self.owner, size, self.lease)
            if not claimed:
                break
            tried += len(claimed)
            self._send_batch(claimed, report)
        return report

    def watch(self, poll_seconds: float = 5.0, on_pass=None) -> SendReport:
        """Keep sending until `stop` is set, looking for due reminders every `poll_seconds`."""
        total = SendReport()
        while not self.stop.is_set():
            try:
                report = self.send_due()
            except (DatabaseUnavailable, DatabaseLocked, peewee.OperationalError, peewee.InterfaceError) as error:
                # A database restart must not end the watch: what was leased when it
                # broke is taken up again when its lease runs out.
                log.warning("the database is unavailable (%s): trying again in %g s",
                            " ".join(str(error).split()), poll_seconds)
                close_database()  # a broken connection: the next query opens a new one
                self.stop.wait(poll_seconds)
                continue
            total.add(report)
            if on_pass is not None:
                on_pass(report)
            self.stop.wait(poll_seconds)
        return total

    # -- one batch over one connection ------------------------------------------------

    def _send_batch(self, claimed: list[int], report: SendReport) -> None:
        pending = self._not_suppressed(load_outgoing(claimed), report)
        smtp = None
        try:
            self._lease_until = clock.stored_now() + self.lease
            while pending:
                if self.stop.is_set():
                    return  # the rest is given back below
                pending = self._renewed(pending)
                if not pending:
                    return
                item = pending[0]
                try:
                    subject, body, data = compose(self.config, item)
                except (UnsendableMessage, KeyError, ValueError) as error:
                    pending.pop(0)
                    self._failed(item, f"not sent: {error}", report)
                    continue
                slot = self.pace.next_slot()
                if slot is not None:
                    if slot - self.pace.wall() > IDLE_CONNECTION_SECONDS and smtp is not None:
                        _hang_up(smtp)
                        smtp = None
                    if not self._wait_for(slot, pending):
                        continue  # stopped while waiting: the loop gives the rest back
                if smtp is None or smtp.sock is None:  # first message, or the relay hung up (421)
                    try:
                        smtp = open_connection(self.config)
                    except _RelayError as error:
                        report.relay_errors.append(str(error))
                        if is_throttled(421, str(error)):
                            self.pace.slow_down()
                        for waiting in pending:
                            self._temporary(waiting, str(error), report)
                        pending = []
                        return
                pending.pop(0)
                self._send_one(smtp, item, subject, body, data, report)
        finally:
            # Whatever ends the batch (an unexpected error too), no claim is left to run out.
            delivery.release([item.reminder_id for item in pending], self.owner)
            if smtp is not None and smtp.sock is not None:
                _hang_up(smtp)

    def _not_suppressed(self, batch: list[Outgoing], report: SendReport) -> list[Outgoing]:
        """The batch less the reminders to listed addresses, which are marked `suppressed`."""
        listed = suppression.suppressed_among([item.recipient for item in batch])
        for item in batch:
            if item.recipient in listed and delivery.record_suppressed(
                item.reminder_id, self.owner, recipient=item.recipient, reason="the address is on the suppression list"
            ):
                report.suppressed.append(Outcome(item.reminder_id, item.facts.order_id, item.recipient, "suppressed"))
        return [item for item in batch if item.recipient not in listed]

    def _renewed(self, pending: list[Outgoing]) -> list[Outgoing]:
        """`pending`, its lease extended once half of it has passed (less any another sender took)."""
        if clock.stored_now() < self._lease_until - self.lease / 2:
            return pending
        still = set(delivery.renew_lease([item.reminder_id for item in pending], self.owner, self.lease))
        self._lease_until = clock.stored_now() + self.lease
        return [item for item in pending if item.reminder_id in still]

    def _wait_for(self, slot: float, pending: list[Outgoing]) -> bool:
        """Wait until `slot` (Unix time), keeping the lease of `pending`; False if told to stop."""
        step = self.lease.total_seconds() / 3
        while (remaining := slot - self.pace.wall()) > 0:
            if self.stop.wait(min(remaining, step)):
                return False
            if remaining > step:
                delivery.renew_lease([item.reminder_id for item in pending], self.owner, self.lease)
        return True

    def _send_one(self, smtp: smtplib.SMTP, item: Outgoing, subject: str, body: str,
                  data: bytes, report: SendReport) -> None:
        try:
            smtp.sendmail(self.config.envelope_sender, [item.recipient], data)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(item.recipient, (-1, b"recipient refused"))
            self._answered(item, code, _answer(code, text), report)
        except smtplib.SMTPResponseException as error:
            self._answered(item, error.smtp_code, _answer(error.smtp_code, error.smtp_error), report)
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke mid-message: it may or may not have arrived; sending
            # again (same Message-ID) is the at-least-once side of that doubt.
            smtp.close()
            self._temporary(item, f"connection to {self.config.describe()} lost: {_describe(error)}", report)
        else:
            if delivery.record_sent(item.reminder_id, self.owner, recipient=item.recipient,
                                  subject=subject, body=body):
                report.sent += 1
            else:
                log.warning("reminder %s was sent after its lease passed to another sender", item.reminder_id)

    def _answered(self, item: Outgoing, code: int, answer: str, report: SendReport) -> None:
        if 500 <= code < 600 and suppression.mailbox_is_gone(answer):
            with database().atomic():  # failed and listed, or neither
                self._failed(item, answer, report)
                suppression.suppress([item.recipient], reason=answer, by=AUTO_SUPPRESSED_BY)
        elif 500 <= code < 600:
            self._failed(item, answer, report)
        else:
            if is_throttled(code, answer):
                self.pace.slow_down()
            self._temporary(item, answer, report)

    def _temporary(self, item: Outgoing, error: str, report: SendReport) -> None:
        if item.attempts >= self.backoff.max_attempts:
            self._failed(item, f"gave up after {item.attempts} attempts: {error}", report)
            return
        next_at = clock.stored_now() + self.backoff.delay(item.attempts)
        if delivery.record_retry(item.reminder_id, self.owner, error=error, next_attempt_at=next_at):
            report.retrying.append(Outcome(item.reminder_id, item.facts.order_id, item.recipient, error))

    def _failed(self, item: Outgoing, error: str, report: SendReport) -> None:
        if delivery.record_failed(item.reminder_id, self.owner, error=error):
            report.failed.append(Outcome(item.reminder_id, item.facts.order_id, item.recipient, error))
