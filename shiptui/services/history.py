"""The audit trail of a campaign: who did what, when, and what was undone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shiptui import clock
from shiptui.storage import Action, Campaign


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
            summary=action.summary,
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
