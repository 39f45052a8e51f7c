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

from collections.abc import Callable
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from shiptui import clock
from shiptui.i18n import N_, _, language_of_country, language_tag, ngettext
from shiptui.services.csv.mapping import Mapping
from shiptui.services.csv.reading import CheckedRows, CsvFile, Problem, RejectedFile, control_characters, ragged
from shiptui.services.fulfillment import begin_action, counted, record_member_changes, write_transaction
from shiptui.services.orders import chunked
from shiptui.storage import SHIP_TO, Action, Campaign, Member, Order, OrderStatus, Product
from shiptui.storage.bulk import insert_order_rows, insert_rows
from shiptui.storage.search import derived_columns

Progress = Callable[[float], None]

MEMBER_FIELDS = (
    "member_name", "address_line1", "address_line2", "city", "region", "postal_code", "country",
)
_MEMBER_COLUMNS = SHIP_TO  # a member's name and address, as the file gives an order's ship-to
MAX_QUANTITY = 1000


def sendable_address(email: str) -> str:
    """`email` as the sender can use it (an internationalised domain IDNA-encoded), or
    EmailNotValidError saying why the relay would refuse it (no DNS look-up)."""
    checked = validate_email(email, check_deliverability=False, allow_smtputf8=False)
    # An ASCII address stays as written: members already stored are found by it.
    return email if email.isascii() else checked.ascii_email


def _sentence(error: EmailNotValidError) -> str:
    text = str(error).rstrip(".")
    return text[:1].lower() + text[1:]


def _required_cells(key: str, name: str, email: str, product: str, sku: str) -> tuple:
    """(field, cell, what is wrong, what to do) of the cells a row needs; translated only when empty."""
    return (
        ("order_id", key, N_("the Order ID is empty"), N_("fill in the Order ID of this row")),
        ("member_name", name, N_("the member name is empty"), N_("fill in the member name of this row")),
        ("email", email, N_("the email is empty"), N_("fill in the email of this row")),
        ("product", product, N_("the product is empty"), N_("fill in the product of this row")),
        ("sku", sku, N_("the SKU is empty"), N_("fill in the SKU of this row")),
    )


@dataclass
class OrdersPreview(CheckedRows):
    file: CsvFile
    mapping: Mapping
    rows: int = 0
    new_orders: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # key, email, sku, qty, language
    unchanged: int = 0
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # email -> member values
    new_members: list[str] = field(default_factory=list)
    changed_members: list[str] = field(default_factory=list)
    products: dict[str, str] = field(default_factory=dict)  # sku -> name
    new_products: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return " · ".join([
            counted(ngettext("{count} row read", "{count} rows read", self.rows), self.rows),
            counted(ngettext("{count} new order", "{count} new orders", len(self.new_orders)), len(self.new_orders)),
            counted(ngettext("{count} already loaded", "{count} already loaded", self.unchanged), self.unchanged),
            counted(ngettext("{count} new member", "{count} new members", len(self.new_members)), len(self.new_members)),
            counted(ngettext("{count} member updated", "{count} members updated", len(self.changed_members)), len(self.changed_members)),
            counted(ngettext("{count} new product", "{count} new products", len(self.new_products)), len(self.new_products)),
            counted(ngettext("{count} rejected", "{count} rejected", self.rejected_rows), self.rejected_rows),
        ])


