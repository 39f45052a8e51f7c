"""Reading orders: filters, the targets of bulk actions, listings, and the reads the
dashboard pages over (the ordered ids a view shows, a window of rows by id, a member's orders).

A 100,000-order view is an array of ids (one index-only query, under a megabyte); only the
rows on screen are ever loaded, by id, so scrolling to the end costs what the top does.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from operator import itemgetter
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Callable, Collection, Iterable, Iterator, Sequence

import peewee
from peewee import JOIN, SQL, NodeList, fn

from shiptui.errors import NotFound
from shiptui.i18n import _, format_number, ngettext, pgettext
from shiptui.storage import FIRST_REVIEW, Campaign, Member, Order, OrderStatus, Product, Reminder
from shiptui.storage.bulk import staged_keys, stream
from shiptui.storage.database import database, is_postgres
from shiptui.storage.search import first_matching, matching

# Order IDs in natural order (SO-2 before SO-10), by an index: see storage/search.py.
NATURAL_ORDER = (Order.sort_key, Order.order_key)

# Keeps every IN (...) list below SQLite's and PostgreSQL's bind-parameter limits.
CHUNK = 5000


def chunked(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A status as operators write it, in any case: the stored value (wont_ship), the export's
# label (Won't ship) and the German labels.
_STATUS_WORDS = {
    "pending": OrderStatus.PENDING, "offen": OrderStatus.PENDING, "ausstehend": OrderStatus.PENDING,
    "shipped": OrderStatus.SHIPPED, "versendet": OrderStatus.SHIPPED, "versandt": OrderStatus.SHIPPED,
    "wont ship": OrderStatus.WONT_SHIP, "wird nicht versendet": OrderStatus.WONT_SHIP,
    "nicht versendet": OrderStatus.WONT_SHIP,
}


def status_word(status: str) -> str:
    """A stored order status in the help page's words (Wird nicht versendet)."""
    words = {
        OrderStatus.PENDING: pgettext("order status", "pending"),
        OrderStatus.SHIPPED: pgettext("order status", "shipped"),
        OrderStatus.WONT_SHIP: pgettext("order status", "won't ship"),
    }
    return words.get(status, status)


def order_status(word: str) -> OrderStatus:
    """The status a word names; raises NotFound listing the words understood."""
    key = " ".join(word.replace("_", " ").replace("-", " ").replace("'", "").replace("’", "").lower().split())
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    raise NotFound(_("unknown status {word}: give pending, shipped or won't ship (wont_ship)").format(word=repr(word)))


@dataclass(frozen=True)
class OrderFilter:
    """What the operator is looking at: a status and a search text (both optional)."""

    status: OrderStatus | None = None
    search: str = ""

    def where(self, campaign: Campaign, *, first_page: bool = False) -> peewee.Expression:
        """The condition on Order; `first_page`: of a query that reads only the first
        matches in natural order (a search finds those its own way)."""
        condition = Order.campaign == campaign
        if self.status:
            condition &= Order.status == self.status
        text = self.search.strip()
        if text:
            condition &= first_matching(text) if first_page else matching(text)
        return condition

    def order_ids(self, campaign: Campaign, *, first_page: bool = False) -> peewee.Select:
        """A query of the ids of the matching orders (see `where` for `first_page`)."""
        return Order.select(Order.id).where(self.where(campaign, first_page=first_page))


