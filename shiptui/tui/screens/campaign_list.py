"""The campaign list: every campaign with its counts; enter opens its dashboard."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from shiptui.i18n import N_, _, format_number, pgettext
from shiptui.services import campaigns
from shiptui.storage import Campaign
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.errors import attempt
from shiptui.tui.screens.campaign_settings import CampaignSettingsScreen, NewCampaignScreen
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.import_flow import IMPORTS, import_file
from shiptui.tui.text import literal, shortened_in_middle, tell
from shiptui.tui.widgets.fitting_footer import FittingFooter
from shiptui.tui.work import FLOW


SLUG_WIDTH = 18


class CampaignListScreen(SpokenBindings, Screen[None]):
    CSS_PATH = "campaign_list.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), tooltip=N_("open the campaign's dashboard")),
        Binding("n", "new", N_("New"), tooltip=N_("create a campaign: its name and reminder delay")),
        Binding("l", "load_orders", N_("Load orders"),
                tooltip=N_("load the campaign's orders from a CSV file: map the fields, check every row, load")),
        Binding("c", "settings", N_("Settings"),
                tooltip=N_("the campaign's name, reminder delay and reminder email, with a preview")),
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
        table.add_column(_("Slug"), key="slug", width=SLUG_WIDTH)
        for key, title in counted:
            table.add_column(Text(title, justify="right"), key=key, width=len(title))
        self.load()
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()  # counts changed in the dashboard just closed

    def load(self, show: str = "") -> None:
        """Count again; the cursor stays on its row, or goes to the campaign `show`."""
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
                # Cut in the middle: two slugs of one name differ at their end ("-2").
                literal(shortened_in_middle(summary.slug, SLUG_WIDTH)),
                *(Text(format_number(count), justify="right") for count in
                  (summary.counts.pending, summary.counts.shipped, summary.counts.wont_ship)),
            )
        table.move_cursor(row=self.slugs.index(show) if show in self.slugs else cursor)
        self.query_one("#list-empty", Static).update(
            "" if summaries else
            _("There is no campaign yet: press n to create one (or `shiptui new-campaign NAME`), or try `shiptui demo`.")
        )

    def _campaign_at_cursor(self) -> Campaign | None:
        if not self.slugs:
            return None
        slug = self.slugs[self.query_one(DataTable).cursor_row]
        return attempt(self, lambda: campaigns.find_campaign(slug))

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        campaign = self._campaign_at_cursor()
        if campaign is not None:
            self.app.push_screen(DashboardScreen(campaign, self.operator))

    def action_new(self) -> None:
        def created(campaign: Campaign | None) -> None:
            if campaign is not None:
                self.load(show=campaign.slug)
                tell(self, _("created campaign {name} ({slug}): press l to load its orders from a CSV file").format(
                    name=campaign.name, slug=campaign.slug))

        self.app.push_screen(NewCampaignScreen(), created)

    def action_settings(self) -> None:
        campaign = self._campaign_at_cursor()
        if campaign is None:
            return
        first = attempt(self, lambda: campaigns.first_order_id(campaign))
        self.app.push_screen(CampaignSettingsScreen(campaign, first or ""), lambda saved: saved and self.load())

    @work(group=FLOW)
    async def action_load_orders(self) -> None:
        """Load the orders of the campaign at the cursor; once loaded, its dashboard shows them."""
        campaign = self._campaign_at_cursor()
        if campaign is None:
            return
        loaded = await import_file(self.app, IMPORTS["orders"], campaign, self.operator)
        if loaded is not None:
            self.app.push_screen(DashboardScreen(campaign, self.operator))

    def action_reload(self) -> None:
        self.load()

    def action_quit(self) -> None:
        self.app.exit(0)
