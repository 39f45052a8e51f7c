"""The audit trail of a campaign: who did what, when, and what was undone; and of one
order: every change to it, with its state before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shiptui import clock
from shiptui.i18n import _, format_date, pgettext
from shiptui.services.actions import ORDER_STATE, told_summary
from shiptui.services.orders import get_order, status_word
from shiptui.storage import Action, ActionChange, Campaign


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime  # local time
    operator: str
    kind: str  # ship, wont_ship, track, import, ...
    summary: str
    undone_at: datetime | None
    undone_by: str | None
    partly_undone_at: datetime | None  # an undo left orders someone had changed since


def campaign_history(campaign: Campaign, limit: int | None = 50) -> list[HistoryEntry]:
    """The campaign's actions, newest first."""
    return [
        HistoryEntry(
            at=clock.local_from_stored(action.created_at),
            operator=action.operator,
            kind=action.kind,
            summary=told_summary(action.kind, action.counts, action.file_name, action.summary),
            undone_at=_local(action.undone_at),
            undone_by=action.undone_by,
            partly_undone_at=_local(action.partly_undone_at),
        )
        for action in Action.select()
        .where(Action.campaign == campaign)
        .order_by(Action.id.desc())
        .limit(limit)
    ]


def _local(stored: datetime | None) -> datetime | None:
    return clock.local_from_stored(stored) if stored else None


@dataclass(frozen=True)
class OrderChange:
    """One action's change to one order."""

    at: datetime  # local time
    operator: str
    action: str  # ship, wont_ship, track, import, ...
    summary: str  # what the whole action did
    before: dict[str, object]  # ORDER_STATE names -> values
    after: dict[str, object] | None  # None: not known (an undone change of an older shiptui)
    undone_at: datetime | None
    undone_by: str | None

    @property
    def changed(self) -> list[str]:
        """The names of the state that the change changed."""
        if self.after is None:
            return []
        return [name for name in ORDER_STATE if self.before[name] != self.after[name]]


def _state(source, prefix: str = "") -> dict[str, object]:
    state = {name: getattr(source, prefix + name) for name in ORDER_STATE}
    shipped_on = state["shipped_on"]  # SQLite may hand a date back as ISO text
    state["shipped_on"] = date.fromisoformat(shipped_on) if isinstance(shipped_on, str) and shipped_on else shipped_on
    return state


def order_history(campaign: Campaign, order_key: str) -> list[OrderChange]:
    """Every change to the order (Order ID `order_key`), oldest first; raises NotFound."""
    order = get_order(campaign, order_key)
    rows = list(
        ActionChange.select(
            ActionChange, Action.created_at, Action.operator, Action.kind, Action.counts, Action.file_name, Action.summary,
            Action.undone_at, Action.undone_by,
        )
        .join(Action, on=(ActionChange.action == Action.id))
        .where(ActionChange.order == order.id)
        .order_by(ActionChange.action)
        .objects()
    )
    current = _state(order)
    # Each change leaves the order at version + 1: that state is the before-state of the
    # change made at that version, or the order itself if nothing changed it since.
    before_at = {row.version: _state(row) for row in rows}
    before_at.setdefault(order.version, current)
    changes = []
    for row in rows:
        if row.after_status is not None:  # kept when the change was undone
            after = _state(row, prefix="after_")
        else:
            after = before_at.get(row.version + 1)
        changes.append(OrderChange(
            at=clock.local_from_stored(row.created_at),
            operator=row.operator,
            action=row.kind,
            summary=told_summary(row.kind, row.counts, row.file_name, row.summary),
            before=_state(row),
            after=after,
            # An undo may put back only some orders of an action: this order's own time.
            undone_at=_local(row.restored_at),
            undone_by=(row.undone_by or row.operator) if row.restored_at else None,
        ))
    return changes


def _label(name: str) -> str:
    """The name of an order's state in a change ("shipped" is the ship date's column)."""
    return {
        "status": pgettext("order field", "status"), "shipped_on": pgettext("order field", "shipped"),
        "carrier": pgettext("order field", "carrier"), "tracking_number": pgettext("order field", "number"),
        "tracking_url": pgettext("order field", "URL"),
    }[name]


def action_word(kind: str) -> str:
    """What an action's kind (ship, wont_ship, track, import, load) did, for people."""
    words = {
        "ship": pgettext("action", "marked shipped"),
        "wont_ship": pgettext("action", "marked won't ship"),
        "track": pgettext("action", "tracking updated"),
        "import": pgettext("action", "tracking imported"),
        "load": pgettext("action", "orders loaded"),
    }
    return words.get(kind, kind)


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "–"
    if name == "shipped_on":
        return format_date(value)
    if name == "status":
        return status_word(value)
    return str(value)


def describe_change(change: OrderChange) -> str:
    """before → after of what changed, e.g. "status pending → shipped; shipped – → 03/14/2026"."""
    if change.after is None:
        return _("(the state after this change was not recorded)")
    return "; ".join(
        f"{_label(name)} {_shown(name, change.before[name])} → {_shown(name, change.after[name])}"
        for name in change.changed
    ) or _("no change")
