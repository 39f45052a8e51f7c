"""The suppression list: addresses no reminder goes to, in any campaign.

An address gets on it by an operator (`mail suppress`, e.g. the platform's unsubscribe
export) or by the relay saying the mailbox does not exist. A due reminder to a listed
address is not sent but marked `suppressed`; taking the address off the list queues such
reminders again, so they go out after all if their shipment still stands.

Addresses compare as mail does: the domain in any case, the local part as given
(RFC 5321 leaves its case to the receiving host).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.i18n import _
from shiptui.services.csv.reading import Problem, RejectedFile, column_letter, open_csv
from shiptui.services.mail.message import UnsendableMessage, check_recipient
from shiptui.services.orders import chunked
from shiptui.storage import Reminder, ReminderStatus, Suppression, database

# Enhanced status codes (RFC 3463) that mean the mailbox does not exist or is disabled:
# 5.1.1 bad destination mailbox, 5.1.10 null MX / recipient address has no mail host,
# 5.2.1 mailbox disabled. Anything else permanent (5.7.1 policy, 5.2.2 full) is not
# the address's fault for good.
_GONE_MAILBOX = re.compile(r"^5\d\d[ -]5\.(?:1\.1|1\.10|2\.1)(?![.\d])")
EMAIL_HEADERS = ("email", "e-mail", "email address", "e-mail address", "mail")


def mailbox_is_gone(answer: str) -> bool:
    """Does this SMTP answer ("550 5.1.1 ...") say the mailbox does not exist?"""
    return bool(_GONE_MAILBOX.match(answer))


def address_key(address: str) -> str:
    """How an address is compared and stored: as given, with the domain in lower case."""
    local, _, domain = address.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def check_address(address: str) -> str | None:
    """The key of `address`, or None if it is not one plain email address."""
    try:
        return address_key(check_recipient(address))
    except UnsendableMessage:
        return None


@dataclass(frozen=True)
class SuppressionRow:
    email: str
    reason: str
    since: datetime  # local, timezone-aware
    by: str


@dataclass
class SuppressResult:
    added: list[str]
    already: list[str]
    reminders_suppressed: int


@dataclass
class UnsuppressResult:
    removed: list[str]
    not_listed: list[str]
    reminders_queued: int


def _keys(addresses: list[str]) -> list[str]:
    bad = [address for address in addresses if check_address(address) is None]
    if bad:
        shown = ", ".join(repr(address) for address in bad[:5])
        if len(bad) > 5:
            shown += " " + _("and more")
        raise RejectedInput(
            _("not an email address: {addresses}; nothing was changed (give addresses like member@example.com)").format(
                addresses=shown)
        )
    return list(dict.fromkeys(address_key(address) for address in addresses))


def _listed(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunked(keys):
        found.update(
            address for (address,) in
            Suppression.select(Suppression.address).where(Suppression.address.in_(list(chunk))).tuples()
        )
    return found


def suppressed_among(addresses: list[str]) -> set[str]:
    """The addresses (as given) of `addresses` that are on the list."""
    listed = _listed(list({address_key(address) for address in addresses}))
    return {address for address in addresses if address_key(address) in listed}


def _reminders_to(keys: list[str], query: peewee.ModelSelect, address: peewee.Field) -> list[int]:
    """Ids of the reminders `query` finds whose `address` has one of `keys`.

    SQL narrows by lower case (the same on SQLite and PostgreSQL); the exact rule, the
    local part as given, is applied here.
    """
    wanted = set(keys)
    ids = []
    for chunk in chunked(sorted({key.lower() for key in keys})):
        rows = query.where(peewee.fn.LOWER(address).in_(list(chunk))).tuples()
        ids += [reminder_id for reminder_id, email in rows if address_key(email) in wanted]
    return ids


def suppress(addresses: list[str], *, reason: str, by: str) -> SuppressResult:
    """Put addresses on the list; their queued reminders become `suppressed` at once."""
    keys = _keys(addresses)
    with database().atomic():
        already = _listed(keys)
        added = [key for key in keys if key not in already]
        since = clock.stored_now()
        for chunk in chunked(added):
            Suppression.insert_many(
                [{"address": key, "reason": reason, "since": since, "suppressed_by": by} for key in chunk]
            ).on_conflict_ignore().execute()
        queued = Reminder.select(Reminder.id, Reminder.recipient).where(Reminder.status == ReminderStatus.QUEUED)
        ids = _reminders_to(keys, queued, Reminder.recipient)
        count = 0
        for chunk in chunked(ids):
            count += Reminder.update(
                status=ReminderStatus.SUPPRESSED, last_error=f"suppressed: {reason}", next_attempt_at=None
            ).where(Reminder.id.in_(list(chunk)), Reminder.status == ReminderStatus.QUEUED).execute()
    return SuppressResult(added, [key for key in keys if key in already], count)


def suppress_file(path: str | Path, *, reason: str, by: str) -> SuppressResult:
    """Put every address of a CSV file's Email column on the list (all or nothing)."""
    table = open_csv(path)
    folded = [header.casefold() for header in table.headers]
    column = next((folded.index(name) for name in EMAIL_HEADERS if name in folded), None)
    if column is None:
        raise RejectedFile(table.path, [Problem(
            table.header_line, "", ", ".join(table.headers),
            _("the file has no Email column"), _("give a CSV file with the addresses under a header named Email"),
        )])
    addresses, problems = [], []
    for row in table.rows():
        cell = row.cells[column] if column < len(row.cells) else ""
        if not cell:
            continue
        if check_address(cell) is None:
            problems.append(Problem(
                row.line, table.headers[column], cell, _("is not an email address"),
                _("correct it or delete the row"), column,
            ))
        addresses.append(cell)
    if problems:
        raise RejectedFile(table.path, problems)
    if not addresses:
        raise RejectedInput(
            _("{file}: column {column} ({header}) has no addresses").format(
                file=table.path.name, column=column_letter(column), header=repr(table.headers[column]))
        )
    return suppress(addresses, reason=reason, by=by)


def unsuppress(addresses: list[str]) -> UnsuppressResult:
    """Take addresses off the list; their suppressed reminders are queued again."""
    keys = _keys(addresses)
    with database().atomic():
        listed = _listed(keys)
        for chunk in chunked(sorted(listed)):
            Suppression.delete().where(Suppression.address.in_(list(chunk))).execute()
        held = Reminder.select(Reminder.id, Reminder.recipient).where(Reminder.status == ReminderStatus.SUPPRESSED)
        ids = _reminders_to(sorted(listed), held, Reminder.recipient)
        count = 0
        for chunk in chunked(ids):
            # Due again at once (not before its send_after), with its attempts afresh.
            count += Reminder.update(
                status=ReminderStatus.QUEUED, attempts=0, last_error="", next_attempt_at=None
            ).where(Reminder.id.in_(list(chunk)), Reminder.status == ReminderStatus.SUPPRESSED).execute()
    return UnsuppressResult([key for key in keys if key in listed], [key for key in keys if key not in listed], count)


def suppressions() -> list[SuppressionRow]:
    return [
        SuppressionRow(address, reason, clock.local_from_stored(since), by)
        for address, reason, since, by in Suppression.select(
            Suppression.address, Suppression.reason, Suppression.since, Suppression.suppressed_by
        ).order_by(Suppression.address).tuples()
    ]
