"""The campaign list: every campaign with its counts; enter opens its dashboard."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from shiptui.services import campaigns
from shiptui.tui.errors import attempt
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.text import literal


class CampaignListScreen(Screen[None]):
    CSS_PATH = "campaign_list.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="open the campaign's dashboard"),
        Binding("r", "reload", "Reload", tooltip="count again"),
        Binding("q", "quit", "Quit", tooltip="quit shiptui"),
    ]

    def __init__(self, operator: str) -> None:
        super().__init__()
        self.operator = operator
        self.slugs: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("Campaigns  ·  enter opens the dashboard", id="list-title")
        yield DataTable(cursor_type="row", id="campaigns")
        yield Static(id="list-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Widths that fit 80 columns; longer names and slugs end in an ellipsis.
        table.add_column("Campaign", key="name", width=26)
        table.add_column("Slug", key="slug", width=18)
        for title in ("Pending", "Shipped", "Won't ship"):
            table.add_column(Text(title, justify="right"), key=title, width=len(title))
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
                *(Text(f"{count:,}", justify="right") for count in
                  (summary.counts.pending, summary.counts.shipped, summary.counts.wont_ship)),
            )
        table.move_cursor(row=cursor)
        self.query_one("#list-empty", Static).update(
            "" if summaries else
            "There is no campaign yet: create one with `shiptui new-campaign NAME`, or try `shiptui demo`."
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
