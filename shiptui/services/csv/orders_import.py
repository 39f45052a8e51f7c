"""Loading a campaign's orders (members, products, orders) from a CSV file.

Same reading, mapping and checking as the tracking import: every row is checked
before anything is written, then everything is written in one transaction. Loading
the same file again adds nothing. A member is found by email and a product by SKU.
Each new order keeps the name and address of its row (its ship-to): members are shared
by email across campaigns, and loading one campaign never moves another's parcels. A
member's own name and address are brought up to date from the file; the load records
those changes as an action, so the log shows them and undo puts them back.
"""

from __future__ import annotations

import json
import sqlite3
from operator import itemgetter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import DOT_ATOM_TEXT, EMAIL_MAX_LENGTH
from peewee import JOIN, Expression, IntegerField, TextField, Value

from shiptui import clock
from shiptui.i18n import N_, _, counted, language_of_country, language_tag, ngettext
from shiptui.services.csv.mapping import Mapping
from shiptui.services.csv.reading import (
    CheckedRows, CsvFile, Problem, Problems, RejectedFile, well_formed,
)
from shiptui.services.actions import begin_action, record_member_changes
from shiptui.services.csv.staging import CopyText, ScratchFile, attached, in_batches
from shiptui.storage import SHIP_TO, Action, Campaign, Member, Order, OrderStatus, Product
from shiptui.storage.bulk import KeyList, fetched_by_keys, insert_orders_from, insert_rows, stage
from shiptui.storage.database import database, is_postgres
from shiptui.storage.models import BaseModel
from shiptui.storage.search import derived_columns
from shiptui.storage.transactions import write_transaction

Progress = Callable[[float], None]

MEMBER_FIELDS = (
    "member_name", "address_line1", "address_line2", "city", "region", "postal_code", "country",
)
_COUNTRY = MEMBER_FIELDS.index("country")
_MEMBER_COLUMNS = SHIP_TO  # a member's name and address, as the file gives an order's ship-to
MAX_QUANTITY = 1000


# The longest form (as written, normalised, IDNA) of each domain an accepted address had:
# the domain is most of validate_email's ~50 us, and a file names few domains on many rows.
_accepted_domains: dict[str, int] = {}
_DOMAINS_KEPT = 10_000  # a file of a million domains checks each in full, in bounded memory


def sendable_address(email: str) -> str:
    """`email` as the sender can use it (an internationalised domain IDNA-encoded), or
    EmailNotValidError saying why the relay would refuse it (no DNS look-up)."""
    local, _at, domain = email.rpartition("@")
    plain = email.isascii() and DOT_ATOM_TEXT.match(local) is not None
    longest = _accepted_domains.get(domain) if plain else None
    # What validate_email checks of an address whose domain it accepted before: a plain
    # local part (no quotes, display name or second @-sign) and the lengths.
    if longest is not None and len(local) + 1 + longest <= EMAIL_MAX_LENGTH:
        return email
    checked = validate_email(email, check_deliverability=False, allow_smtputf8=False)
    if plain and len(_accepted_domains) < _DOMAINS_KEPT:
        _accepted_domains[domain] = max(len(form.encode()) for form in (domain, checked.domain, checked.ascii_domain))
    # An ASCII address stays as written: members already stored are found by it.
    return email if email.isascii() else checked.ascii_email


def _as_sent(email: str) -> str:
    """`email` as sendable_address gives it, or as written where it is refused."""
    try:
        return sendable_address(email)
    except EmailNotValidError:
        return email


def _sentence(error: EmailNotValidError) -> str:
    text = str(error).rstrip(".")
    return text[:1].lower() + text[1:]


