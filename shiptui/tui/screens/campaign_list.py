"""The campaign list: every campaign with its counts; enter opens its dashboard."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from shiptui.i18n import N_, _, format_number, pgettext
from shiptui.services import campaigns
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.errors import attempt
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.text import literal
from shiptui.tui.widgets.fitting_footer import FittingFooter


class CampaignListScreen(SpokenBindings, Screen[None]):
    CSS_PATH = "campaign_list.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), tooltip=N_("open the campaign's dashboard")),
        Binding("r", "reload", N_("Reload"), tooltip=N_("count again")),
        Binding("q,escape", "quit", N_("Quit"), key_display="q", tooltip=N_("quit shiptui")),
    ]

    def __init__(self, operator: str) -> None:
        super().__init__()
        self.operator = operator
        self.slugs: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Campaigns  ·  enter opens the dashboard"), id="list-title")
        yield DataTable(cursor_type="row", id="campaigns")
        yield Static(id="list-empty")
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        counted = (
            ("pending", pgettext("count column", "Pending")),
            ("shipped", pgettext("count column", "Shipped")),
            ("wont_ship", pgettext("count column", "Won't ship")),
        )
        # Widths that fit 80 columns (the name gives way to longer German titles); longer
        # names and slugs end in an ellipsis.
        table.add_column(_("Campaign"), key="name", width=max(16, 50 - sum(len(title) for _key, title in counted)))
        table.add_column(_("Slug"), key="slug", width=18)
        for key, title in counted:
            table.add_column(Text(title, justify="right"), key=key, width=len(title))
        self.load()
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()  # counts changed in the dashboard just closed

    def load(self) -> None:
        summaries = attempt(self, campaigns.list_campaigns)
        if summaries is None:
            return
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.slugs = [summary.slug for summary in summaries]
        for summary in summaries:
            table.add_row(
                literal(summary.name),
                literal(summary.slug),
                *(Text(format_number(count), justify="right") for count in
                  (summary.counts.pending, summary.counts.shipped, summary.counts.wont_ship)),
            )
        table.move_cursor(row=cursor)
        self.query_one("#list-empty", Static).update(
            "" if summaries else
            _("There is no campaign yet: create one with `shiptui new-campaign NAME`, or try `shiptui demo`.")
        )

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.slugs:
            return
        campaign = attempt(self, lambda: campaigns.find_campaign(self.slugs[table.cursor_row]))
        if campaign is not None:
            self.app.push_screen(DashboardScreen(campaign, self.operator))

    def action_reload(self) -> None:
        self.load()

    def action_quit(self) -> None:
        self.app.exit(0)
