"""The one clock of shiptui: every "today" and "now" comes from here.

`SHIPTUI_NOW` (an ISO date or date-time) fixes the clock for tests, demos and
backdating; `freeze()` does the same from inside a test.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from typing import Iterator

from shiptui import config
from shiptui.errors import BadConfiguration

_frozen: datetime | None = None


def _parse_fixed(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadConfiguration(
            f"SHIPTUI_NOW={text!r} is not an ISO date or date-time "
            "(e.g. 2026-03-14 or 2026-03-14T09:30)"
        ) from None
    if len(text) <= 10:  # a bare date: noon keeps "today" stable in every time zone nearby
        value = datetime.combine(value.date(), time(12, 0))
    return value if value.tzinfo else value.astimezone()


def now() -> datetime:
    """The current moment, timezone-aware, in the operator's local zone."""
    if _frozen is not None:
        return _frozen
    fixed = config.fixed_now()
    if fixed:
        return _parse_fixed(fixed)
    return datetime.now().astimezone()


def today() -> date:
    """The operator's local date."""
    return now().date()


def utc_naive(moment: datetime) -> datetime:
    """How moments are stored: naive UTC, whole seconds (sorts the same as text)."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)


def stored_now() -> datetime:
    return utc_naive(now())


def local_from_stored(stored: datetime) -> datetime:
    return stored.replace(tzinfo=timezone.utc).astimezone(now().tzinfo)


@contextmanager
def freeze(moment: datetime | str) -> Iterator[datetime]:
    """Fix the clock inside a `with` block (tests)."""
    global _frozen
    previous = _frozen
    _frozen = _parse_fixed(moment) if isinstance(moment, str) else (
        moment if moment.tzinfo else moment.astimezone()
    )
    try:
        yield _frozen
    finally:
        _frozen = previous
