"""The fulfillment rules of SPEC §2: ship, won't ship, tracking.

Every operation is one transaction of set-based statements, whatever the number of
orders, and is recorded in the action log (services/actions.py) with each order's state
before it: that is what undo (services/undo.py) puts back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import peewee
from peewee import fn

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.i18n import _, format_date, moment
from shiptui.services.actions import (
    ActionResult,
    Skipped,
    SkipReason,
    Skips,
    begin_action,
    finish_action,
    record_changes,
    stamp,
)
from shiptui.services.carriers import normalize_tracking
from shiptui.services.orders import NATURAL_ORDER, OrderTarget
from shiptui.services.outbox import queue_first_reminders
from shiptui.storage import Campaign, Order, OrderStatus, TargetId
from shiptui.storage.bulk import analyze, staged_ids, staged_ids_from
from shiptui.storage.transactions import write_transaction


def stage_target(campaign: Campaign, target: OrderTarget) -> peewee.Select:
    """A subquery of the ids of the target's orders in this campaign (inside a transaction)."""
    if target.view is None:
        staged = staged_ids(target.ids)
    else:  # in one statement: no million ids through Python
        staged = staged_ids_from(target.view_ids(campaign), leaving_out=target.ids)
    return Order.select(Order.id).where(Order.campaign == campaign, Order.id.in_(staged.select(staged.order_id)))


def keep_changing(campaign: Campaign, changes: peewee.Expression) -> peewee.Select:
    """Narrow the staged target to its orders in this campaign that `changes` holds for,
    and return a subquery of their ids.

    The action's statements then each join this one analysed table: PostgreSQL plans a
    join with the action's fresh log rows (never analysed) as one row, and probes the
    orders' index 100,000 times per statement.
    """
    if TargetId.delete().where(~fn.EXISTS(
        Order.select(peewee.SQL("1")).where(Order.id == TargetId.order_id, Order.campaign == campaign, changes)
    )).execute():
        analyze(TargetId)
    return TargetId.select(TargetId.order_id)


def drop_stale(
    campaign: Campaign, target: OrderTarget, expected_versions: Mapping[int, int] | None
) -> tuple[OrderTarget, list[Skipped]]:
    """Leave out orders someone changed since the operator loaded them, saying who and when."""
    if not expected_versions:
        return target, []
    stale: list[Skipped] = []
    stale_ids: set[int] = set()
    staged = staged_ids(target.may_hold(expected_versions))
    for order_id, key, version, by, at in (
        Order.select(Order.id, Order.order_key, Order.version, Order.updated_by, Order.updated_at)
        .join(staged, on=(staged.order_id == Order.id))
        .where(Order.campaign == campaign)
        .tuples()
    ):
        if version != expected_versions[order_id]:
            stale_ids.add(order_id)
            stale.append(
                Skipped(
                    key,
                    SkipReason.STALE,
                    _("changed by {operator} at {when} since you loaded it: reload and try again").format(
                        operator=by, when=moment(clock.local_from_stored(at))),
                )
            )
    if not stale_ids:
        return target, []
    return target.without(stale_ids), stale


def _skipped(in_target: peewee.Select, status: OrderStatus, category: SkipReason, why) -> Skips:
    """The target's orders in `status`, counted; the first few read, to be named."""
    skipped = Order.select(Order.order_key, Order.shipped_on).where(Order.id.in_(in_target), Order.status == status)
    first = skipped.order_by(*NATURAL_ORDER).limit(Skips.NAMED).tuples()
    skips = Skips()
    skips.add(category, skipped.count(), [Skipped(key, category, why(shipped_on)) for key, shipped_on in first])
    return skips


