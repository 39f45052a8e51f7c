"""Import of tracking data (SPEC job J2): check every row first, then apply all of them
in one transaction recorded as one action, so that undo takes the whole import back.

An empty cell leaves the stored value. A Shipped Date marks a pending order shipped on
that date and queues its first reminder; re-importing the same file changes nothing.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Iterator

from peewee import JOIN, DateField, IntegerField, TextField

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.services import carriers
from shiptui.services.carrier_detection import fits_carrier, number_lengths
from shiptui.i18n import _, counted, format_number, language_of_country, ngettext
from shiptui.services.actions import (
    begin_action,
    finish_action,
    import_parts,
    record_checked_changes,
    stamp,
    state_from,
    summary_parts,
)
from shiptui.services.carriers import SCIENTIFIC, normalize_tracking_number, validate_tracking_url
from shiptui.services.csv.dates import BadDate, parse_ship_date, us_date
from shiptui.services.csv.mapping import Mapping
from shiptui.services.csv.reading import CheckedRows, CsvFile, Problem, Problems, RejectedFile, Row, well_formed
from shiptui.services.csv.staging import CheckedChanges, RowSpill, in_batches
from shiptui.services.orders import order_status
from shiptui.services.outbox import queue_first_reminders
from shiptui.storage import Campaign, Order, OrderStatus
from shiptui.storage.bulk import KeyList, fetched_by_keys, staged_keys
from shiptui.storage.search import tracking_reindex
from shiptui.storage.models import BaseModel
from shiptui.storage.transactions import write_transaction

Progress = Callable[[float], None]

# A file names few carriers on many rows, and a lookup slugifies the name.
find_carrier = lru_cache(maxsize=256)(carriers.find_carrier)
normalize_carrier = lru_cache(maxsize=256)(carriers.normalize_carrier)
is_regional_name = lru_cache(maxsize=256)(carriers.is_regional_name)


def _carrier_named(cell: str, number_cell: str, country: str, fixed: dict[str, str]) -> str:
    """The carrier a cell names; "DHL", "Post", "Hermes" as the number and country say.
    A name that is not one of those names its carrier on every row: it goes into `fixed`."""
    if is_regional_name(cell):
        return carriers.resolve_carrier(cell, "".join(number_cell.split()).upper(), country)
    name = fixed[cell] = normalize_carrier(cell)
    return name


class StagedTracking(BaseModel):
    """Per-connection scratch table: each changed order's values after the import."""

    order_id = IntegerField(primary_key=True)
    version = IntegerField()  # as checked: an order changed since is not overwritten
    status = TextField()
    shipped_on = DateField(null=True)
    carrier = TextField()
    tracking_number = TextField()
    tracking_url = TextField()

    class Meta:
        temporary = True


@dataclass
class TrackingPreview(CheckedRows):
    """What an import would do, and every cell that keeps it from being done."""

    file: CsvFile
    mapping: Mapping
    rows: int = 0
    to_ship: int = 0
    tracking_updates: int = 0
    unchanged: int = 0
    problems: Problems = field(default_factory=Problems)
    warnings: Problems = field(default_factory=Problems)
    # (order id, version, status, shipped_on, carrier, number, url) of each changed order
    changes: CheckedChanges = field(default_factory=lambda: CheckedChanges(StagedTracking))
    ship_dates: set[date] = field(default_factory=set)
    to_wont_ship: int = 0  # pending orders the Status column marks won't ship
    detected: Counter[str] = field(default_factory=Counter)  # carriers told by the number
    by_country: int = 0  # of those, where several fit and the order's country chose

    def summary(self) -> str:
        parts = [
            counted(ngettext("{count} row read", "{count} rows read", self.rows), self.rows),
            *self.counts(),
            *([self.carriers_told()] if self.detected else []),
        ]
        return " · ".join(parts)

    def counts(self) -> list[str]:
        """What the import would do, count by count."""
        return [
            counted(ngettext("{count} to mark shipped", "{count} to mark shipped", self.to_ship), self.to_ship),
            *([counted(ngettext("{count} to mark won't ship", "{count} to mark won't ship", self.to_wont_ship), self.to_wont_ship)]
              if self.to_wont_ship else []),
            counted(ngettext("{count} tracking update", "{count} tracking updates", self.tracking_updates), self.tracking_updates),
            counted(ngettext("{count} unchanged", "{count} unchanged", self.unchanged), self.unchanged),
            counted(ngettext("{count} rejected", "{count} rejected", self.rejected_rows), self.rejected_rows),
        ]

    def carriers_told(self) -> str:
        """Which carriers the numbers told (where the file left the carrier empty)."""
        told = ", ".join(f"{carrier} {format_number(count)}" for carrier, count in self.detected.most_common())
        if self.by_country:
            told += "; " + _("{count} of them by the order's country").format(count=format_number(self.by_country))
        return _("carrier told by the number: {carriers}").format(carriers=told)