@dataclass(frozen=True)
class OrderTarget:
    """The orders a bulk action works on: these ids, or (`view` given) every order of a
    view but these. A select-all of a million orders is its view, not a million ids
    gathered in the console and sent back to the database."""

    ids: Sequence[int]  # sorted and unique
    view: OrderFilter | None = None
    # Of a view: the highest order id it held when the operator saw it. Orders added since
    # (another operator's load) match it too, but nobody chose them.
    through_id: int | None = None

    @classmethod
    def of_ids(cls, ids: Iterable[int]) -> "OrderTarget":
        return cls(ids=array("q", sorted(set(ids))))

    @classmethod
    def of_view(cls, view: OrderFilter, leaving_out: Iterable[int] = (), through_id: int | None = None) -> "OrderTarget":
        return cls(ids=array("q", sorted(set(leaving_out))), view=view, through_id=through_id)

    def view_ids(self, campaign: Campaign) -> peewee.Select:
        """A query of the ids of a view target's orders, those left out included."""
        query = self.view.order_ids(campaign)
        return query if self.through_id is None else query.where(Order.id <= self.through_id)

    def without(self, ids: Collection[int]) -> "OrderTarget":
        """The same orders but `ids`."""
        if self.view is not None:
            return OrderTarget.of_view(self.view, [*self.ids, *ids], self.through_id)
        return OrderTarget.of_ids(order_id for order_id in self.ids if order_id not in ids)

    def may_hold(self, ids: Iterable[int]) -> list[int]:
        """Those of `ids` the target may hold (of a view: those it does not leave out)."""
        listed_are_left_out = self.view is not None
        return [order_id for order_id in ids if self._listed(order_id) != listed_are_left_out]

    def _listed(self, order_id: int) -> bool:
        at = bisect_left(self.ids, order_id)
        return at < len(self.ids) and self.ids[at] == order_id


def resolve_order_keys(campaign: Campaign, keys: Sequence[str]) -> list[int]:
    """Internal ids for external Order IDs; every unknown one is named in the error."""
    wanted = list(dict.fromkeys(key.strip() for key in keys if key.strip()))
    staged = staged_keys(wanted)  # one join: no IN lists of thousands of keys
    found = dict(
        Order.select(Order.order_key, Order.id)
        .join(staged, on=(staged.key == Order.order_key))
        .where(Order.campaign == campaign)
        .tuples()
    )
    missing = [key for key in wanted if key not in found]
    if missing:
        shown = ", ".join(missing[:10])
        if len(missing) > 10:
            shown += " " + _("and {count} more").format(count=format_number(len(missing) - 10))
        raise NotFound(ngettext(
            "unknown Order ID in campaign {campaign}: {orders}; nothing was changed "
            "(check the IDs with `shiptui orders {campaign}`)",
            "unknown Order IDs in campaign {campaign}: {orders}; nothing was changed "
            "(check the IDs with `shiptui orders {campaign}`)",
            len(missing),
        ).format(campaign=campaign.slug, orders=shown))
    return [found[key] for key in wanted]


def get_order(campaign: Campaign, order_key: str) -> Order:
    order = Order.get_or_none(Order.campaign == campaign, Order.order_key == order_key.strip())
    if order is None:
        raise NotFound(_("unknown Order ID {order_id} in campaign {campaign}").format(
            order_id=repr(order_key), campaign=campaign.slug))
    return order


@dataclass(frozen=True)
class OrderRow:
    id: int
    order_id: str
    member_name: str
    email: str
    product: str
    status: str
    shipped_on: date | None
    carrier: str
    tracking_number: str
    tracking_url: str
    reminder: str  # none, queued, sending, sent, failed, cancelled, suppressed
    version: int
    language: str  # the member's: "de", "en", "de-AT"