def mark_shipped(
    campaign: Campaign,
    target: OrderTarget,
    *,
    operator: str,
    shipped_on: date | None = None,
    expected_versions: Mapping[int, int] | None = None,
) -> ActionResult:
    """Mark the target's orders shipped (today unless given) and queue their first reminder.

    Pending and won't-ship orders move to shipped; shipped ones are skipped, so marking
    twice changes nothing and queues nothing.
    """
    day = shipped_on or clock.today()
    if day > clock.today():
        raise RejectedInput(_("ship date {day} is in the future: give today's date or an earlier one").format(
            day=format_date(day)))
    with write_transaction(campaign):
        target, stale = drop_stale(campaign, target, expected_versions)
        in_target = stage_target(campaign, target)
        result = ActionResult("ship", skipped=stale)
        result.skipped += _skipped(
            in_target, OrderStatus.SHIPPED, SkipReason.ALREADY_SHIPPED,
            lambda on: _("already shipped on {day}").format(day=format_date(on)),
        )
        action = begin_action(campaign, operator, "ship")
        changing = keep_changing(campaign, Order.status != OrderStatus.SHIPPED)
        result.changed = record_changes(action, Order.id.in_(changing))
        if result.changed:
            Order.update(
                stamp(operator, status=OrderStatus.SHIPPED, shipped_on=day)
            ).where(Order.id.in_(changing)).execute()
            result.reminders_queued = queue_first_reminders(action, campaign, day, changing)
        return finish_action(action, result)


def mark_wont_ship(
    campaign: Campaign,
    target: OrderTarget,
    *,
    operator: str,
    expected_versions: Mapping[int, int] | None = None,
) -> ActionResult:
    """Mark pending orders won't ship, without asking: it is undoable instead.

    A shipped order is never turned into won't ship; it is skipped with the reason.
    """
    with write_transaction(campaign):
        target, stale = drop_stale(campaign, target, expected_versions)
        in_target = stage_target(campaign, target)
        result = ActionResult("wont_ship", skipped=stale)
        result.skipped += _skipped(
            in_target, OrderStatus.SHIPPED, SkipReason.ALREADY_SHIPPED,
            lambda on: _("shipped on {day}: a shipped order is not marked won't ship "
                         "(undo the shipment first if it was a mistake)").format(day=format_date(on)),
        )
        result.skipped += _skipped(
            in_target, OrderStatus.WONT_SHIP, SkipReason.ALREADY_WONT_SHIP,
            lambda on: _("already marked won't ship"),
        )
        action = begin_action(campaign, operator, "wont_ship")
        changing = keep_changing(campaign, Order.status == OrderStatus.PENDING)
        result.changed = record_changes(action, Order.id.in_(changing))
        if result.changed:
            Order.update(stamp(operator, status=OrderStatus.WONT_SHIP)).where(Order.id.in_(changing)).execute()
        return finish_action(action, result)


def update_tracking(
    campaign: Campaign,
    order: Order,
    *,
    number: str,
    carrier: str,
    url: str,
    operator: str,
    expected_version: int | None = None,
) -> ActionResult:
    """Set one order's tracking number, carrier and URL (not on won't-ship orders).

    It does not mark the order shipped. An empty carrier is told by the number (and the
    order's country), and an empty URL filled from the carrier's page.
    """
    tracking = normalize_tracking(number, carrier, url, country=order.ship_country)
    with write_transaction(campaign):
        current = Order.get_by_id(order.id)
        if expected_version is not None and current.version != expected_version:
            raise RejectedInput(
                _("order {order_id} was changed by {operator} at {when} "
                  "since you loaded it: reload and enter the tracking again").format(
                    order_id=current.order_key, operator=current.updated_by, when=moment(clock.local_from_stored(current.updated_at)))
            )
        if current.status == OrderStatus.WONT_SHIP:
            raise RejectedInput(
                _("order {order_id} is marked won't ship: tracking can be set on "
                  "pending and shipped orders only (mark it shipped first)").format(order_id=current.order_key)
            )
        result = ActionResult(
            "track",
            warnings=[tracking.warning] if tracking.warning else [],
            notes=[tracking.detected] if tracking.detected else [],
        )
        if (current.tracking_number, current.carrier, current.tracking_url) == (
            tracking.number, tracking.carrier, tracking.url,
        ):
            result.skipped.append(Skipped(current.order_key, SkipReason.UNCHANGED, _("tracking is already as given")))
            return result
        action = begin_action(campaign, operator, "track")
        result.changed = record_changes(action, Order.id == current.id)
        Order.update(
            stamp(
                operator,
                tracking_number=tracking.number,
                carrier=tracking.carrier,
                tracking_url=tracking.url,
            )
        ).where(Order.id == current.id).execute()
        return finish_action(action, result)