# (field, what is wrong, what to do) of the cells a row needs, in the order a row's cells
# are read (see _ROW_FIELDS); translated only when empty.
_REQUIRED_CELLS = (
    ("order_id", N_("the Order ID is empty"), N_("fill in the Order ID of this row")),
    ("member_name", N_("the member name is empty"), N_("fill in the member name of this row")),
    ("email", N_("the email is empty"), N_("fill in the email of this row")),
    ("product", N_("the product is empty"), N_("fill in the product of this row")),
    ("sku", N_("the SKU is empty"), N_("fill in the SKU of this row")),
)
# The fields a row is read as, in one step per row: the required ones, then the rest of the member.
_ROW_FIELDS = (*(field for field, _empty, _fill in _REQUIRED_CELLS), "quantity", "language", *MEMBER_FIELDS[1:])


# The check's members and orders by email and Order ID, with their state: new, changed, same
# (or conflict). An order's row is the one its apply inserts (SQLite reads it there): its line
# (the file's order: new orders take ids in it), values, ship-to and search columns.
_SCRATCH = """
CREATE TABLE member (email TEXT PRIMARY KEY, line INTEGER, state TEXT, member_name TEXT, address_line1 TEXT,
    address_line2 TEXT, city TEXT, region TEXT, postal_code TEXT, country TEXT);
CREATE TABLE orders (position INTEGER PRIMARY KEY, order_key TEXT UNIQUE, state TEXT, email TEXT, sku TEXT,
    quantity INTEGER, language TEXT, ship_name TEXT, ship_address_line1 TEXT, ship_address_line2 TEXT,
    ship_city TEXT, ship_region TEXT, ship_postal_code TEXT, ship_country TEXT, search_text TEXT, sort_key TEXT);
"""
_NEW_MEMBERS = "SELECT {columns} FROM member WHERE state = ?"  # the members (of a state) that new orders need
_OF_NEW_ORDERS = " AND email IN (SELECT email FROM orders WHERE state = 'new')"


@dataclass
class OrdersPreview(CheckedRows):
    """Counts and problems; the checked members and orders wait in `scratch` (on disk), the
    new ones on PostgreSQL also as the COPY text the apply sends (`new_member_rows`,
    `new_order_rows`)."""

    file: CsvFile
    mapping: Mapping
    rows: int = 0
    new_orders: int = 0
    unchanged: int = 0
    new_members: int = 0
    changed_members: int = 0
    products: dict[str, str] = field(default_factory=dict)  # sku -> name
    new_products: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    scratch: ScratchFile = field(default_factory=lambda: ScratchFile(_SCRATCH))
    new_member_rows: CopyText | None = field(default_factory=lambda: CopyText() if is_postgres(database()) else None)
    new_order_rows: CopyText | None = field(default_factory=lambda: CopyText() if is_postgres(database()) else None)

    def summary(self) -> str:
        return " · ".join([counted(ngettext("{count} row read", "{count} rows read", self.rows), self.rows),
                           *self.counts()])

    def counts(self) -> list[str]:
        """What the load would do, count by count."""
        return [
            counted(ngettext("{count} new order", "{count} new orders", self.new_orders), self.new_orders),
            counted(ngettext("{count} already loaded", "{count} already loaded", self.unchanged), self.unchanged),
            counted(ngettext("{count} new member", "{count} new members", self.new_members), self.new_members),
            counted(ngettext("{count} member updated", "{count} members updated", self.changed_members), self.changed_members),
            counted(ngettext("{count} new product", "{count} new products", len(self.new_products)), len(self.new_products)),
            counted(ngettext("{count} rejected", "{count} rejected", self.rejected_rows), self.rejected_rows),
        ]


