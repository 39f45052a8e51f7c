"""The selection the dashboard acts on: which orders, and the versions the operator saw."""

from __future__ import annotations

from array import array

from shiptui.services.orders import OrderFilter, OrderRow
from shiptui.storage import OrderStatus
from shiptui.tui.selection import Selection


def row(order_id: int, version: int = 1) -> OrderRow:
    return OrderRow(order_id, f"SO-{order_id}", "Ann", "ann@example.com", "Serum", "pending",
                    None, "", "", "", "none", version, "en")


def test_rows_picked_one_by_one_keep_the_version_the_operator_saw():
    selection = Selection()
    assert selection.toggle(row(17, version=3)) and selection.toggle(row(2, version=5))
    selection.add(row(9, version=1))
    assert (len(selection), 17 in selection, 16 in selection, 1_000 in selection) == (3, True, False, False)
    assert not selection.toggle(row(17, version=3))
    target = selection.target()
    assert (list(target.ids), target.view) == ([2, 9], None)
    assert selection.expected_versions() == {2: 5, 9: 1}


PENDING = OrderFilter(OrderStatus.PENDING)


def test_select_all_is_the_view_with_the_versions_of_the_rows_shown_and_those_picked_out_left_out():
    selection = Selection()
    selection.toggle(row(8, version=4))
    ids = array("q", [64, 5, 8, 1_000_003, 1_000_002])
    selection.select_view(PENDING, ids, {5: row(5, version=2), 8: row(8, version=9)})
    assert len(selection) == 5 and all(order_id in selection for order_id in ids)
    assert selection.expected_versions() == {8: 4, 5: 2}  # 8 was picked before: as seen then
    assert not selection.toggle(row(64)) and 64 not in selection and len(selection) == 4
    target = selection.target()
    assert (target.view, list(target.ids)) == (PENDING, [64])  # the view, but 64
    assert selection.toggle(row(64, version=7)) and len(selection) == 5
    assert selection.expected_versions()[64] == 7
    selection.clear()
    assert (len(selection), 8 in selection, list(selection.target().ids)) == (0, False, [])


def test_a_selected_view_follows_its_reload_and_ends_with_another_view():
    selection = Selection()
    selection.select_view(PENDING, array("q", [1, 2, 3, 4]), {})
    selection.toggle(row(2))
    selection.toggle(row(3))
    selection.shown(PENDING, array("q", [1, 3, 4, 5, 6]))  # 2 was shipped meanwhile, 5 and 6 loaded
    assert len(selection) == 4 and 3 not in selection and 6 in selection
    selection.shown(OrderFilter(OrderStatus.PENDING, "müller"), array("q", [4]))
    assert (len(selection), 4 in selection, selection.target().view) == (0, False, None)
