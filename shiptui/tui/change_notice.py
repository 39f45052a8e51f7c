"""What the console says after a change: its summary, and the orders someone else changed meanwhile."""

from __future__ import annotations

from collections.abc import Iterable

from shiptui.i18n import format_number, ngettext
from shiptui.services.actions import Skipped, SkipReason, Skips
from shiptui.tui.text import clean

STALE_SHOWN = 3  # orders named in a notice; the summary counts the rest


def change_notice(summary: str, skipped: Iterable[Skipped] = ()) -> tuple[str, str]:
    """The notice of a change and its severity.

    The summary counts every skip; orders someone else changed meanwhile are also
    named, with who and when, since the operator has to look at them again.
    """
    skips = Skips(skipped)
    stale = skips.named(SkipReason.STALE)
    lines = [summary] + [f"{skip.order_id}: {skip.reason}" for skip in stale[:STALE_SHOWN]]
    if skips.counts[SkipReason.STALE] > STALE_SHOWN:
        more = skips.counts[SkipReason.STALE] - STALE_SHOWN
        lines.append(ngettext("and {count} more changed by someone else",
                              "and {count} more changed by someone else", more).format(count=format_number(more)))
    return "\n".join(clean(line) for line in lines), "warning" if stale else "information"