def check_orders_file(
    campaign: Campaign, table: CsvFile, mapping: Mapping, progress: Progress | None = None
) -> OrdersPreview:
    """Read and check every row; writes nothing."""
    preview = OrdersPreview(table, mapping)
    columns = mapping.columns
    headers = table.headers
    problems = preview.problems

    def problem(line: int, key: str, value: str, reason: str, fix: str) -> None:
        index = columns.get(key, -1)
        problems.append(Problem(line, headers[index] if index >= 0 else "", value, reason, fix, index))

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None else ""

    rows: list[tuple[int, str, str, str, int, str]] = []
    member_lines: dict[str, int] = {}
    product_lines: dict[str, int] = {}
    order_lines: dict[str, tuple[int, tuple]] = {}
    for row in table.rows(progress):
        preview.rows += 1
        cells, line = row.cells, row.line
        if len(cells) != len(headers) and (bad := ragged(row, table)):
            problems.append(bad)
            continue
        if controls := control_characters(row, table):
            problems.extend(controls)
            continue
        before = len(problems)
        key, name, email = cell(cells, "order_id"), cell(cells, "member_name"), cell(cells, "email")
        product, sku, quantity_text = cell(cells, "product"), cell(cells, "sku"), cell(cells, "quantity")
        for field_key, value, empty, fill in _required_cells(key, name, email, product, sku):
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
        language_text, language = cell(cells, "language"), ""
        if language_text:
            try:
                language = language_tag(language_text)
            except ValueError:
                problem(line, "language", language_text, _("this is not a language"),
                        _("write a language code such as de, en or de-AT, or leave the cell empty "
                          "(then the country decides, else the campaign's language)"))
        if len(problems) > before:
            continue
        language = language or language_of_country(cell(cells, "country")) or campaign.language
        member = (name, *(cell(cells, key) for key in MEMBER_FIELDS[1:]))
        if email in preview.members and preview.members[email] != member:
            problem(line, "email", email,
                    _("this member is also on line {line}, with another name or address").format(line=member_lines[email]),
                    _("give both rows the same name and address"))
            continue
        if sku in preview.products and preview.products[sku] != product:
            problem(line, "sku", sku, _("this SKU is also on line {line}, as product {product}").format(
                line=product_lines[sku], product=repr(preview.products[sku])), _("use one product name per SKU"))
            continue
        order = (email, sku, quantity)
        if key in order_lines:
            if order_lines[key][1] != order:
                problem(line, "order_id", key,
                        _("this order is also on line {line}, with other data").format(line=order_lines[key][0]),
                        _("keep one row per order"))
            continue
        order_lines[key] = (line, order)
        preview.members[email] = member
        member_lines.setdefault(email, line)
        preview.products[sku] = product
        product_lines.setdefault(sku, line)
        rows.append((line, key, email, sku, quantity, language))

    _compare_with_stored(campaign, preview, rows, member_lines, product_lines, problem)
    problems.sort(key=lambda p: (p.line, p.column_index))
    return preview


def _compare_with_stored(campaign, preview, rows, member_lines, product_lines, problem) -> None:
    stored_members: dict[str, tuple] = {}
    for chunk in chunked(list(preview.members)):
        for email, *values in Member.select(
            Member.email, *(getattr(Member, column) for column in _MEMBER_COLUMNS)
        ).where(Member.email.in_(list(chunk))).tuples():
            stored_members[email] = tuple(values)
    for email, values in preview.members.items():
        if email not in stored_members:
            preview.new_members.append(email)
        elif stored_members[email] != values:
            preview.changed_members.append(email)
    stored_products: dict[str, str] = {}
    for chunk in chunked(list(preview.products)):
        stored_products.update(Product.select(Product.sku, Product.name).where(Product.sku.in_(list(chunk))).tuples())
    for sku, name in preview.products.items():
        if sku not in stored_products:
            preview.new_products.append(sku)
        elif stored_products[sku] != name:
            problem(product_lines[sku], "product", name, _("SKU {sku} is already the product {product}").format(
                sku=sku, product=repr(stored_products[sku])), _("write that product name, or give this product another SKU"))
    stored_orders = {
        key: (email, sku, quantity)
        for key, email, sku, quantity in Order.select(Order.order_key, Member.email, Product.sku, Order.quantity)
        .join(Member, on=(Order.member == Member.id)).switch(Order)
        .join(Product, on=(Order.product == Product.id))
        .where(Order.campaign == campaign).tuples()
    }
    for line, key, email, sku, quantity, language in rows:
        existing = stored_orders.get(key)
        if existing is None:
            preview.new_orders.append((key, email, sku, quantity, language))
        elif existing == (email, sku, quantity):
            preview.unchanged += 1
        else:
            problem(line, "order_id", key,
                    _("order {order_id} is already loaded, for {email}, SKU {sku}, quantity {quantity}").format(
                        order_id=key, email=existing[0], sku=existing[1], quantity=existing[2]),
                    _("give this order another Order ID, or correct the row to match"))
    # Members of rows that stay unchanged are not touched either.
    wanted = {order[1] for order in preview.new_orders}
    preview.new_members = [email for email in preview.new_members if email in wanted]
    preview.changed_members = [email for email in preview.changed_members if email in wanted]
    preview.new_products = [sku for sku in preview.new_products if any(sku == o[2] for o in preview.new_orders)]