def check_orders_file(
    campaign: Campaign, table: CsvFile, mapping: Mapping, progress: Progress | None = None
) -> OrdersPreview:
    """Read and check every row; writes nothing (the rows go to the preview's scratch file,
    a batch at a time)."""
    preview = OrdersPreview(table, mapping)
    columns = mapping.columns
    headers = table.headers
    problems = preview.problems
    scratch = preview.scratch.connection

    def problem(line: int, key: str, value: str, reason: str, fix: str) -> None:
        index = columns.get(key, -1)
        problems.append(Problem(line, headers[index] if index >= 0 else "", value, reason, fix, index))

    # A row's cells by field in one call; a field the file lacks reads the "" added after the cells.
    fields_of = itemgetter(*(columns.get(key, len(headers)) for key in _ROW_FIELDS))
    email_at, key_at = columns.get("email"), columns.get("order_id")
    languages: dict[str, str] = {}  # by country, for rows without a language: a file names few countries
    campaign_language = campaign.language

    product_lines: dict[str, int] = {}  # a file names few products: they stay in memory
    for batch in in_batches(table.rows(progress)):
        # The members and orders this batch names that earlier batches gave, then this batch's own.
        emails = [row.cells[email_at] for row in batch if email_at is not None and email_at < len(row.cells)]
        # members are kept by the address as sent: an internationalised one IDNA-encoded
        emails += [_as_sent(email) for email in emails if not email.isascii()]
        members = _scratch_rows(scratch, "member", "email", emails)
        orders = _scratch_rows(scratch, "orders", "order_key",
                               [row.cells[key_at] for row in batch if key_at is not None and key_at < len(row.cells)])
        known_members, known_orders = set(members), set(orders)
        preview.rows += len(batch)
        for line, cells in well_formed(batch, table, problems):
            before = len(problems)
            key, name, email, product, sku, quantity_text, language_text, *address = fields = fields_of((*cells, ""))
            if not (key and name and email and product and sku):
                for (field_key, empty, fill), value in zip(_REQUIRED_CELLS, fields):
                    if not value:
                        problem(line, field_key, "", _(empty), _(fill))
            if email:
                try:
                    email = sendable_address(email)
                except EmailNotValidError as error:
                    problem(line, "email", email,
                            _("a reminder cannot be sent to this address: {reason}").format(reason=_sentence(error)),
                            _("write one address as name@example.com"))
            quantity = 1
            if quantity_text:
                try:
                    quantity = int(quantity_text)
                except ValueError:
                    quantity = 0
                if not 1 <= quantity <= MAX_QUANTITY:
                    problem(line, "quantity", quantity_text,
                            _("the quantity is not a whole number from 1 to {most}").format(most=MAX_QUANTITY),
                            _("write how many items go in the parcel, e.g. 1"))
            language = ""
            if language_text:
                try:
                    language = language_tag(language_text)
                except ValueError:
                    problem(line, "language", language_text, _("this is not a language"),
                            _("write a language code such as de, en or de-AT, or leave the cell empty "
                              "(then the country decides, else the campaign's language)"))
            if len(problems) > before:
                continue
            member = (name, *address)
            if not language:
                language = languages.get(country := member[_COUNTRY])
                if language is None:
                    language = languages[country] = language_of_country(country) or campaign_language
            if email in members and members[email][1:] != member:
                problem(line, "email", email,
                        _("this member is also on line {line}, with another name or address").format(line=members[email][0]),
                        _("give both rows the same name and address"))
                continue
            if sku in preview.products and preview.products[sku] != product:
                problem(line, "sku", sku, _("this SKU is also on line {line}, as product {product}").format(
                    line=product_lines[sku], product=repr(preview.products[sku])), _("use one product name per SKU"))
                continue
            order = (email, sku, quantity)
            if key in orders:
                if orders[key][1:4] != order:
                    problem(line, "order_id", key,
                            _("this order is also on line {line}, with other data").format(line=orders[key][0]),
                            _("keep one row per order"))
                continue
            orders[key] = (line, *order, language, *member, *derived_columns(key, name, email))
            members.setdefault(email, (line, *member))
            preview.products[sku] = product
            product_lines.setdefault(sku, line)
        new_members = {email: values for email, values in members.items() if email not in known_members}
        new_orders = {key: values for key, values in orders.items() if key not in known_orders}
        # Each one new until the stored ones are found (_mark_stored): most are.
        scratch.executemany("INSERT INTO member VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?, ?)",
                            ((email, *values) for email, values in new_members.items()))
        scratch.executemany(f"INSERT INTO orders VALUES (?, ?, 'new', {', '.join('?' * 13)})",
                            ((line, key, *values) for key, (line, *values) in new_orders.items()))
        stored_members, stored_orders = _mark_stored(campaign, scratch, new_members, new_orders, problem)
        if preview.new_member_rows is not None:
            preview.new_member_rows.extend((email, *values[1:], Member.locale.default)
                                           for email, values in new_members.items() if email not in stored_members)
            preview.new_order_rows.extend((line, key, *values)
                                          for key, (line, *values) in new_orders.items() if key not in stored_orders)

    scratch.commit()  # the apply's connection reads only what is committed
    _compare_with_stored(campaign, preview, product_lines, problem)
    return preview


