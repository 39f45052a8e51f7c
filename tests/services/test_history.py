"""The audit trail of one order: every change, who made it, before and after, undone by whom."""

from __future__ import annotations

from datetime import date

import pytest

from shiptui.errors import NotFound
from shiptui.services.csv.mapping import TRACKING, initial_mapping
from shiptui.services.csv.reading import open_csv
from shiptui.services.csv.tracking_import import apply_tracking_import, check_tracking_file
from shiptui.services.fulfillment import mark_shipped, update_tracking
from shiptui.services.undo import undo_last
from shiptui.services.history import describe_change, order_history
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys

TODAY = date(2026, 3, 16)


def target(campaign, *keys):
    return OrderTarget.of_ids(resolve_order_keys(campaign, list(keys)))


def test_every_change_of_the_order_with_operator_before_and_after(db, make_campaign, tmp_path):
    campaign = make_campaign(2)
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z5R89390357567127", carrier="",
                    url="", operator="alice")
    mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="bob")
    path = tmp_path / "t.csv"
    path.write_text("Order ID,Tracking Number\nSO-1,1Z879E930346834440\n")
    table = open_csv(path)
    apply_tracking_import(campaign, check_tracking_file(campaign, table, initial_mapping(TRACKING, table.headers)),
                          operator="carol")

    changes = order_history(campaign, "SO-1")

    assert [(c.operator, c.action, c.changed) for c in changes] == [
        ("alice", "track", ["carrier", "tracking_number", "tracking_url"]),
        ("bob", "ship", ["status", "shipped_on"]),
        ("carol", "import", ["tracking_number", "tracking_url"]),
    ]
    assert describe_change(changes[1]) == "status pending → shipped; shipped – → 03/16/2026"
    assert changes[2].before["tracking_number"] == "1Z5R89390357567127"
    assert changes[2].after["tracking_number"] == "1Z879E930346834440"
    assert changes[1].summary == "2 marked shipped · 2 reminders queued"
    assert order_history(campaign, "SO-2")[0].operator == "bob"


def test_an_undone_change_keeps_what_it_did_and_names_who_undid_it(db, make_campaign):
    campaign = make_campaign(1)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="bob")
    undo_last(campaign, operator="bob")
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")

    first, second = order_history(campaign, "SO-1")

    assert (first.operator, first.undone_by, describe_change(first)) == (
        "bob", "bob", "status pending → shipped; shipped – → 03/16/2026",
    )
    assert first.undone_at is not None
    assert (second.operator, second.undone_by, second.changed) == ("alice", None, ["status", "shipped_on"])


def test_an_order_never_changed_has_an_empty_trail_and_an_unknown_one_is_named(db, make_campaign):
    campaign = make_campaign(1)
    assert order_history(campaign, "SO-1") == []
    with pytest.raises(NotFound, match="unknown Order ID 'SO-9'"):
        order_history(campaign, "SO-9")