@dataclass
class ImportResult:
    file_name: str
    shipped: int = 0
    tracking_updated: int = 0
    unchanged: int = 0
    reminders_queued: int = 0
    wont_ship: int = 0
    action_id: int | None = None

    @property
    def changed(self) -> int:
        return self.shipped + self.tracking_updated + self.wont_ship

    def tally(self) -> dict:
        """What the import did, by name, as the action log keeps it."""
        return {"shipped": self.shipped, "wont_ship": self.wont_ship, "tracking_updated": self.tracking_updated,
                "unchanged": self.unchanged, "reminders_queued": self.reminders_queued}

    def parts(self) -> list[str]:
        """What it did, count by count, without the file's name."""
        return import_parts(self.tally())

    def summary(self) -> str:
        return " · ".join(summary_parts("import", self.tally(), self.file_name))


_NO_ORDER = ("", None, OrderStatus.PENDING, None, "", "", "", 0, "")


def _day(stored) -> date | None:
    return date.fromisoformat(stored) if isinstance(stored, str) else stored


def _iso(stored) -> str | None:
    """A stored date as staged (ISO text, as SQLite holds it)."""
    return stored.isoformat() if isinstance(stored, date) else stored


# Staged as plain text: the enum would cost each COPY line a conversion.
_SHIPPED, _WONT_SHIP = OrderStatus.SHIPPED.value, OrderStatus.WONT_SHIP.value


def _cell_problem(error: RejectedInput) -> tuple[str, str]:
    """A service's refusal as the table's two columns: what is wrong, what to do."""
    return error.reason, error.fix or _("correct the cell")


class _Cell(Exception):
    def __init__(self, key: str, reason: str, fix: str):
        self.key, self.reason, self.fix = key, reason, fix


def _tracking_number(cell: str, stored: str, carrier: carriers.Carrier | None) -> tuple[str, bool]:
    """The number as stored, and whether it is one its carrier issues (unknown carrier: yes)."""
    # letters and digits alone, what nearly every cell is, hold no space to take out
    digits = cell if cell.isalnum() and cell.isascii() else "".join(cell.split())
    if digits.isdigit():
        if stored.startswith("0") and stored.lstrip("0") == digits:
            return stored, True  # the exported number, whose zeros a spreadsheet dropped
        # only a number shorter than any of its carrier's, which zeros make one of them
        if carrier and len(digits) not in number_lengths(carrier.name):
            for zeros in range(1, 5):
                if fits_carrier(carrier.name, "0" * zeros + digits):
                    raise _Cell(
                        "tracking_number",
                        counted(ngettext("this is not a {carrier} tracking number, but it would be with "
                                "{count} leading zero: a spreadsheet dropped it",
                                "this is not a {carrier} tracking number, but it would be with "
                                "{count} leading zeros: a spreadsheet dropped them", zeros), zeros, carrier=carrier.name),
                        _("format the column as Text and enter the number as the carrier gave it"),
                    )
    try:
        number = normalize_tracking_number(cell)
    except RejectedInput as error:
        raise _Cell("tracking_number", *_cell_problem(error)) from None
    # the stored number is not checked again (a file imported twice): only a changed one is told
    return number, carrier is None or not number or number == stored or fits_carrier(carrier.name, number)