def _scratch_rows(scratch: sqlite3.Connection, table: str, key: str, keys: list[str]) -> dict[str, tuple]:
    """Rows of a scratch table by key (line, then the values), for these keys."""
    columns = ", ".join(("line", *MEMBER_FIELDS) if table == "member" else ("position", "email", "sku", "quantity"))
    # the keys as one JSON array, each looked up by the table's index
    return {found_key: tuple(values) for found_key, *values in scratch.execute(
        f"SELECT {key}, {columns} FROM json_each(?) AS keys CROSS JOIN {table} ON {table}.{key} = keys.value",
        (json.dumps(list(set(keys))),))}


def _mark_stored(campaign: Campaign, scratch: sqlite3.Connection, members: dict[str, tuple],
                 orders: dict[str, tuple], problem) -> tuple[set[str], set[str]]:
    """Mark a batch's first rows of members and orders that are stored already, while the
    batch is in memory (not read back from the scratch file): a member as changed or the
    same, an order as the same or (a problem) in conflict with the row. Gives the emails
    and Order IDs found stored."""
    member_columns = [getattr(Member, column) for column in _MEMBER_COLUMNS]
    named = KeyList(members)
    # Only the stored members row by row; the rest stay new.
    member_states = [
        ("changed" if tuple(values) != members[email][1:] else "same", email)
        for email, *values in fetched_by_keys(Member.select(Member.email, *member_columns)
                                               .from_(named).join(Member, JOIN.CROSS).where(Member.email == named.value))
    ]
    scratch.executemany("UPDATE member SET state = ? WHERE email = ?", member_states)
    named = KeyList(orders)
    states = []  # of the stored orders; the rest stay new
    for key, *existing in fetched_by_keys(
        Order.select(Order.order_key, Member.email, Product.sku, Order.quantity)
        .from_(named).join(Order, JOIN.CROSS)
        .join(Member, on=(Order.member == Member.id)).switch(Order)
        .join(Product, on=(Order.product == Product.id))
        .where((Order.order_key == named.value) & (Order.campaign == campaign))
    ):
        line, *row = orders[key][:4]
        if existing == row:
            states.append(("same", key))
        else:
            states.append(("conflict", key))
            problem(line, "order_id", key,
                    _("order {order_id} is already loaded, for {email}, SKU {sku}, quantity {quantity}").format(
                        order_id=key, email=existing[0], sku=existing[1], quantity=existing[2]),
                    _("give this order another Order ID, or correct the row to match"))
    scratch.executemany("UPDATE orders SET state = ? WHERE order_key = ?", states)
    return {email for _state, email in member_states}, {key for _state, key in states}


