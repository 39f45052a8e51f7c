"""The lines above the order table: the campaign, its live counts, what the view shows."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from shiptui.services.campaigns import StatusCounts
from shiptui.services.orders import OrderFilter
from shiptui.tui.text import clean

CLEAR_HINT = " (esc clears)"
FILTER_NAMES = {None: "all orders", "pending": "pending", "shipped": "shipped", "wont_ship": "won't ship"}


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

    def __init__(self, campaign_name: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.campaign_name = clean(campaign_name)

    def render(self) -> Content:
        where = FILTER_NAMES[self.view.status]
        if self.view.search.strip():
            search = clean(self.view.search.strip())
            if len(search) > 20:
                search = search[:19] + "…"
            where += f" matching {search!r}"
        if self.loading:
            where += " · reading…"
        else:
            where += f" · {self.position + 1 if self.shown else 0:,}/{self.shown:,}"
        width = self.content_region.width
        room = max(0, width - cell_len(where) - 2)
        name = self.campaign_name
        if cell_len(name) > room:
            name = set_cell_size(name, max(0, room - 1)) + "…"
        first = Content.assemble((name, "bold"), " " * max(2, width - cell_len(name) - cell_len(where)), where)
        counts = Content.assemble(
            (f"{self.counts.pending:,}", "bold"), " pending · ",
            (f"{self.counts.shipped:,}", "bold"), " shipped · ",
            (f"{self.counts.wont_ship:,}", "bold"), " won't ship · ",
            (f"{self.selected:,} selected", "bold reverse" if self.selected else "bold"),
        )
        if self.selected and counts.cell_length + len(CLEAR_HINT) <= width:
            counts = counts.append(CLEAR_HINT)
        return Content("\n").join([first, counts])