_CELLS = ("order_id", "shipped_date", "carrier", "tracking_number", "tracking_url", "status")


def check_tracking_file(
    campaign: Campaign, table: CsvFile, mapping: Mapping, progress: Progress | None = None
) -> TrackingPreview:
    """Read and check every row against the stored orders; writes nothing."""
    preview = TrackingPreview(table, mapping)
    columns = mapping.columns
    col_key = columns["order_id"]
    col_number = columns.get("tracking_number")
    headers = table.headers
    width = len(headers)
    # A row's cells by field in one call; a column the file lacks reads the "" after the cells.
    cells_of = itemgetter(*(columns.get(name, width) for name in _CELLS))
    lacking = [""] if any(name not in columns for name in _CELLS) else []

    today = clock.today()
    zero_led: dict[str, str] | None = None  # built when a numeric Order ID is not found
    dates: dict[str, date] = {}  # a file holds few distinct dates, on many rows
    languages: dict[str, str] = {}  # of the orders' countries, for their tracking pages
    named_carriers: dict[str, str] = {}  # a carrier cell by what it names (not "DHL", "Post": see _carrier_named)
    # Which orders a row has asked for already: a bit per order id, not a dict of a million
    # keys. Later rows of an order wait in `repeats` for their first row's data, which
    # `firsts` keeps on disk; a file repeating one row is held as one entry and its lines.
    seen = bytearray()
    firsts = RowSpill()  # (order id, line, what it asked for) of each order's first row
    repeats: dict[int, tuple[str, dict[tuple, array]]] = {}  # order id -> (key, {asked: lines})
    unknown = RowSpill()  # (order key, line, cell) of each row naming no order (on disk: all may)
    problems = preview.problems
    ship_dates = preview.ship_dates
    to_ship = to_wont_ship = tracking_updates = unchanged = 0

    def problem(line: int, key: str, value: str, reason: str, fix: str) -> None:
        index = columns.get(key, -1)
        problems.append(Problem(line, headers[index] if index >= 0 else "", value, reason, fix, index))

    def warn(line: int, index: int, value: str, reason: str, fix: str) -> None:
        preview.warnings.append(Problem(line, headers[index], value, reason, fix, index))

    def unpadded(key: str) -> str | None:
        nonlocal zero_led
        if zero_led is None:
            zero_led = _unpadded_keys(campaign)
        return zero_led.get(key)

    # The stored orders are looked up a batch of rows at a time, never all held at once.
    for batch, stored in _with_stored_orders(campaign, table.rows(progress), col_key, unpadded):
        preview.rows += len(batch)
        batch_firsts: list[tuple] = []  # kept on disk a batch at a time
        batch_changes: list[tuple] = []
        for line, cells in well_formed(batch, table, problems):
            key, date_cell, carrier_cell, number_cell, url_cell, status_cell = cells_of(
                cells + lacking if lacking else cells)
            if not key:
                problem(line, "order_id", "", _("the Order ID is empty"), _("fill in the Order ID of this row or delete the row"))
                continue
            order = stored.get(key)
            if order is None:
                if key.isdigit() and (order := stored.get(unpadded(key))):
                    preview.warnings.append(Problem(
                        line, headers[col_key], key, _("read as Order ID {order_id}: a spreadsheet "
                                                       "dropped its leading zeros").format(order_id=order[0]),
                        _("nothing to do (format the column as Text next time)"),
                        col_key,
                    ))
                    key = order[0]
                else:  # named after the loop; its cells are still checked
                    unknown.append((key, line, cells[col_key]))
                    order = _NO_ORDER
            _key, order_id, status, shipped_on, carrier, number, url, version, country = order
            failed = False
            day = None
            wanted = None  # the status the row asks for, if it has a Status column
            if status_cell:
                try:
                    wanted = order_status(status_cell)
                except RejectedInput:
                    problem(line, "status", status_cell, _("this is not a status shiptui knows"),
                            _("write Pending, Shipped or Won't ship"))
                    failed = True
            if date_cell:
                day = dates.get(date_cell)
                if day is None:
                    try:
                        day = dates[date_cell] = parse_ship_date(date_cell, today)
                    except BadDate as error:
                        problem(line, "shipped_date", date_cell, error.reason, error.fix)
                        failed = True
            new_carrier, new_number, new_url = carrier, number, url
            if carrier_cell or number_cell or url_cell:
                if carrier_cell:
                    new_carrier = named_carriers.get(carrier_cell) or _carrier_named(
                        carrier_cell, number_cell, country, named_carriers)
                plausible = True
                # each cell is checked on its own: a row's problems are all reported at once
                if number_cell:
                    try:
                        new_number, plausible = _tracking_number(number_cell, number, find_carrier(new_carrier))
                    except _Cell as error:
                        problem(line, error.key, number_cell, error.reason, error.fix)
                        failed = True
                elif col_number is not None:
                    if carrier_cell and url_cell:
                        missing = _("this row has a carrier and a URL but no tracking number")
                    elif carrier_cell:
                        missing = _("this row has a carrier but no tracking number")
                    else:
                        missing = _("this row has a URL but no tracking number")
                    warn(line, col_number, "", missing, _("fill in the tracking number (the row is imported without one)"))
                if url_cell:
                    try:
                        new_url = validate_tracking_url(url_cell)
                    except RejectedInput as error:
                        problem(line, "tracking_url", url_cell, *_cell_problem(error))
                        failed = True
                if not failed:
                    if number_cell and not new_carrier and new_number and new_number != number:
                        found = carriers.detect_carrier(new_number, country)
                        if found.carrier:
                            new_carrier = found.carrier
                            preview.detected[found.carrier] += 1
                            preview.by_country += found.by_country
                        else:
                            warn(line, col_number, number_cell, carriers.detection_warning(new_number, found),
                                 _("add a Tracking Carrier column, or check the number (it is imported as it is)"))
                    elif not plausible and new_number != number:
                        warn(line, col_number, number_cell, carriers.mismatch_warning(new_number, new_carrier),
                             _("check it (it is imported as it is)"))
                    if not url_cell and (new_number != number or new_carrier != carrier):
                        # the stored page was for the old number or carrier: use the carrier's
                        known = find_carrier(new_carrier)
                        if known and new_number:
                            language = languages.get(country)
                            if language is None:
                                language = languages[country] = language_of_country(country) or ""
                            new_url = known.tracking_url(new_number, language)
                        else:
                            new_url = ""
            if failed or order_id is None:
                continue
            asked = (day, new_carrier, new_number, new_url, wanted)
            byte, bit = divmod(order_id, 8)
            if byte >= len(seen):
                seen.extend(bytes(byte + 1 - len(seen) + 4096))
            if seen[byte] & (1 << bit):
                repeats.setdefault(order_id, (key, {}))[1].setdefault(asked, array("L")).append(line)
                continue
            seen[byte] |= 1 << bit
            batch_firsts.append((order_id, line, asked))

            tracking_changes = new_number != number or new_carrier != carrier or new_url != url
            ships = day is not None and status != OrderStatus.SHIPPED
            if wanted and (conflict := _status_conflict(wanted, status, day, tracking_changes)):
                problem(line, "status", status_cell, *conflict)
                continue
            if ships:
                if status == OrderStatus.WONT_SHIP:
                    problem(line, "shipped_date", date_cell,
                            _("order {order_id} is marked won't ship: it cannot take a ship date").format(order_id=key),
                            _("mark it shipped in shiptui first if it did ship, or empty this cell"))
                    continue
                to_ship += 1
                ship_dates.add(day)
                batch_changes.append((order_id, version, _SHIPPED, day.isoformat(), new_carrier, new_number, new_url))
                continue
            if status == OrderStatus.WONT_SHIP and tracking_changes:
                problem(line, "tracking_number", number_cell or carrier_cell or url_cell,
                        _("order {order_id} is marked won't ship: it cannot take tracking").format(order_id=key),
                        _("mark it shipped in shiptui first if it did ship, or empty this cell"))
                continue
            if status == OrderStatus.SHIPPED and day is not None and day != (shipped_on := _day(shipped_on)):
                problem(
                    line, "shipped_date", date_cell,
                    _("order {order_id} was already marked shipped on {day}").format(order_id=key, day=us_date(shipped_on)),
                    _("write {day} or leave the cell empty (undo that action in "
                      "shiptui first if that date was a mistake)").format(day=us_date(shipped_on)),
                )
                continue
            if wanted == OrderStatus.WONT_SHIP and status == OrderStatus.PENDING:
                to_wont_ship += 1
                status = _WONT_SHIP
            elif tracking_changes:
                tracking_updates += 1
            else:
                unchanged += 1
                continue
            batch_changes.append((order_id, version, status, _iso(shipped_on), new_carrier, new_number, new_url))
        firsts.extend(batch_firsts)
        preview.changes.extend(batch_changes)
    preview.to_ship, preview.to_wont_ship = to_ship, to_wont_ship
    preview.tracking_updates, preview.unchanged = tracking_updates, unchanged

    for batch in firsts.batches() if repeats else ():
        for order_id, first_line, first_asked in batch:
            key, askings = repeats.get(order_id, ("", {}))
            for line in chain.from_iterable(lines for asked, lines in askings.items() if asked != first_asked):
                problem(
                    line, "order_id", key,
                    _("this order is also on line {line}, with other data").format(line=first_line),
                    _("keep one row per order (delete or merge the other row)"),
                )
    _name_unknown(campaign, unknown, preview, problem)
    return preview