def _compare_with_stored(campaign, preview, product_lines, problem) -> None:
    """The file's products against the stored ones, and what the load would do, counted."""
    scratch = preview.scratch.connection
    named = KeyList(preview.products)
    stored_products = dict(Product.select(Product.sku, Product.name).from_(named).join(Product, JOIN.CROSS)
                           .where(Product.sku == named.value).tuples())
    for sku, name in preview.products.items():
        if sku in stored_products and stored_products[sku] != name:
            problem(product_lines[sku], "product", name, _("SKU {sku} is already the product {product}").format(
                sku=sku, product=repr(stored_products[sku])), _("write that product name, or give this product another SKU"))
    # Members and products of rows that stay unchanged are not touched either.
    counts = dict(scratch.execute("SELECT state, COUNT(*) FROM orders GROUP BY state").fetchall())
    preview.new_orders, preview.unchanged = counts.get("new", 0), counts.get("same", 0)
    # The members new orders need (see _NEW_MEMBERS), by state: when every order is new, every
    # member is (each came with an order).
    needed = "" if set(counts) <= {"new"} else " WHERE email IN (SELECT email FROM orders WHERE state = 'new')"
    members = dict(scratch.execute(f"SELECT state, COUNT(*) FROM member{needed} GROUP BY state").fetchall())
    preview.new_members, preview.changed_members = members.get("new", 0), members.get("changed", 0)
    preview.new_products = [sku for (sku,) in scratch.execute(
        "SELECT DISTINCT sku FROM orders WHERE state = 'new' ORDER BY position") if sku not in stored_products]


@dataclass
class LoadResult:
    file_name: str
    orders_added: int = 0
    unchanged: int = 0
    members_added: int = 0
    members_updated: int = 0
    products_added: int = 0
    action_id: int | None = None  # the action undo takes back: the members' names and addresses it changed

    def summary(self) -> str:
        added, *rest = self.parts()
        return " · ".join([_("load of {file}: {added}").format(file=self.file_name, added=added), *rest])

    def parts(self) -> list[str]:
        """What it did, count by count, without the file's name."""
        return [
            counted(ngettext("{count} order added", "{count} orders added", self.orders_added), self.orders_added),
            counted(ngettext("{count} already loaded", "{count} already loaded", self.unchanged), self.unchanged),
            counted(ngettext("{count} member added", "{count} members added", self.members_added), self.members_added),
            counted(ngettext("{count} updated", "{count} updated", self.members_updated), self.members_updated),
            counted(ngettext("{count} product added", "{count} products added", self.products_added), self.products_added),
        ]


def apply_orders_import(
    campaign: Campaign, preview: OrdersPreview, *, operator: str, progress: Progress | None = None
) -> LoadResult:
    if not preview.ok:
        raise RejectedFile(preview.file.path, preview.problems)
    result = LoadResult(preview.file.path.name, unchanged=preview.unchanged)
    if not preview.new_orders:
        return result
    scratch = preview.scratch.connection
    member_fields = [Member.email, *(getattr(Member, column) for column in _MEMBER_COLUMNS)]
    member_columns = ", ".join(("email", *MEMBER_FIELDS))
    # When every order is new, every member came with one (as the check counts them): the
    # filter would only cost its look-ups (0.15 s at 100,000).
    members_of = _NEW_MEMBERS + (_OF_NEW_ORDERS if preview.unchanged else "")
    with _checked_rows(preview, write_transaction(campaign)) as (staged, only_new):
        insert_rows(Product, [Product.sku, Product.name],
                    [(sku, preview.products[sku]) for sku in preview.new_products])
        # A member not stored has no stored order (a stored order's member is): every new one is needed.
        if preview.new_member_rows is not None:
            preview.new_member_rows.copy_into(Member, [*member_fields, Member.locale])
        else:
            checked = attached(ScratchMember)
            Member.insert_from(
                checked.select(checked.email, *(getattr(checked, column) for column in MEMBER_FIELDS),
                               Value(Member.locale.default)).where(checked.state == "new"),
                [*member_fields, Member.locale]).execute()
        if preview.changed_members:
            action = begin_action(campaign, operator, "load", preview.file.path.name)
            record_member_changes(action, [email for (email,) in scratch.execute(
                members_of.format(columns="email"), ("changed",))])
            # All in one statement (one UPDATE a member took 150-300 us: 20,000 changed, 3-7 s)
            stage(StagedMember, StagedMember._meta.sorted_fields,
                  scratch.execute(members_of.format(columns=member_columns), ("changed",)))
            Member.update({field: getattr(StagedMember, field.name) for field in member_fields[1:]}).from_(
                StagedMember).where(Member.email == StagedMember.email).execute()
            action.counts = {"members_updated": preview.changed_members}
            action.save(only=[Action.counts])
            result.action_id = action.id
        if progress:
            progress(0.3)
        now = clock.stored_now()
        # Member and product ids by a join with the checked orders: no IN lists of emails.
        new_orders = (
            staged.select(
                Value(campaign.id), staged.order_key, Member.id, Product.id, staged.quantity,
                Value(OrderStatus.PENDING.value), Value(""), Value(""), Value(""), staged.language, Value(1),
                Value(now), Value(operator), *(getattr(staged, f"ship_{name}") for name in SHIP_TO),
                staged.search_text, staged.sort_key,
            ).join(Member, on=(Member.email == staged.email)).switch(staged)
            .join(Product, on=(Product.sku == staged.sku)).order_by(staged.position)
        )
        insert_orders_from(
            [Order.campaign, Order.order_key, Order.member, Order.product, Order.quantity,
             Order.status, Order.carrier, Order.tracking_number, Order.tracking_url,
             Order.language, Order.version, Order.updated_at, Order.updated_by,
             *(getattr(Order, f"ship_{name}") for name in SHIP_TO), Order.search_text, Order.sort_key],
            new_orders if only_new is None else new_orders.where(only_new),
        )
        if progress:
            progress(1.0)
    result.orders_added = preview.new_orders
    result.members_added = preview.new_members
    result.members_updated = preview.changed_members
    result.products_added = len(preview.new_products)
    return result


