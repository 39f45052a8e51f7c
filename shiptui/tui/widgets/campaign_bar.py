"""The lines above the order table: the campaign, its live counts, what the view shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from shiptui.i18n import N_, _, format_number, pgettext
from shiptui.services.campaigns import StatusCounts
from shiptui.services.orders import OrderFilter
from shiptui.tui.text import clean

if TYPE_CHECKING:
    from shiptui.tui.widgets.order_table import OrderTable

FILTER_NAMES = {None: N_("all orders"), "pending": N_("pending"), "shipped": N_("shipped"), "wont_ship": N_("won't ship")}


class CampaignBar(Widget):
    """Campaign name and view on the first line, counts by status and selection on the second.

    Fixed height, so an update redraws two lines and never lays the screen out again
    (that is what keeps a cursor move cheap).
    """

    counts: reactive[StatusCounts] = reactive(StatusCounts)
    selected: reactive[int] = reactive(0)
    view: reactive[OrderFilter] = reactive(OrderFilter)
    position: reactive[int] = reactive(0)  # the cursor's index in the view
    shown: reactive[int] = reactive(0)  # how many orders the view holds
    loading: reactive[bool] = reactive(False)
    working: reactive[str] = reactive("")  # what a change running in the background does


    def __init__(self, campaign_name: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.campaign_name = clean(campaign_name)

    def follow(self, table: OrderTable) -> None:
        """Show the table's cursor position, size and selection whenever they change."""
        self.watch(table, "cursor", lambda index: setattr(self, "position", index))
        self.watch(table, "row_count", lambda count: setattr(self, "shown", count))
        self.watch(table, "selected_count", lambda count: setattr(self, "selected", count))

    def render(self) -> Content:
        where = _(FILTER_NAMES[self.view.status])
        if self.view.search.strip():
            search = clean(self.view.search.strip())
            if len(search) > 20:
                search = search[:19] + "…"
            where = _("{view} matching {search}").format(view=where, search=repr(search))
        if self.working:
            where += " · " + self.working
        elif self.loading:
            where += " · " + _("reading…")
        else:
            where += f" · {format_number(self.position + 1 if self.shown else 0)}/{format_number(self.shown)}"
        width = self.content_region.width
        room = max(0, width - cell_len(where) - 2)
        name = self.campaign_name
        if cell_len(name) > room:
            name = set_cell_size(name, max(0, room - 1)) + "…"
        first = Content.assemble((name, "bold"), " " * max(2, width - cell_len(name) - cell_len(where)), where)
        counts = Content.assemble(
            (format_number(self.counts.pending), "bold"), " ", pgettext("counted", "pending"), " · ",
            (format_number(self.counts.shipped), "bold"), " ", pgettext("counted", "shipped"), " · ",
            (format_number(self.counts.wont_ship), "bold"), " ", pgettext("counted", "won't ship"), " · ",
            (_("{count} selected").format(count=format_number(self.selected)),
             "bold reverse" if self.selected else "bold"),
        )
        clear_hint = " " + _("(esc clears)")
        if self.selected and counts.cell_length + cell_len(clear_hint) <= width:
            counts = counts.append(clear_hint)
        return Content("\n").join([first, counts])