def _status_conflict(wanted: OrderStatus, status: str, day: date | None, tracking_changes: bool) -> tuple[str, str] | None:
    """Why a row's Status cannot be applied to the order: (reason, what to do), or None.

    The Shipped Date decides shipping: "Pending" is what an exported list said before the
    date was filled in, and asks for nothing.
    """
    if wanted == OrderStatus.SHIPPED and status != OrderStatus.SHIPPED and day is None:
        return _("the status says Shipped but the Shipped Date is empty"), _("fill in the day it shipped (MM/DD/YYYY)")
    if wanted != OrderStatus.WONT_SHIP or status == OrderStatus.WONT_SHIP:
        return None
    if status == OrderStatus.SHIPPED:
        return (_("the order is shipped: it is not marked won't ship"),
                _("undo the shipment in shiptui first if it was a mistake, or write Shipped"))
    if day is not None or tracking_changes:
        return (_("the status says Won't ship but the row has a ship date or tracking"),
                _("write Shipped, or empty the Shipped Date and tracking cells"))
    return None


def _with_stored_orders(campaign: Campaign, rows: Iterator[Row], col_key: int,
                        unpadded: Callable[[str], str | None]) -> Iterator[tuple[list[Row], dict[str, tuple]]]:
    """The rows a batch at a time, with the stored orders the batch names (by Order ID, also
    as written without its leading zeros)."""
    for batch in in_batches(rows):
        keys = {row.cells[col_key] for row in batch if col_key < len(row.cells)}
        keys |= {padded for key in keys if key.isdigit() and (padded := unpadded(key))}
        named = KeyList(keys)
        # The raw cursor: no model conversion per row (shipped_on may be ISO text, see _day).
        stored = {
            row[0]: row
            for row in fetched_by_keys(Order.select(
                Order.order_key, Order.id, Order.status, Order.shipped_on, Order.carrier,
                Order.tracking_number, Order.tracking_url, Order.version, Order.ship_country,
            ).from_(named).join(Order, JOIN.CROSS).where((Order.order_key == named.value) & (Order.campaign == campaign)))
        }
        yield batch, stored


