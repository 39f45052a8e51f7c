"""The dashboard's reads (shiptui.services.orders), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from shiptui.errors import NotFound
from shiptui.services import fulfillment, orders
from shiptui.services.orders import OrderFilter, OrderTarget, get_order, order_rows, resolve_order_keys
from shiptui.storage import Order, OrderStatus
from tests.conftest import second_order_for_member_of


def keys(campaign, ids) -> list[str]:
    rows = orders.rows_by_id(campaign, ids)
    return [rows[order_id].order_id for order_id in ids]


@pytest.mark.parametrize(
    "view",
    [
        OrderFilter(),
        OrderFilter(status=OrderStatus.PENDING),
        OrderFilter(status=OrderStatus.SHIPPED),
        OrderFilter(search="müller"),
        OrderFilter(search="MEMBER3."),  # an email, any case
        OrderFilter(search="1z999"),  # a tracking number
        OrderFilter(search="SO-1"),  # Order IDs
        OrderFilter(status=OrderStatus.PENDING, search="o"),
        OrderFilter(search="nobody"),
    ],
)
def test_order_ids_are_the_orders_the_filter_matches_in_order_id_order(any_campaign, view):
    expected = [row.order_id for row in order_rows(any_campaign, view)]
    assert keys(any_campaign, orders.order_ids(any_campaign, view)) == expected


def test_order_ids_limit_gives_the_first_ones(any_campaign):
    assert keys(any_campaign, orders.order_ids(any_campaign, limit=3)) == ["SO-1", "SO-2", "SO-3"]  # natural order


def test_rows_by_id_carry_state_tracking_reminder_and_version(any_campaign):
    ids = resolve_order_keys(any_campaign, ["SO-2", "SO-4", "SO-5"])
    rows = orders.rows_by_id(any_campaign, ids)
    shipped, wont, pending = (rows[i] for i in ids)
    assert (shipped.status, shipped.shipped_on, shipped.carrier, shipped.reminder) == (
        "shipped", date(2026, 3, 12), "UPS", "queued"
    )
    assert shipped.version == get_order(any_campaign, "SO-2").version
    assert (wont.status, wont.reminder) == ("wont_ship", "none")
    assert pending.member_name == "Evil \x1b[31mRed\x1b[0m Name"  # stored as given; the TUI escapes it


def test_rows_by_id_leaves_out_orders_of_other_campaigns(any_campaign, make_campaign):
    other = make_campaign(2, name="Other Campaign")
    foreign = resolve_order_keys(other, ["SO-1"])
    own = resolve_order_keys(any_campaign, ["SO-1"])
    assert list(orders.rows_by_id(any_campaign, foreign + own)) == own


def test_order_key_width_is_the_longest_order_id(any_campaign):
    assert orders.order_key_width(any_campaign) == len("SO-10")


def test_member_orders_are_every_order_of_that_member_in_the_campaign(any_campaign):
    second_order_for_member_of(any_campaign, "SO-2")
    fulfillment.mark_shipped(any_campaign, OrderTarget.of_ids(resolve_order_keys(any_campaign, ["SO-13"])), operator="bob")
    found = orders.member_orders(any_campaign, get_order(any_campaign, "SO-2").id)
    assert found.name == "Jürgen Müller" and found.email.startswith("member2.")
    assert [(row.order_id, row.status) for row in found.orders] == [("SO-2", "shipped"), ("SO-13", "shipped")]


def test_member_orders_of_a_vanished_order_says_so(any_campaign):
    order = get_order(any_campaign, "SO-7")
    Order.delete().where(Order.id == order.id).execute()
    with pytest.raises(NotFound, match="no longer exists"):
        orders.member_orders(any_campaign, order.id)
