"""The selection the dashboard acts on: which orders, and the versions the operator saw."""

from __future__ import annotations

from array import array

from shiptui.services.orders import OrderRow
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
    assert selection.target().ids == (2, 9) and selection.expected_versions() == {2: 5, 9: 1}


def test_select_all_adds_every_id_once_with_versions_only_of_the_rows_shown():
    selection = Selection()
    selection.toggle(row(8, version=4))
    ids = array("q", [1_000_003, 8, 5, 64, 1_000_003 - 1])
    selection.add_all(ids, {5: row(5, version=2), 8: row(8, version=9)})
    selection.add_all(ids, {})
    assert len(selection) == 5 and all(order_id in selection for order_id in ids)
    assert selection.target().ids == (5, 8, 64, 1_000_002, 1_000_003)
    assert selection.expected_versions() == {8: 4, 5: 2}  # 8 was picked before: as seen then
    selection.clear()
    assert (len(selection), 8 in selection, selection.target().ids) == (0, False, ())
