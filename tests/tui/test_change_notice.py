"""The notice after a change, as the operator reads it when others changed orders meanwhile."""

from shiptui.services.actions import Skipped, SkipReason
from shiptui.tui.change_notice import change_notice


def stale(order_id: str) -> Skipped:
    return Skipped(order_id, SkipReason.STALE, "changed by bob at 03/16/2026 10:05 since you loaded it: reload and try again")


def test_the_first_three_orders_someone_else_changed_are_named_and_the_rest_counted():
    skipped = [Skipped("SO-9", SkipReason.ALREADY_WONT_SHIP, "already marked won't ship"), *map(stale, ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5"])]
    notice, severity = change_notice("2 marked won't ship · 1 already won't ship, skipped · 5 changed by someone else, skipped", skipped)
    assert notice.splitlines()[1:] == [
        "SO-1: changed by bob at 03/16/2026 10:05 since you loaded it: reload and try again",
        "SO-2: changed by bob at 03/16/2026 10:05 since you loaded it: reload and try again",
        "SO-3: changed by bob at 03/16/2026 10:05 since you loaded it: reload and try again",
        "and 2 more changed by someone else",
    ]
    assert severity == "warning"


def test_a_change_nobody_else_interfered_with_is_its_summary_alone():
    skipped = [Skipped("SO-2", SkipReason.ALREADY_SHIPPED, "already shipped on 03/12/2026")]
    assert change_notice("3 marked shipped · 1 already shipped, skipped", skipped) == (
        "3 marked shipped · 1 already shipped, skipped", "information")
