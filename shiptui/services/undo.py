"""Undo: an operator takes back their own last action, order by order as the action log
recorded them, leaving what others changed since as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import peewee
from peewee import fn

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.i18n import _, counted, format_number, ngettext
from shiptui.services.actions import ORDER_STATE, Skipped, SkipReason, Skips, stamp, state_from, summary_parts
from shiptui.services.orders import NATURAL_ORDER
from shiptui.services.outbox import UNSENT
from shiptui.storage import (
    SHIP_TO,
    Action,
    ActionChange,
    Campaign,
    Member,
    MemberChange,
    Order,
    Reminder,
    ReminderStatus,
    TargetId,
)
from shiptui.storage.bulk import analyze_if_grown, restaged
from shiptui.storage.database import database, is_postgres
from shiptui.storage.search import tracking_reindex
from shiptui.storage.transactions import write_transaction


@dataclass
class UndoResult:
    undone: str  # what the action taken back did, e.g. "120 marked shipped"
    restored: int = 0
    members_restored: int = 0  # names and addresses a load had changed
    reminders_cancelled: int = 0
    # Reminders that went out: the first Order IDs named, all counted. An undo of a ship
    # of a whole campaign may find 100,000s sent; holding them all would cost memory.
    already_sent: list[str] = field(default_factory=list)
    already_sent_count: int = 0
    skipped: Skips = field(default_factory=Skips)

    def summary(self) -> str:
        parts = [_("undone: {action} — {restored}").format(
            action=self.undone, restored=counted(ngettext("{count} order restored", "{count} orders restored", self.restored), self.restored))]
        if self.members_restored:
            parts.append(counted(ngettext("{count} member restored", "{count} members restored", self.members_restored), self.members_restored))
        if self.reminders_cancelled:
            parts.append(counted(ngettext("{count} reminder cancelled", "{count} reminders cancelled", self.reminders_cancelled), self.reminders_cancelled))
        if self.already_sent_count:
            parts.append(counted(ngettext("{count} reminder already sent", "{count} reminders already sent",
                                 self.already_sent_count), self.already_sent_count))
        if self.skipped:
            parts.append(counted(
                ngettext("{count} changed by someone since, left as they are: undo again once those changes are taken back",
                "{count} changed by someone since, left as they are: undo again once those changes are taken back",
                len(self.skipped)), len(self.skipped),
            ))
        return " · ".join(parts)


def _pending(change: type[ActionChange] | type[MemberChange], action: Action, key: peewee.Field) -> peewee.Expression:
    """The changes of `action` not taken back yet that no later, standing change covers.

    Every change to an order (or a member) is recorded by an action, so a row is as
    `action` left it exactly when no later action's change of it is still standing: once
    that later change is undone, this one can be undone too.
    """
    later = change.alias()
    covered = fn.EXISTS(
        later.select(peewee.SQL("1")).where(
            getattr(later, key.name) == key,
            later.action > change.action,
            later.restored_at.is_null(),
        )
    )
    return (change.action == action) & change.restored_at.is_null() & ~covered


def _blocked(action: Action) -> Skips:
    """What undo must leave as it is of `action`: orders (and members) changed again since,
    counted, the first ones named."""
    standing = (ActionChange.action == action) & ActionChange.restored_at.is_null()
    blocked = (
        ActionChange.select(Order.order_key, Order.updated_by)
        .join(Order, on=(ActionChange.order == Order.id))
        .where(standing & ~_pending(ActionChange, action, ActionChange.order))
    )
    skips = Skips()
    skips.add(SkipReason.STALE, blocked.count(), [
        Skipped(
            key, SkipReason.STALE,
            _("changed by {operator} since; left as it is (undo again once that change is taken back)").format(
                operator=by),
        )
        for key, by in blocked.order_by(*NATURAL_ORDER).limit(Skips.NAMED).tuples()
    ])
    skips += _blocked_members(action)
    return skips


def _blocked_members(action: Action) -> Skips:
    """The members whose name or address `action` (a load) changed and a later load changed again."""
    standing = (MemberChange.action == action) & MemberChange.restored_at.is_null()
    blocked = (
        MemberChange.select(Member.email)
        .join(Member, on=(MemberChange.member == Member.id))
        .where(standing & ~_pending(MemberChange, action, MemberChange.member))
    )
    skips = Skips()
    skips.add(SkipReason.LATER_LOAD, blocked.count(), [
        Skipped(email, SkipReason.LATER_LOAD, _("name and address changed by a later load since; left as they are"))
        for (email,) in blocked.order_by(Member.email).limit(Skips.NAMED).tuples()
    ])
    return skips


def _can_undo_now(action: Action) -> bool:
    return (
        ActionChange.select().where(_pending(ActionChange, action, ActionChange.order)).exists()
        or MemberChange.select().where(_pending(MemberChange, action, MemberChange.member)).exists()
    )


def next_to_undo(campaign: Campaign, operator: str) -> Action | None:
    """The operator's newest action that undo can take back now.

    An action an earlier undo could only partly take back is passed over while all that is
    left of it waits for someone else's change to be undone.
    """
    for action in (
        Action.select()
        .where(Action.campaign == campaign, Action.operator == operator, Action.undone_at.is_null())
        .order_by(Action.id.desc())
        .iterator()
    ):
        if action.partly_undone_at is None or _can_undo_now(action):
            return action
    return None


def _nothing_to_undo(campaign: Campaign, operator: str) -> RejectedInput:
    waiting = Skips()
    for action in Action.select().where(
        Action.campaign == campaign, Action.operator == operator,
        Action.undone_at.is_null(), Action.partly_undone_at.is_null(False),
    ):
        waiting += _blocked(action)
    if not waiting:
        return RejectedInput(
            _("nothing to undo: {operator} has no action left to take back in {campaign}").format(
                operator=operator, campaign=campaign.slug)
        )
    named = [skip.order_id for skip in waiting][:10]
    shown = ", ".join(named)
    if len(waiting) > len(named):
        shown += " " + _("and {count} more").format(count=format_number(len(waiting) - len(named)))
    return RejectedInput(
        _("nothing to undo now: what is left of {operator}'s actions in {campaign} was changed "
          "by others since: {orders}; undo again once they have taken their changes back").format(
            operator=operator, campaign=campaign.slug, orders=shown)
    )


def undo_last(campaign: Campaign, *, operator: str) -> UndoResult:
    """Take back the operator's last action in this campaign.

    Orders someone changed since are left as they are and named, and the action stays on
    the operator's undo list until they are put back too: no order stays shipped by an
    action marked undone. Reminders the action queued that are still unsent are cancelled
    with their orders, and those already sent are named.
    """
    with write_transaction(campaign):
        action = next_to_undo(campaign, operator)
        if action is None:
            raise _nothing_to_undo(campaign, operator)
        what = (summary_parts(action.kind, action.counts, action.file_name or "")[0]
                if action.counts is not None else action.summary)
        result = UndoResult(undone=_("the rest of {action}").format(action=what) if action.partly_undone_at else what)
        analyze_if_grown(ActionChange)  # the log's statistics may not know the action yet
        # Staged once: every statement below works on the same orders, and PostgreSQL
        # plans a join with the staged ids far better than the correlated condition.
        with restaged(TargetId):
            restorable_count = TargetId.insert_from(
                ActionChange.select(ActionChange.order).where(_pending(ActionChange, action, ActionChange.order)),
                fields=[TargetId.order_id],
            ).as_rowcount().execute()
        # Which orders are left is worked out again only when some are: usually every
        # standing change is restorable, and counting them costs a tenth of that pass.
        standing = ActionChange.select().where(ActionChange.action == action, ActionChange.restored_at.is_null())
        result.skipped = _blocked(action) if standing.count() > restorable_count else _blocked_members(action)
        restored_orders = TargetId.select(TargetId.order_id)
        restorable = (ActionChange.action == action) & ActionChange.order.in_(restored_orders)
        queued_here = Reminder.queued_by == action
        if result.skipped:  # only the reminders of the orders put back
            queued_here &= Reminder.order.in_(restored_orders)
        result.reminders_cancelled = (
            Reminder.update(status=ReminderStatus.CANCELLED, next_attempt_at=None)
            .where(queued_here, Reminder.status.in_(UNSENT))
            .execute()
        )
        sent = (
            Reminder.select(Order.order_key)
            .join(Order, on=(Reminder.order == Order.id))
            .where(queued_here, Reminder.status.in_((ReminderStatus.SENT, ReminderStatus.SENDING)))
        )
        result.already_sent_count = sent.count()
        if result.already_sent_count:
            result.already_sent = [key for (key,) in sent.order_by(*NATURAL_ORDER).limit(Skips.NAMED).tuples()]
        now = clock.stored_now()
        result.restored = _restore_orders(restorable, operator, now)
        result.members_restored = _restore_members(action)
        if any(
            change.select().where(change.action == action, change.restored_at.is_null()).exists()
            for change in (ActionChange, MemberChange)
        ):
            action.partly_undone_at = now
            action.save(only=[Action.partly_undone_at])
        else:
            action.undone_at = now
            action.undone_by = operator
            action.save(only=[Action.undone_at, Action.undone_by])
        return result


def _restore_orders(restorable: peewee.Expression, operator: str, now: datetime) -> int:
    """Put the orders of the `restorable` changes back as they were, keeping what the action
    had made of them in the changes (the audit trail shows it), marked taken back."""
    keep_after_state = ActionChange.update(
        {**{getattr(ActionChange, f"after_{name}"): getattr(Order, name) for name in ORDER_STATE},
         ActionChange.restored_at: now}
    ).from_(Order).where(ActionChange.order == Order.id, restorable)
    if is_postgres(database()):
        # One statement: the orders are read and joined with their changes once, not twice
        # (the CTE reads the orders as they were before the outer UPDATE writes them).
        # 100,000 orders: 2.6-2.7 s of server CPU -> 2.5 s.
        kept = peewee.CTE("kept", keep_after_state.returning(ActionChange.order, *state_from(ActionChange).values()))
        return (
            Order.update(stamp(operator, **{name: getattr(kept.c, name) for name in ORDER_STATE}))
            .from_(kept).where(Order.id == kept.c.order_id).with_cte(kept)
            .execute()
        )
    keep_after_state.execute()
    # Only the orders whose tracking number goes back are searched differently after:
    # undoing a shipment leaves SQLite's search index as it is.
    with tracking_reindex(ActionChange.select(ActionChange.order).where(
            restorable & (ActionChange.after_tracking_number != ActionChange.tracking_number))):
        return (
            Order.update(stamp(operator, **state_from(ActionChange)))
            .from_(ActionChange)
            .where(ActionChange.order == Order.id, restorable)
            .execute()
        )


def _restore_members(action: Action) -> int:
    """Put back the members' names and addresses that `action` (a load) changed, unless a
    later load changed them again."""
    restorable = _pending(MemberChange, action, MemberChange.member)
    restored = (
        Member.update({getattr(Member, name): getattr(MemberChange, name) for name in SHIP_TO})
        .from_(MemberChange)
        .where(MemberChange.member == Member.id, restorable)
        .execute()
    )
    MemberChange.update(restored_at=clock.stored_now()).where(restorable).execute()
    return restored
