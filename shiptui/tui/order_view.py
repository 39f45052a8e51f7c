"""Which orders the dashboard shows: its filter and search, read in a worker thread.

The first screenful is read at once, so the dashboard opens fast; the whole list of ids,
which takes a while on 100,000 orders, is read in a worker thread and so are searches,
so typing never waits for the database. One read runs at a time; when it ends, the latest
view asked for (if another) is read next.
"""

from __future__ import annotations

from typing import Sequence

from textual.dom import DOMNode

from shiptui.i18n import _
from shiptui.services import campaigns, orders
from shiptui.services.orders import OrderFilter, OrderRow
from shiptui.storage import Campaign, OrderStatus
from shiptui.tui.errors import attempt
from shiptui.tui.widgets.campaign_bar import CampaignBar
from shiptui.tui.widgets.order_pages import WINDOW_AFTER
from shiptui.tui.widgets.order_table import OrderTable
from shiptui.tui.work import ViewLoaded, run_in_thread

FILTER_CYCLE = (None, OrderStatus.PENDING, OrderStatus.SHIPPED, OrderStatus.WONT_SHIP)
FIRST_PAGE = 200  # ids read at once when the dashboard opens, and of a search's first matches


class OrderView:
    """The view of a campaign a screen shows in its table and bar; the screen hands the
    `ViewLoaded` messages of its reads to `arrived`."""

    def __init__(self, screen: DOMNode, campaign: Campaign, table: OrderTable, bar: CampaignBar) -> None:
        self.screen = screen
        self.campaign = campaign
        self.table = table
        self.bar = bar
        self.filter = OrderFilter()
        self._wanted: tuple[OrderFilter, bool] | None = None  # a view still to read
        self._first_page_of: OrderFilter | None = None  # the search whose first matches are shown
        self._reading = False

    @property
    def reading(self) -> bool:
        """Whether the table shows the last view, or the start of this one, while it is read."""
        return self._reading or self._wanted is not None

    def open(self) -> None:
        """The first screenful at once; the rest (and the counts) in the worker."""
        first = attempt(self.screen, self._first_rows)
        if first is None:
            return
        ids, rows = first
        self.table.empty_message = _("no orders yet: press l to load them from a CSV file")
        self.table.show(self.filter, ids, rows=rows)
        # From the first rows until the whole view is read, with the longest Order ID.
        self.table.order_id_width = max([8, *(min(len(row.order_id), 20) for row in rows.values() if row)])
        if len(ids) < FIRST_PAGE:  # that was all of them
            self.bar.counts = attempt(self.screen, lambda: campaigns.status_counts(self.campaign)) or self.bar.counts
        else:
            self.load(reload=True)

    def _first_rows(self) -> tuple[Sequence[int], dict[int, OrderRow | None]]:
        ids = orders.order_ids(self.campaign, self.filter, limit=FIRST_PAGE)
        found = orders.rows_by_id(self.campaign, ids[:WINDOW_AFTER])
        return ids, {index: found.get(order_id) for index, order_id in enumerate(ids[:WINDOW_AFTER])}

    def load(self, order_filter: OrderFilter | None = None, reload: bool = False) -> None:
        """Show the orders of `order_filter` (the current one if None). `reload`: the
        database may have changed meanwhile, so count again and keep the cursor on its order."""
        self.filter = order_filter or self.filter
        pending_reload = self._wanted is not None and self._wanted[1]
        self._wanted = (self.filter, reload or pending_reload)
        self.bar.view = self.filter
        if not self._reading:
            self._read_next()

    def search(self, text: str) -> None:
        if text != self.filter.search:
            self.load(OrderFilter(self.filter.status, text))

    def next_status(self) -> None:
        """The next filter: all orders, pending, shipped, won't ship."""
        following = FILTER_CYCLE[(FILTER_CYCLE.index(self.filter.status) + 1) % len(FILTER_CYCLE)]
        self.load(OrderFilter(following, self.filter.search))

    def _read_next(self) -> None:
        view, reload = self._wanted
        self._wanted = None
        self._reading = self.bar.loading = True
        run_in_thread(self.screen, lambda: self._read(view, reload), task="view", group="view")

    def _read(self, view: OrderFilter, reload: bool) -> ViewLoaded:
        """In the worker thread. A search shows its first matches at once; reading every
        match (all of a campaign for a letter) comes after."""
        if view.search.strip() and not reload:
            first = orders.order_ids(self.campaign, view, limit=FIRST_PAGE)
            if len(first) < FIRST_PAGE:
                return ViewLoaded(view, first)
            self.screen.post_message(ViewLoaded(view, first, complete=False))
            # Typed on meanwhile: reading every match of this text (seconds for a letter at a
            # million orders) would hold back the new text's first page.
            stopped = False

            def typed_on() -> bool:
                nonlocal stopped
                stopped = self._superseded(view)
                return stopped

            ids = orders.order_ids(self.campaign, view, until=typed_on)
            return ViewLoaded(view, ids, stopped=stopped)
        ids = orders.order_ids(self.campaign, view)
        if not reload:
            return ViewLoaded(view, ids)
        return ViewLoaded(view, ids, reload=True, counts=campaigns.status_counts(self.campaign),
                          width=orders.order_key_width(self.campaign))

    def _superseded(self, view: OrderFilter) -> bool:
        """In the worker thread: whether another view than `view` is wanted now."""
        wanted = self._wanted
        return wanted is not None and wanted[0] != view

    def arrived(self, loaded: ViewLoaded) -> None:
        if not loaded.complete:
            if loaded.view == self.filter and self._wanted is None:  # not typed on meanwhile
                self._show(loaded.ids, 0)
                self._first_page_of = loaded.view
            return
        self._reading = False
        if loaded.counts is not None:
            self.bar.counts = loaded.counts
            self.table.order_id_width = max(8, min(loaded.width or 0, 20))
        if self._wanted is not None:  # the operator asked for another view meanwhile
            self._read_next()
            return
        self.bar.loading = False
        if loaded.view != self.filter or loaded.stopped:
            return
        # A new view starts at its top (or where the cursor went on its first page); a
        # reload stays on the order it was on.
        cursor = self.table.cursor if self._first_page_of == loaded.view else 0
        self._first_page_of = None
        current = self.table.cursor_row if loaded.reload else None
        if current is not None:
            try:
                cursor = loaded.ids.index(current.id)
            except ValueError:
                cursor = self.table.cursor
        self._show(loaded.ids, cursor)

    def failed(self) -> None:
        self._reading = self.bar.loading = False

    def read_all_now(self) -> bool:
        """Make sure the table holds every order of the view (select-all needs them);
        False if they could not be read."""
        if self.reading:
            ids = attempt(self.screen, lambda: orders.order_ids(self.campaign, self.filter))
            if ids is None:
                return False
            self.table.show(self.filter, ids, self.table.cursor)
            self._wanted = None
        return True

    def _show(self, ids: Sequence[int], cursor: int) -> None:
        if self.filter.search.strip():
            self.table.empty_message = _("no order matches the search: press / to change it")
        else:
            self.table.empty_message = _("no orders in this view: press f for another filter")
        self.table.show(self.filter, ids, cursor)