@dataclass
class LoadResult:
    file_name: str
    orders_added: int = 0
    unchanged: int = 0
    members_added: int = 0
    members_updated: int = 0
    products_added: int = 0

    def summary(self) -> str:
        return " · ".join([
            _("load of {file}: {added}").format(
                file=self.file_name, added=counted(ngettext("{count} order added", "{count} orders added", self.orders_added), self.orders_added)),
            counted(ngettext("{count} already loaded", "{count} already loaded", self.unchanged), self.unchanged),
            counted(ngettext("{count} member added", "{count} members added", self.members_added), self.members_added),
            counted(ngettext("{count} updated", "{count} updated", self.members_updated), self.members_updated),
            counted(ngettext("{count} product added", "{count} products added", self.products_added), self.products_added),
        ])


def apply_orders_import(
    campaign: Campaign, preview: OrdersPreview, *, operator: str, progress: Progress | None = None
) -> LoadResult:
    if not preview.ok:
        raise RejectedFile(preview.file.path, preview.problems)
    result = LoadResult(preview.file.path.name, unchanged=preview.unchanged)
    if not preview.new_orders:
        return result
    member_fields = [Member.email, *(getattr(Member, column) for column in _MEMBER_COLUMNS)]
    with write_transaction(campaign):
        insert_rows(Product, [Product.sku, Product.name],
                [(sku, preview.products[sku]) for sku in preview.new_products])
        insert_rows(Member, [*member_fields, Member.locale],
                    [(email, *preview.members[email], Member.locale.default) for email in preview.new_members])
        if preview.changed_members:
            action = begin_action(campaign, operator, "load")
            record_member_changes(action, preview.changed_members)
            for email in preview.changed_members:
                Member.update(dict(zip(member_fields[1:], preview.members[email]))).where(
                    Member.email == email
                ).execute()
            action.summary = counted(
                ngettext("name or address of {count} member updated by the load of {file}",
                "name or address of {count} members updated by the load of {file}",
                len(preview.changed_members)), len(preview.changed_members), file=preview.file.path.name,
            )
            action.save(only=[Action.summary])
        if progress:
            progress(0.3)
        member_ids: dict[str, int] = {}
        product_ids: dict[str, int] = {}
        emails = list({order[1] for order in preview.new_orders})
        skus = list({order[2] for order in preview.new_orders})
        for chunk in chunked(emails):
            member_ids.update(Member.select(Member.email, Member.id).where(Member.email.in_(list(chunk))).tuples())
        for chunk in chunked(skus):
            product_ids.update(Product.select(Product.sku, Product.id).where(Product.sku.in_(list(chunk))).tuples())
        now = clock.stored_now()
        # insert_rows writes the given columns only: defaults are spelled out.
        insert_order_rows(
            [Order.campaign, Order.order_key, Order.member, Order.product, Order.quantity,
             Order.status, Order.carrier, Order.tracking_number, Order.tracking_url,
             Order.language, Order.version, Order.updated_at, Order.updated_by,
             *(getattr(Order, f"ship_{name}") for name in SHIP_TO), Order.search_text, Order.sort_key],
            [(campaign.id, key, member_ids[email], product_ids[sku], quantity,
              OrderStatus.PENDING.value, "", "", "", language, 1, now, operator, *preview.members[email],
              *derived_columns(key, "", preview.members[email][0], email))
             for key, email, sku, quantity, language in preview.new_orders],
        )
        if progress:
            progress(1.0)
    result.orders_added = len(preview.new_orders)
    result.members_added = len(preview.new_members)
    result.members_updated = len(preview.changed_members)
    result.products_added = len(preview.new_products)
    return result