def _unpadded_keys(campaign: Campaign) -> dict[str, str]:
    """The campaign's numeric Order IDs with leading zeros, by what a spreadsheet leaves of
    them (only where that is one ID: never a guess between two)."""
    found: dict[str, str] = {}
    clashes: set[str] = set()
    for (key,) in Order.select(Order.order_key).where(
        Order.campaign == campaign, Order.order_key.startswith("0")
    ).tuples().iterator():
        if key.isdigit():
            short = key.lstrip("0")
            if short in found:
                clashes.add(short)
            found[short] = key
    return {short: key for short, key in found.items() if short not in clashes}


def _name_unknown(campaign: Campaign, unknown, preview: TrackingPreview, problem) -> None:
    for batch in unknown.batches():  # a batch at a time: a file of another campaign names a million
        staged = staged_keys({key for key, _line, _value in batch})
        elsewhere = dict(
            Order.select(Order.order_key, Campaign.slug)
            .join(staged, on=(staged.key == Order.order_key)).switch(Order)
            .join(Campaign, on=(Order.campaign == Campaign.id))
            .where(Order.campaign != campaign)
            .tuples()
        )
        for key, line, value in batch:
            if SCIENTIFIC.fullmatch(key):
                problem(
                    line, "order_id", value,
                    _("a spreadsheet turned this Order ID into scientific notation; its digits are lost"),
                    _("format the column as Text and paste the Order IDs again"),
                )
            elif key in elsewhere:
                problem(
                    line, "order_id", value,
                    _("this order belongs to campaign {other}, not to {campaign}").format(
                        other=elsewhere[key], campaign=campaign.slug),
                    _("import this row into {other}, or delete it here").format(other=elsewhere[key]),
                )
            else:
                problem(
                    line, "order_id", value,
                    _("there is no order with this ID in campaign {campaign}").format(campaign=campaign.slug),
                    _("check the ID (shiptui orders {campaign}) or delete the row").format(campaign=campaign.slug),
                )


