"""The dashboard's order table: a Line API widget paged over the database.

It holds the ordered ids of the view and a cache of the rows around the cursor; every
line it draws is looked up by index, and a missing one loads its whole window by id.
So 100,000 orders cost one list of ids, not 100,000 widget rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from shiptui.i18n import N_, _, format_date
from shiptui.services.carriers import carrier_names
from shiptui.services.orders import OrderRow
from shiptui.storage import OrderStatus
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.selection import Selection
from shiptui.tui.text import clean

# Rows loaded around a missing line: a few screens, so paging rarely waits on the database.
WINDOW_BEFORE = 40
WINDOW_AFTER = 120
CACHE_LIMIT = 2000

# Short enough for the Mail column (7 cells) in every language.
REMINDER_WORDS = {
    "queued": N_("queued"), "sending": N_("sending"), "sent": N_("sent"), "failed": N_("failed"),
    "cancelled": N_("cancel"), "suppressed": N_("suppr."),
}


@dataclass(frozen=True)
class Column:
    """A column's widths: `natural` at 80 columns, never below `minimum`; on a wider
    terminal it grows to `usual` (what most of its values need), then to `longest`."""

    key: str
    title: str
    natural: int
    minimum: int
    usual: int = 0
    longest: int = 0


# What the Carrier column holds: a known carrier's name, mostly "DHL Express" or shorter.
LONGEST_CARRIER = max(cell_len(name) for name in carrier_names())
CHECK_COLUMN = Column("check", N_("Sel"), 3, 3)
COLUMNS = (
    Column("order_id", N_("Order ID"), 10, 8),
    Column("member", N_("Member"), 22, 16, usual=22, longest=32),
    Column("product", N_("Product"), 22, 10, usual=26, longest=40),
    Column("shipped", N_("Shipped"), 10, 10),
    Column("mail", N_("Mail"), 7, 7),
    Column("carrier", N_("Carrier"), 9, 7, usual=cell_len("DHL Express"), longest=LONGEST_CARRIER),
    # UPS 18, USPS 22; FedEx's longest numbers have 34 digits.
    Column("tracking", N_("Tracking no."), 22, 14, usual=22, longest=34),
    CHECK_COLUMN,  # at the right end of each row, as on the help page
)
# When the width runs short: columns shrink in this order, then whole columns go in this
# order. Order ID, Member, Shipped and the check box always stay.
SHRINK_ORDER = ("product", "tracking", "member", "carrier")
DROP_ORDER = ("carrier", "product", "tracking", "mail")
# The styles of a cell's state (the rest are a row's or the header's).
CELL_STYLES = ("order-table--shipped", "order-table--wont-ship", "order-table--failed", "order-table--muted")
# Width beyond every column's longest: for the free text of names and products.
FREE_TEXT = ("member", "product")


def wont_ship_word() -> str:
    """What the Shipped column says of an order that won't ship (the help page's words)."""
    return _("Won't ship")


def _spoken(column: Column, order_id_width: int) -> Column:
    """The column with its title in the operator's language, never narrower than the
    title, nor than its longest word (an ID, a date or "won't ship" is never cut)."""
    title = _(column.title)
    natural, minimum = column.natural, column.minimum
    if column.key == "order_id":
        natural = order_id_width
    elif column.key == "shipped":
        minimum = max(minimum, cell_len(wont_ship_word()))
    minimum = max(minimum, cell_len(title))
    natural = max(natural, minimum)
    usual = max(column.usual, natural)
    return Column(column.key, title, natural, minimum, usual, max(column.longest, usual))


def _share(spare: int, widths: dict[str, int], wanted: dict[str, int]) -> int:
    """Widen columns towards `wanted` with `spare` cells, the column lacking least first
    (so as many as possible show their values whole), the rest evenly; returns what is left."""
    lacking = sorted((wanted[key] - widths[key], key) for key in wanted if wanted[key] > widths[key])
    for position, (lack, key) in enumerate(lacking):
        share = min(lack, spare // (len(lacking) - position))
        widths[key] += share
        spare -= share
    return spare


def layout(width: int, order_id_width: int) -> list[tuple[Column, int]]:
    """The columns that fit `width` cells, with their widths (one space between)."""
    columns = [_spoken(c, order_id_width) for c in COLUMNS]
    for dropped in range(len(DROP_ORDER) + 1):
        shown = [c for c in columns if c.key not in DROP_ORDER[:dropped]]
        widths = {c.key: c.natural for c in shown}
        excess = sum(widths.values()) + len(shown) - width
        for key in SHRINK_ORDER:
            if key in widths and excess > 0:
                minimum = next(c.minimum for c in shown if c.key == key)
                cut = min(excess, widths[key] - minimum)
                widths[key] -= cut
                excess -= cut
        if excess <= 0:
            spare = -excess
            for tier in ("usual", "longest"):
                spare = _share(spare, widths, {c.key: getattr(c, tier) for c in shown})
            _share(spare, widths, {key: widths[key] + spare for key in FREE_TEXT if key in widths})
            return [(c, widths[c.key]) for c in shown]
    return [(c, widths[c.key]) for c in shown]


def _fit(text: str, width: int) -> str:
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class OrderTable(SpokenBindings, ScrollView, can_focus=True):
    """Orders of a view, one line each, the cursor row highlighted, selected rows checked."""

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

    class CursorMoved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class CheckClicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(
        self,
        fetch: Callable[[Sequence[int]], dict[int, OrderRow]],
        selection: Selection,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch = fetch
        self.selection = selection
        self.ids: Sequence[int] = ()
        self._order_id_width = 10
        self.empty_message = _("no orders")
        self._rows: dict[int, OrderRow | None] = {}  # index -> row; None: not found (gone, or an error)
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1
        self._base_style = Style()
        self._styles: dict[str, Style] = {}

    # --- data ------------------------------------------------------------------------

    def show(self, ids: Sequence[int], cursor: int = 0) -> None:
        """Show these orders (a new view), the cursor at `cursor`."""
        self.ids = ids
        self._rows.clear()
        self.virtual_size = Size(self.size.width, len(ids) + 1)
        self.cursor = self._clamp(cursor)
        self.refresh()

    def reload_rows(self) -> None:
        """Fetch the shown rows again (after a change), keeping the view and cursor."""
        self._rows.clear()
        self.refresh()

    def row(self, index: int) -> OrderRow | None:
        """The order at `index` (loading its window if needed); None if it is gone."""
        if not 0 <= index < len(self.ids):
            return None
        if index not in self._rows:
            self._load(index)
        return self._rows.get(index)

    @property
    def order_id_width(self) -> int:
        """How wide the Order ID column is: the longest Order ID of the campaign."""
        return self._order_id_width

    @order_id_width.setter
    def order_id_width(self, width: int) -> None:
        if width != self._order_id_width:
            self._order_id_width = width
            self._layout_width = -1  # lay the columns out again
            self.refresh()

    @property
    def cursor_row(self) -> OrderRow | None:
        return self.row(self.cursor)

    @property
    def loaded(self) -> dict[int, OrderRow]:
        """The rows fetched so far, by order id."""
        return {row.id: row for row in self._rows.values() if row is not None}

    def _load(self, index: int) -> None:
        if len(self._rows) > CACHE_LIMIT:
            self._rows.clear()
        start = max(0, index - WINDOW_BEFORE)
        end = min(len(self.ids), index + WINDOW_AFTER)
        wanted = [i for i in range(start, end) if i not in self._rows]
        found = self._fetch([self.ids[i] for i in wanted])
        for i in wanted:  # a row not found is not asked for again until the next reload
            self._rows[i] = found.get(self.ids[i])

    # --- cursor ----------------------------------------------------------------------

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.ids) - 1))

    def validate_cursor(self, index: int) -> int:
        return self._clamp(index)

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_index(old)
        self._refresh_index(new)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(new))

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

    def refresh_index(self, index: int) -> None:
        """Redraw one row (its selection changed)."""
        self._refresh_index(index)

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
            self.post_message(self.CheckClicked(index))

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
        return super().render_lines(crop)

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
        row = self.row(index)
        style = base
        if row is not None and row.id in self.selection:
            style += self._styles["order-table--selected"]
        if index == self.cursor:
            style += self._styles["order-table--cursor"]
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
        else:
            shipped = ""
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
            text = _fit(clean(text), column_width)
            if cell_style:
                cell_style = style + cell_style + over if over else style + cell_style
            segments.append(Segment(text + " ", cell_style or style))
        return Strip(segments).adjust_cell_length(width, style)
