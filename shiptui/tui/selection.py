"""The operator's selection: order ids, not widget state, so it survives scrolling,
searching and reloading; or a whole view, so selecting a million orders costs nothing."""

from __future__ import annotations

from typing import Sequence

from shiptui.services.orders import OrderFilter, OrderRow, OrderTarget


class Selection:
    """The selected orders, each with the version the operator saw (none: selected in
    bulk, never shown). Acting on an order whose version has moved on is reported, not done.

    Orders picked one by one are a set of ids (one per key press). Select-all is the view
    itself with the orders picked out of it since: no loop over a million ids, and the
    action is told the view (`OrderTarget.of_view`), not sent the ids back. It lasts while
    the table shows that view (reloads too); another filter or search ends it.
    """

    def __init__(self) -> None:
        self._marked: set[int] = set()  # picked; of a view selected as a whole: left out
        self._view: OrderFilter | None = None  # selected as a whole
        self._view_size = 0
        self._through_id: int | None = None  # the view's highest id as shown
        self._left_out_shown = 0  # of the marked, those in the view as shown now
        self._versions: dict[int, int] = {}  # of the selected orders the operator was shown

    def __len__(self) -> int:
        if self._view is not None:
            return self._view_size - self._left_out_shown
        return len(self._marked)

    def __contains__(self, order_id: int) -> bool:
        """Whether the order is selected (one of a view selected as a whole: of the view shown)."""
        return (order_id in self._marked) != (self._view is not None)

    def toggle(self, row: OrderRow) -> bool:
        """Select the row, or unselect it if it was; returns whether it is selected now."""
        if row.id in self:
            self._mark(row.id, self._view is not None)
            self._versions.pop(row.id, None)
            return False
        self.add(row)
        return True

    def add(self, row: OrderRow) -> None:
        self._mark(row.id, self._view is None)
        self._versions[row.id] = row.version

    def _mark(self, order_id: int, marked: bool) -> None:
        if marked == (order_id in self._marked):
            return
        if marked:
            self._marked.add(order_id)
        else:
            self._marked.discard(order_id)
        if self._view is not None:  # a row of the view shown is picked out of it, or back in
            self._left_out_shown += 1 if marked else -1

    def select_view(self, view: OrderFilter, ids: Sequence[int], seen: dict[int, OrderRow]) -> None:
        """Every order of `view`, whose ids the table shows; the versions known of those
        the operator has been shown (as seen when picked, for those picked before)."""
        picked = self._versions if self._view is None else {}
        self._versions = {order_id: picked.get(order_id, row.version) for order_id, row in seen.items()}
        self._view, self._marked, self._left_out_shown = view, set(), 0
        self._view_size, self._through_id = len(ids), max(ids, default=0)

    def shown(self, view: OrderFilter, ids: Sequence[int]) -> None:
        """The table shows `ids` of `view` now: a view selected as a whole follows its
        reload (its count with it); another view ends it."""
        if self._view is None:
            return
        if view != self._view:
            self.clear()
            return
        self._view_size, self._through_id = len(ids), max(ids, default=0)
        # At C speed (30 ms for a million ids), and only when some are picked out.
        self._left_out_shown = sum(map(self._marked.__contains__, ids)) if self._marked else 0

    def clear(self) -> None:
        self._marked = set()
        self._view = None
        self._view_size = self._left_out_shown = 0
        self._versions.clear()

    def target(self) -> OrderTarget:
        if self._view is not None:
            return OrderTarget.of_view(self._view, leaving_out=self._marked, through_id=self._through_id)
        return OrderTarget.of_ids(self._marked)

    def expected_versions(self) -> dict[int, int]:
        return dict(self._versions)
