"""The reads the dashboard pages over: the ordered ids a view shows, a window of rows by id,
a member's orders.

A 100,000-order view is a list of ids (one index-only query, under a megabyte); only the
rows on screen are ever loaded, by id, so scrolling to the end costs what the top does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from peewee import SQL, NodeList, fn

from shiptui.errors import NotFound
from shiptui.i18n import _
from shiptui.services.orders import NATURAL_ORDER, OrderFilter, OrderRow, chunked, order_rows_where
from shiptui.storage import Campaign, Member, Order


def order_ids(
    campaign: Campaign, order_filter: OrderFilter = OrderFilter(), limit: int | None = None
) -> list[int]:
    """The ids of the orders `order_filter` matches, in Order ID order (the dashboard's rows);
    the first `limit` of them if given (a first screenful, at once)."""
    query = order_filter.order_ids(campaign).order_by(*NATURAL_ORDER).limit(limit)
    return [order_id for (order_id,) in query.tuples()]


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