class StagedOrder(BaseModel):
    """Per-connection scratch table: the new orders of a load, with their ship-to."""

    position = IntegerField(primary_key=True)  # the file's order: new orders take ids in it
    order_key = TextField()
    email = TextField()
    sku = TextField()
    quantity = IntegerField()
    language = TextField()
    ship_name = TextField()
    ship_address_line1 = TextField()
    ship_address_line2 = TextField()
    ship_city = TextField()
    ship_region = TextField()
    ship_postal_code = TextField()
    ship_country = TextField()
    search_text = TextField()
    sort_key = TextField()

    class Meta:
        table_name = "staged_order"
        temporary = True


# Per-connection scratch table: the new names and addresses (SHIP_TO's columns) of a load's
# changed members, by email.
StagedMember = type("StagedMember", (BaseModel,), {
    "email": TextField(primary_key=True), **{column: TextField() for column in _MEMBER_COLUMNS},
    "Meta": type("Meta", (), {"table_name": "staged_member", "temporary": True}),
})


class ScratchOrder(StagedOrder):
    """The scratch file's orders (SQLite): new ones and those found stored, by state."""

    state = TextField()

    class Meta:
        table_name = "orders"
        temporary = False


# The scratch file's members (SQLite), as inserted into member: by email, with their state.
ScratchMember = type("ScratchMember", (BaseModel,), {
    "email": TextField(primary_key=True), **{column: TextField() for column in (*MEMBER_FIELDS, "state")},
    "Meta": type("Meta", (), {"table_name": "member"}),
})


@contextmanager
def _checked_rows(preview: OrdersPreview, transaction) -> Iterator[tuple[type[StagedOrder], Expression | None]]:
    """Inside `transaction` (entered here), the check's new orders as a table to insert from,
    and the condition that picks them: the scratch file attached (SQLite), or their COPY text
    sent to StagedOrder (PostgreSQL)."""
    if preview.new_order_rows is None:
        with preview.scratch.attached(transaction):
            yield attached(ScratchOrder), attached(ScratchOrder).state == "new"
        return
    with preview.new_order_rows.staged(StagedOrder, transaction):
        yield StagedOrder, None
