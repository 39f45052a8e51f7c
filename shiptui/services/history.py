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


def campaign_history(campaign: Campaign, limit: int | None = 50) -> list[HistoryEntry]:
    """The campaign's actions, newest first."""
    return [
        HistoryEntry(
            at=clock.local_from_stored(action.created_at),
            operator=action.operator,
            kind=action.kind,
            summary=action.summary,
            undone_at=clock.local_from_stored(action.undone_at) if action.undone_at else None,
            undone_by=action.undone_by,
        )
        for action in Action.select()
        .where(Action.campaign == campaign)
        .order_by(Action.id.desc())
        .limit(limit)
    ]