def order_rows(
    campaign: Campaign,
    order_filter: OrderFilter = OrderFilter(),
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[OrderRow]:
    """Orders with their member, product and reminder state, in natural Order ID order."""
    return order_rows_where(order_filter.where(campaign), offset=offset, limit=limit)


def stream_order_rows(campaign: Campaign, order_filter: OrderFilter = OrderFilter()) -> Iterator[OrderRow]:
    """Like `order_rows`, a batch at a time: for listings of any length."""
    return map(_order_row, stream(_order_rows_query(order_filter.where(campaign))))


def order_rows_where(
    condition: peewee.Expression, *, offset: int = 0, limit: int | None = None
) -> list[OrderRow]:
    """The OrderRows of the orders matching `condition`, in natural Order ID order."""
    return [_order_row(row) for row in _order_rows_query(condition, offset=offset, limit=limit)]


def _order_rows_query(
    condition: peewee.Expression, *, offset: int = 0, limit: int | None = None
) -> peewee.Select:
    return (
        Order.select(
            Order.id,
            Order.order_key,
            Order.ship_name,
            Member.email,
            Product.name,
            Order.status,
            Order.shipped_on,
            Order.carrier,
            Order.tracking_number,
            Order.tracking_url,
            Reminder.status,
            Order.version,
            Order.language,
        )
        .join(Member, on=(Order.member == Member.id))
        .switch(Order)
        .join(Product, on=(Order.product == Product.id))
        .switch(Order)
        .join(
            Reminder,
            JOIN.LEFT_OUTER,
            on=(Reminder.order == Order.id) & (Reminder.kind == FIRST_REVIEW),
        )
        .where(condition)
        .order_by(*NATURAL_ORDER)
        .offset(offset or None)
        .limit(limit)
        .tuples()
    )


def _order_row(row: tuple) -> OrderRow:
    return OrderRow(
        id=row[0],
        order_id=row[1],
        member_name=row[2],
        email=row[3],
        product=row[4],
        status=row[5],
        shipped_on=row[6],
        carrier=row[7],
        tracking_number=row[8],
        tracking_url=row[9],
        reminder=row[10] or "none",
        version=row[11],
        language=row[12],
    )


def order_ids(
    campaign: Campaign, order_filter: OrderFilter = OrderFilter(), limit: int | None = None,
    *, until: Callable[[], bool] | None = None,
) -> Sequence[int]:
    """The ids of the orders `order_filter` matches, in Order ID order (the dashboard's rows);
    the first `limit` of them if given (a first screenful, at once). An array, streamed:
    a million ids take 8 MB, not 36 MB of Python ints and 80 MB of rows fetched at once.
    `until`: asked between batches, stops the reading (the ids so far) once it says so."""
    query = order_filter.order_ids(campaign, first_page=limit is not None).order_by(*NATURAL_ORDER).limit(limit)
    db = database()
    # SQLite's own cursor, taken at C speed, its steps without the GIL: peewee's rows would
    # hold the GIL for 1.5 s of a million, and the console's keys would wait on it.
    rows = map(itemgetter(0), stream(query.tuples()) if is_postgres(db) else db.execute(query))
    ids = array("q")
    while batch := array("q", islice(rows, CHUNK)):
        ids.extend(batch)
        if until is not None and until():
            break
    return ids


def order_key_width(campaign: Campaign) -> int:
    """The length of the campaign's longest Order ID (how wide its column must be)."""
    return (
        Order.select(fn.MAX(fn.LENGTH(Order.order_key))).where(Order.campaign == campaign).scalar()
        or 0
    )


def rows_by_id(campaign: Campaign, ids: Sequence[int]) -> dict[int, OrderRow]:
    """The current state of these orders of the campaign (ids of others are left out)."""
    found: dict[int, OrderRow] = {}
    # +campaign_id: not the campaign's index, which would make SQLite walk the whole
    # campaign for a window (108 ms at 1M orders), but the ids' primary key (0.3 ms).
    not_indexed_campaign = NodeList((SQL("+"), Order.campaign), glue="")
    for chunk in chunked(list(ids)):
        found.update(
            (row.id, row)
            for row in order_rows_where((not_indexed_campaign == campaign.id) & Order.id.in_(list(chunk)))
        )
    return found


@dataclass(frozen=True)
class MemberOrders:
    """What a member sees under "Track Item": their orders in this campaign."""

    name: str
    email: str
    orders: list[OrderRow]
    language: str  # the member's, of the order the view was opened on: what they read


def member_orders(campaign: Campaign, order_id: int) -> MemberOrders:
    """The member who receives order `order_id` (named as that order ships to them), with
    all their orders in the campaign."""
    found = (
        Order.select(Order.member, Order.ship_name, Member.email, Order.language)
        .join(Member, on=(Order.member == Member.id))
        .where(Order.id == order_id, Order.campaign == campaign)
        .tuples()
        .first()
    )
    if found is None:
        raise NotFound(_("this order no longer exists in the campaign: press r to reload"))
    member_id, name, email, language = found
    rows = order_rows_where((Order.campaign == campaign) & (Order.member == member_id))
    return MemberOrders(name, email, rows, language)