def apply_tracking_import(
    campaign: Campaign,
    preview: TrackingPreview,
    *,
    operator: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Apply a checked file in one transaction, as one action that undo takes back.

    Raises RejectedFile while the preview has problems, and RejectedInput (nothing
    written) when an order changed between the check and now.
    """
    if not preview.ok:
        raise RejectedFile(preview.file.path, preview.problems)
    result = ImportResult(preview.file.path.name, unchanged=preview.unchanged)
    if not preview.changes:
        return result

    def step(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    with preview.changes.staged(write_transaction(campaign)) as staged:
        step(0.2)
        action = begin_action(campaign, operator, "import", preview.file.path.name)
        recorded = record_checked_changes(action, staged)
        step(0.6)
        if recorded != len(preview.changes):
            raise RejectedInput(counted(
                ngettext("{count} order of {file} changed since the file was checked (another operator is at work): "
                "check the file again; nothing was changed",
                "{count} orders of {file} changed since the file was checked (another operator is at work): "
                "check the file again; nothing was changed",
                len(preview.changes) - recorded), len(preview.changes) - recorded, file=preview.file.path.name,
            ))
        with tracking_reindex(staged.select(staged.order_id)):
            Order.update(stamp(operator, **state_from(staged))).from_(staged).where(
                staged.order_id == Order.id).execute()
        step(0.7)
        result.reminders_queued = queue_first_reminders(
            action, campaign, preview.ship_dates, staged.select(staged.order_id))
        result.shipped = preview.to_ship
        result.tracking_updated = preview.tracking_updates
        result.wont_ship = preview.to_wont_ship
        return finish_action(action, result)
