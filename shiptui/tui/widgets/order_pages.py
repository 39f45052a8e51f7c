"""The rows behind the order table: a cache of pages read by id, a window at a time,
in a worker thread, so drawing never waits for the database.

100,000 orders cost one list of ids; only the windows the operator looks at are read.
"""

from __future__ import annotations

from typing import Callable, Sequence

from shiptui.services.orders import OrderRow
from shiptui.tui.work import PageLoaded

# Rows read around a missing line: a few screens, so paging rarely waits on the database.
WINDOW_BEFORE = 40
WINDOW_AFTER = 120
CACHE_LIMIT = 2000

MISSING = object()  # a row whose page has not come in


class OrderPages:
    """The rows of a view's ids by index. A row drawn before its page has come in is
    noted, and `to_read` names the window to read next; until a reload's pages come in,
    the rows are as they were shown before, so a reload does not flicker."""

    def __init__(self, fetch: Callable[[Sequence[int]], dict[int, OrderRow]]) -> None:
        self.fetch = fetch  # the rows of these order ids, by id
        self.ids: Sequence[int] = ()
        self._rows: dict[int, OrderRow | None] = {}  # index -> row; None: not found (gone, or an error)
        self._before: dict[int, OrderRow] = {}  # order id -> row as shown before the last reload
        self._generation = 0  # pages asked for before a reload or a new view are dropped
        self._asked: set[int] = set()  # indexes whose page is being read
        self._missing: set[int] = set()  # indexes drawn before their page came in

    def start_over(self, ids: Sequence[int], rows: dict[int, OrderRow | None] | None = None) -> None:
        """The rows of `ids` (by index, those already read in `rows`) from now on."""
        self._before = self.loaded
        self.ids = ids
        self._rows = dict(rows or {})
        self._asked.clear()
        self._missing.clear()
        self._generation += 1

    @property
    def loaded(self) -> dict[int, OrderRow]:
        """The rows read so far, by order id."""
        return {row.id: row for row in self._rows.values() if row is not None}

    @property
    def reading(self) -> bool:
        return bool(self._asked or self._missing)

    def shown(self, index: int) -> OrderRow | None | object:
        """What to draw at `index`: its row, None if gone, MISSING if not read yet."""
        row = self._rows.get(index, MISSING)
        if row is MISSING:
            self._missing.add(index)
            row = self._before.get(self.ids[index], MISSING)
        return row

    def row(self, index: int) -> OrderRow | None:
        """The row at `index`, read at once if its page has not come in (an action needs
        it now); None if it is gone. Raises what the database raises."""
        if index not in self._rows:
            self._rows[index] = self.fetch([self.ids[index]]).get(self.ids[index])
        return self._rows[index]

    def to_read(self) -> Callable[[], PageLoaded] | None:
        """The read (for a worker thread) of the window around the rows drawn missing."""
        missing, self._missing = self._missing, set()
        if not missing:
            return None
        start = max(0, min(missing) - WINDOW_BEFORE)
        end = min(len(self.ids), max(missing) + WINDOW_AFTER)
        wanted = [i for i in range(start, end) if i not in self._rows and i not in self._asked]
        if not wanted:
            return None
        self._asked.update(wanted)
        generation, ids, fetch = self._generation, [self.ids[i] for i in wanted], self.fetch

        def read() -> PageLoaded:
            found = fetch(ids)
            return PageLoaded(generation, {i: found.get(order_id) for i, order_id in zip(wanted, ids)})

        return read

    def arrived(self, page: PageLoaded) -> bool:
        """Keep the page's rows; False if it was read for ids no longer shown."""
        if page.generation != self._generation:
            return False
        if len(self._rows) > CACHE_LIMIT:
            self._rows.clear()
        self._rows.update(page.rows)  # a row not found is not asked for again until the next reload
        self._asked.difference_update(page.rows)
        return True

    def failed(self) -> None:
        """The rows being read could not be: shown as not found until the next reload."""
        self._rows.update(dict.fromkeys(self._asked))
        self._asked.clear()
