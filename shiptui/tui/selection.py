"""The operator's selection: order ids, not widget state, so it can hold 100,000 orders
and survive scrolling, searching and reloading."""

from __future__ import annotations

from typing import Iterator, Sequence

from shiptui.services.orders import OrderRow, OrderTarget


class Selection:
    """Selected order ids, each with the version the operator saw (none: selected in bulk,
    never shown). Acting on an order whose version has moved on is reported, not done.

    A bit per order id says which are selected: select-all of a million orders takes
    125 KB, where a dict of a million ids took 70 MB of the console's memory.
    """

    def __init__(self) -> None:
        self._bits = bytearray()
        self._count = 0
        self._versions: dict[int, int] = {}  # of the selected orders the operator was shown

    def __len__(self) -> int:
        return self._count

    def __contains__(self, order_id: int) -> bool:
        byte = order_id >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & 1 << (order_id & 7))

    def toggle(self, row: OrderRow) -> bool:
        """Select the row, or unselect it if it was; returns whether it is selected now."""
        if row.id in self:
            self._bits[row.id >> 3] &= ~(1 << (row.id & 7))
            self._count -= 1
            self._versions.pop(row.id, None)
            return False
        self.add(row)
        return True

    def add(self, row: OrderRow) -> None:
        self.add_all([row.id], {})
        self._versions[row.id] = row.version

    def add_all(self, ids: Sequence[int], seen: dict[int, OrderRow]) -> None:
        """Select every id; the version is known for those the operator has been shown."""
        if not ids:
            return
        bits, added = self._bits, 0
        if (needed := (max(ids) >> 3) + 1 - len(bits)) > 0:
            bits.extend(bytes(needed))
        for order_id in ids:
            byte, bit = order_id >> 3, 1 << (order_id & 7)
            if not bits[byte] & bit:
                bits[byte] |= bit
                added += 1
                if (row := seen.get(order_id)) is not None:
                    self._versions[order_id] = row.version
        self._count += added

    def clear(self) -> None:
        self._bits = bytearray()
        self._count = 0
        self._versions.clear()

    def target(self) -> OrderTarget:
        return OrderTarget(ids=tuple(self._ids()))  # sorted and unique, as of_ids makes them

    def expected_versions(self) -> dict[int, int]:
        return dict(self._versions)

    def _ids(self) -> Iterator[int]:
        """The selected ids, in rising order."""
        for byte, value in enumerate(self._bits):
            if value:
                yield from (byte << 3 | bit for bit in range(8) if value & 1 << bit)
