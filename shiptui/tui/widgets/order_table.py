"""The dashboard's order table: a Line API widget paged over the database.

It holds the ordered ids of the view and a cache of the rows around the cursor; every
line it draws is looked up by index, and a missing one is drawn as a placeholder while
its whole window is read by id in a worker thread (never while drawing).
So 100,000 orders cost one list of ids, not 100,000 widget rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, ClassVar, Sequence

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from shiptui.i18n import N_, _, format_date, pgettext
from shiptui.services.orders import OrderFilter, OrderRow, OrderTarget
from shiptui.storage import OrderStatus
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.errors import attempt
from shiptui.tui.selection import Selection
from shiptui.tui.text import clean, tell
from shiptui.tui.widgets.order_columns import Column, fit, layout, wont_ship_word
from shiptui.tui.widgets.order_pages import MISSING, OrderPages
from shiptui.tui.work import PageLoaded, WorkFailed, run_in_thread

# Short enough for the Mail column (7 cells) in every language.
REMINDER_WORDS = {
    "queued": N_("queued"), "sending": N_("sending"), "sent": N_("sent"), "failed": N_("failed"),
    "cancelled": N_("cancel"), "suppressed": N_("suppr."),
}
# The styles of a cell's state (the rest are a row's or the header's).
CELL_STYLES = ("order-table--shipped", "order-table--wont-ship", "order-table--failed", "order-table--muted")


class OrderTable(SpokenBindings, ScrollView, can_focus=True):
    """Orders of a view, one line each, the cursor row highlighted, selected rows checked.

    It owns the operator's selection, as DataTable owns its cursor: `toggle`, `extend`,
    `select_all` and `clear` change it and its `selected_count`. Rows come from a page
    cache filled in a worker thread; a row not read yet is drawn as a placeholder (or as
    it was before a reload) until its page comes in.
    """

    # The styles of its parts, in the file beside this one: the screen's CSS can override them.
    DEFAULT_CSS = (Path(__file__).parent / "order_table.tcss").read_text(encoding="utf-8")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", N_("Up"), show=False, tooltip=N_("move the cursor up")),
        Binding("down", "cursor_down", N_("Down"), show=False, tooltip=N_("move the cursor down")),
        Binding("pageup", "page_up", N_("Page up"), show=False, tooltip=N_("a screen up")),
        Binding("pagedown", "page_down", N_("Page down"), show=False, tooltip=N_("a screen down")),
        Binding("home", "first", N_("First"), show=False, tooltip=N_("the first order")),
        Binding("end", "last", N_("Last"), show=False, tooltip=N_("the last order")),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "order-table--header",
        "order-table--cursor",
        "order-table--selected",
        "order-table--shipped",
        "order-table--wont-ship",
        "order-table--failed",
        "order-table--muted",
        "order-table--empty",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    row_count: reactive[int] = reactive(0)  # how many orders the view holds
    selected_count: reactive[int] = reactive(0)
    order_id_width: reactive[int] = reactive(10)  # the longest Order ID of the campaign

    def __init__(
        self,
        fetch: Callable[[Sequence[int]], dict[int, OrderRow]],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.pages = OrderPages(fetch)
        self.selection = Selection()
        self.view = OrderFilter()  # whose ids the table shows
        self.empty_message = _("no orders")
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1
        self._base_style = Style()
        self._styles: dict[str, Style] = {}

    # --- data ------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[int]:
        return self.pages.ids

    def show(
        self, view: OrderFilter, ids: Sequence[int], cursor: int = 0, rows: dict[int, OrderRow | None] | None = None
    ) -> None:
        """Show the orders of `view`, the cursor at `cursor`; `rows` by index, if already read."""
        self.view = view
        self.selection.shown(view, ids)
        self.selected_count = len(self.selection)
        self.pages.start_over(ids, rows)
        self.row_count = len(ids)
        self.virtual_size = Size(self.size.width, len(ids) + 1)
        self.cursor = self._clamp(cursor)
        self.refresh()

    def row(self, index: int) -> OrderRow | None:
        """The order at `index`; None if it is gone (or could not be read: the notice says why)."""
        if not 0 <= index < len(self.ids):
            return None
        return attempt(self, lambda: self.pages.row(index))

    def watch_order_id_width(self) -> None:
        self._layout_width = -1  # lay the columns out again

    @property
    def cursor_row(self) -> OrderRow | None:
        return self.row(self.cursor)

    def _read_pages(self) -> None:
        read = self.pages.to_read()
        if read is not None:
            run_in_thread(self, read, task="page", group="pages")

    @on(PageLoaded)
    def _page_loaded(self, page: PageLoaded) -> None:
        if self.pages.arrived(page):
            self.refresh()

    @on(WorkFailed)
    def _page_failed(self, failed: WorkFailed) -> None:
        tell(self, failed.message, title=_("Not done"), severity="error", timeout=8)
        self.pages.failed()
        self.refresh()

    # --- selection -------------------------------------------------------------------

    def toggle(self) -> None:
        """Select the order at the cursor, or unselect it if it was."""
        row = self.cursor_row
        if row is not None:
            self.selection.toggle(row)
            self._selection_changed()

    def extend(self, step: int) -> None:
        """Select the order at the cursor and the one `step` away, moving the cursor there."""
        row = self.cursor_row
        if row is None:
            return
        self.selection.add(row)
        self.cursor += step
        row = self.cursor_row
        if row is not None:
            self.selection.add(row)
        self._selection_changed()

    def select_all(self) -> None:
        """Every order of the view, not only those on screen."""
        self.selection.select_view(self.view, self.ids, self.pages.loaded)
        self._selection_changed()

    def clear(self) -> None:
        self.selection.clear()
        self._selection_changed()

    def target(self) -> tuple[OrderTarget, dict[int, int]] | None:
        """What an action applies to: the selection, or the order at the cursor when none
        is selected; with the versions the operator saw. None (and a notice) if neither."""
        if len(self.selection):
            return self.selection.target(), self.selection.expected_versions()
        row = self.cursor_row
        if row is None:
            self.notify(_("no order here to act on"), severity="warning")
            return None
        return OrderTarget.of_ids([row.id]), {row.id: row.version}

    def _selection_changed(self) -> None:
        self.selected_count = len(self.selection)  # what the campaign bar follows
        self.refresh()

    # --- cursor ----------------------------------------------------------------------

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.ids) - 1))

    def validate_cursor(self, index: int) -> int:
        return self._clamp(index)

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_index(old)
        self._refresh_index(new)
        self._scroll_to_cursor()

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + self.page_height:
            top = self.cursor - self.page_height + 1
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False, force=True)

    def _refresh_index(self, index: int) -> None:
        self.refresh_line(index + 1)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self.page_height

    def action_page_down(self) -> None:
        self.cursor += self.page_height

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.ids) - 1

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index >= len(self.ids):
            return
        self.cursor = index
        check_left = 1 + sum(width + 1 for _, width in self._columns()[:-1])
        if offset.x >= check_left:
            self.toggle()

    # --- drawing ---------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids) + 1)
        self._scroll_to_cursor()

    def _columns(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout = layout(width - 1, self.order_id_width)  # after the left margin
            self._layout_width = width
        return self._layout

    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles looked up once per redraw, not once per line: a cursor move stays cheap.
        self._base_style = self.rich_style
        self._styles = {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
        # A cell's state colours only its text: its full style would bring the table's
        # background and cut a gap into a highlighted (cursor or selected) row.
        for name in CELL_STYLES:
            style = self._styles[name]
            self._styles[name] = style.without_color + Style(color=style.color)
        lines = super().render_lines(crop)
        if self.pages.reading:  # not while drawing: the worker starts once this redraw is done
            self.call_later(self._read_pages)
        return lines

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style
        if y == 0:
            header = self._styles["order-table--header"]
            return self._strip([(c.title, header) for c, _ in self._columns()], base + header, width)
        index = round(self.scroll_y) + y - 1
        if not self.ids:
            if y == 1:
                muted = self._styles["order-table--empty"]
                return Strip([Segment(set_cell_size(" " + self.empty_message, width), base + muted)])
            return Strip.blank(width, base)
        if index >= len(self.ids):
            return Strip.blank(width, base)
        row = self.pages.shown(index)
        style = base
        if self.ids[index] in self.selection:
            style += self._styles["order-table--selected"]
        if index == self.cursor:
            style += self._styles["order-table--cursor"]
        if row is MISSING:
            return Strip([Segment(set_cell_size(" …", width), style + self._styles["order-table--muted"])])
        if row is None:
            muted = self._styles["order-table--muted"]
            return Strip([Segment(set_cell_size(" " + _("(this order no longer exists: press r)"), width), style + muted)])
        over = self._styles["order-table--cursor"] if index == self.cursor else None
        return self._strip(self._cells(row), style, width, over)

    def _cells(self, row: OrderRow) -> list[tuple[str, Style | None]]:
        shipped_style = mail_style = None
        if row.status == OrderStatus.SHIPPED:
            shipped, shipped_style = format_date(row.shipped_on), self._styles["order-table--shipped"]
        elif row.status == OrderStatus.WONT_SHIP:
            shipped, shipped_style = wont_ship_word(), self._styles["order-table--wont-ship"]
        else:  # a word, not a blank: without colour a blank reads as nothing known
            shipped, shipped_style = pgettext("Shipped column", "Pending"), self._styles["order-table--muted"]
        if row.reminder in ("failed", "suppressed"):
            mail_style = self._styles["order-table--failed"]
        elif row.reminder in ("sent", "cancelled"):
            mail_style = self._styles["order-table--muted"]
        values = {
            "order_id": (row.order_id, None),
            "member": (row.member_name, None),
            "product": (row.product, None),
            "shipped": (shipped, shipped_style),
            # The review reminder goes with a shipment: one cancelled by an undo is no news.
            "mail": (_(REMINDER_WORDS[row.reminder]) if row.status == OrderStatus.SHIPPED and row.reminder in REMINDER_WORDS
                     else "", mail_style),
            "carrier": (row.carrier, None),
            "tracking": (row.tracking_number, None),
            "check": ("[x]" if row.id in self.selection else "[ ]", None),
        }
        return [values[column.key] for column, _ in self._columns()]

    def _strip(
        self, cells: list[tuple[str, Style | None]], style: Style, width: int, over: Style | None = None
    ) -> Strip:
        """One line of `cells` on the row's `style`; `over` (the cursor's) wins over a cell's
        own colour, so the cursor row reads as one bar."""
        segments = [Segment(" ", style)]
        for (column, column_width), (text, cell_style) in zip(self._columns(), cells):
            text = fit(clean(text), column_width)
            if cell_style:
                cell_style = style + cell_style + over if over else style + cell_style
            segments.append(Segment(text + " ", cell_style or style))
        return Strip(segments).adjust_cell_length(width, style)
