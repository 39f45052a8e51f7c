"""The operator's selection: order ids, not widget state, so it can hold 100,000 orders
and survive scrolling, searching and reloading."""

from __future__ import annotations

from typing import Iterable

from shiptui.services.orders import OrderRow, OrderTarget


class Selection:
    """Selected order ids, each with the version the operator saw (None: selected in bulk,
    never shown). Acting on an order whose version has moved on is reported, not done."""

    def __init__(self) -> None:
        self._versions: dict[int, int | None] = {}

    def __len__(self) -> int:
        return len(self._versions)

    def __contains__(self, order_id: int) -> bool:
        return order_id in self._versions

    def toggle(self, row: OrderRow) -> bool:
        """Select the row, or unselect it if it was; returns whether it is selected now."""
        if row.id in self._versions:
            del self._versions[row.id]
            return False
        self._versions[row.id] = row.version
        return True

    def add(self, row: OrderRow) -> None:
        self._versions[row.id] = row.version

    def add_all(self, ids: Iterable[int], seen: dict[int, OrderRow]) -> None:
        """Select every id; the version is known for those the operator has been shown."""
        for order_id in ids:
            if order_id not in self._versions:
                row = seen.get(order_id)
                self._versions[order_id] = row.version if row else None

    def clear(self) -> None:
        self._versions.clear()

    def target(self) -> OrderTarget:
        return OrderTarget.of_ids(self._versions)

    def expected_versions(self) -> dict[int, int]:
        return {order_id: version for order_id, version in self._versions.items() if version is not None}
