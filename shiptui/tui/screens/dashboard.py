"""The campaign dashboard: every order of a campaign, selected and acted on from the keyboard."""

from __future__ import annotations

from typing import Callable, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, ProgressBar

from shiptui.i18n import N_, _, format_number, ngettext
from shiptui.services import fulfillment, orders, undo
from shiptui.services.actions import ActionResult, Skipped
from shiptui.storage import Campaign
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.change_notice import change_notice
from shiptui.tui.order_view import OrderView
from shiptui.tui.screens.campaign_settings import CampaignSettingsScreen
from shiptui.tui.screens.export_file import ExportScreen
from shiptui.tui.screens.help import HelpScreen
from shiptui.tui.screens.import_flow import IMPORTS, import_file
from shiptui.tui.screens.member import MemberScreen
from shiptui.tui.screens.outbox import OutboxScreen
from shiptui.tui.screens.order_history import OrderHistoryScreen
from shiptui.tui.screens.tracking import TrackingScreen
from shiptui.tui.text import clean, tell
from shiptui.tui.widgets.campaign_bar import CampaignBar
from shiptui.tui.widgets.fitting_footer import FittingFooter
from shiptui.tui.widgets.order_table import OrderTable
from shiptui.tui.widgets.search_box import SearchBox
from shiptui.tui.work import FLOW, Applied, ViewLoaded, WorkFailed, run_in_thread


class DashboardScreen(SpokenBindings, Screen[None]):
    CSS_PATH = "dashboard.tcss"

    # The tooltip is the help screen's explanation of the key.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_row", N_("Select"), tooltip=N_("select or unselect the order at the cursor, move down")),
        Binding("shift+down", "extend(1)", N_("Extend"), show=False, tooltip=N_("extend the selection down")),
        Binding("shift+up", "extend(-1)", N_("Extend"), show=False, tooltip=N_("extend the selection up")),
        Binding("a", "select_all", N_("All"), show=False, tooltip=N_("select every order of the view (search and filter), not only those on screen")),
        Binding("escape", "clear", N_("Clear"), show=False, tooltip=N_("clear the selection")),
        Binding("s", "ship", N_("Ship"), tooltip=N_("mark the selected orders (or the cursor's) shipped today; queues the first review reminder")),
        Binding("w", "wont_ship", N_("Won't ship"), tooltip=N_("mark them won't ship, without asking: u takes it back")),
        Binding("t,enter", "tracking", N_("Track"), key_display="t", tooltip=N_("tracking number, carrier and URL of the order at the cursor")),
        Binding("u,ctrl+z", "undo", N_("Undo"), key_display="u", tooltip=N_("undo your last action; cancels the reminders it queued that are not sent yet")),
        Binding("slash", "search", N_("Search"), key_display="/", tooltip=N_("search Order ID, member, email, tracking number as you type; enter goes back to the table")),
        Binding("f", "cycle_filter", N_("Filter"), tooltip=N_("show all orders, pending, shipped or won't ship")),
        Binding("m", "member", N_("Member"), show=False, tooltip=N_("what the member sees under Track Item: their orders and tracking links")),
        Binding("h", "history", N_("History"), show=False, tooltip=N_("every change to the order at the cursor: when, who, before → after, undone by whom")),
        Binding("r", "reload", N_("Reload"), show=False, tooltip=N_("show the orders as they are now, with others' changes")),
        Binding("question_mark", "help", N_("Help"), key_display="?", tooltip=N_("every key and what it does")),
        Binding("q", "back", N_("Quit"), tooltip=N_("back to the campaign list, or quit")),
        Binding("o", "outbox", N_("Outbox"), show=False, tooltip=N_("the campaign's review reminders: queued, sent, failed; retry failed ones")),
        Binding("i", "import", N_("Import"), show=False, tooltip=N_("import tracking data from a CSV file: map the fields, check every row, import (u takes it back)")),
        Binding("l", "import('orders')", N_("Load orders"), show=False, tooltip=N_("load the campaign's orders from a CSV file: map the fields, check every row, load")),
        Binding("e", "export", N_("Export"), show=False, tooltip=N_("download the Fulfillment Distribution List as a CSV file")),
        Binding("c", "settings", N_("Settings"), show=False, tooltip=N_("the campaign's name, reminder delay and reminder email, with a preview")),
    ]

    working: reactive[str] = reactive("", init=False)  # what a change being written in a worker does

    def __init__(self, campaign: Campaign, operator: str) -> None:
        super().__init__()
        self.campaign = campaign
        self.operator = operator

    def compose(self) -> ComposeResult:
        yield CampaignBar(self.campaign.name, id="bar")
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="working")
        yield SearchBox(placeholder=_("search Order ID, member, email, tracking number"), id="search")
        yield OrderTable(lambda ids: orders.rows_by_id(self.campaign, ids), id="orders")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.table = self.query_one(OrderTable)
        self.bar = self.query_one(CampaignBar)
        self.bar.follow(self.table)
        self.view = OrderView(self, self.campaign, self.table, self.bar)
        self.table.focus()
        self.view.open()

    @on(ViewLoaded)
    def _view_loaded(self, loaded: ViewLoaded) -> None:
        self.view.arrived(loaded)

    @property
    def loading(self) -> bool:
        """Whether the view or its rows are being read, or a change written (asked before mount too)."""
        return self.is_mounted and (self.view.reading or self.table.pages.reading or bool(self.working))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the search box has the keys, they type: the Footer shows its keys only.
        return not isinstance(self.focused, SearchBox)

    # --- selecting -------------------------------------------------------------------

    def action_toggle_row(self) -> None:
        self.table.toggle()
        self.table.cursor += 1

    def action_extend(self, step: int) -> None:
        self.table.extend(step)

    def action_select_all(self) -> None:
        """Every order of the view, not only those on screen."""
        if self.view.read_all_now():
            self.table.select_all()

    def action_clear(self) -> None:
        self.table.clear()

    # --- acting ----------------------------------------------------------------------
    # A change runs in a worker, with "working…" on the bar: the cursor and the selection
    # keep moving meanwhile, keys that would change data wait for it.

    def _busy(self) -> bool:
        if self.working:
            self.notify(_("still writing the last change: wait for its notice"), severity="warning", timeout=3)
        return bool(self.working)

    def _act(self, task: str, action: Callable[..., ActionResult]) -> None:
        chosen = None if self._busy() else self.table.target()
        if chosen is None:
            return
        target, versions = chosen
        count = len(self.table.selection) or 1  # or the order at the cursor
        self.working = ngettext("writing the change to {count} order…", "writing the change to {count} orders…",
                                count).format(count=format_number(count))
        run_in_thread(self, lambda: Applied(
            task, action(self.campaign, target, operator=self.operator, expected_versions=versions)), task=task)

    def watch_working(self, what: str) -> None:
        self.bar.working = what
        progress = self.query_one(ProgressBar)
        progress.display = bool(what)
        progress.update(total=None if what else 1)  # a change's SQL is not countable; animated only while shown

    @on(Applied)
    def _applied(self, applied: Applied) -> None:
        self.working = ""
        self.table.clear()
        self.after_change(applied.result.summary(), applied.result.skipped)

    @on(WorkFailed)
    def _failed(self, failed: WorkFailed) -> None:
        if failed.task == "view":
            self.view.failed()
        else:
            self.working = ""
        tell(self, failed.message, title=_("Not done"), severity="error", timeout=8)

    def after_change(self, summary: str, skipped: list[Skipped] = ()) -> None:
        """Show the view as it is now (its rows and counts read again) and say what happened."""
        self.view.load(reload=True)
        notice, severity = change_notice(summary, skipped)
        tell(self, notice, severity=severity)

    def action_ship(self) -> None:
        self._act("ship", fulfillment.mark_shipped)

    def action_wont_ship(self) -> None:
        self._act("wont_ship", fulfillment.mark_wont_ship)

    def action_undo(self) -> None:
        if not self._busy():
            self.working = _("undoing your last action…")
            run_in_thread(self, lambda: Applied("undo", undo.undo_last(self.campaign, operator=self.operator)),
                          task="undo")

    def action_tracking(self) -> None:
        row = None if self._busy() else self.table.cursor_row
        if row is None:
            return

        def saved(result: ActionResult | None) -> None:
            if result is not None:
                message = " · ".join([result.summary(), *result.notes, *result.warnings])
                self.after_change(message, result.skipped)

        self.app.push_screen(TrackingScreen(self.campaign, row, self.operator), saved)

    # --- finding ---------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(SearchBox).open()

    @on(SearchBox.Left)
    def _close_search(self) -> None:
        self.table.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.view.search(event.value.strip())

    def action_cycle_filter(self) -> None:
        self.view.next_status()

    def action_reload(self) -> None:
        self.view.load(reload=True)
        self.notify(_("reloaded: the orders as they are now"), timeout=2)

    # --- other screens ---------------------------------------------------------------

    def open_flow(self, screen: Screen) -> None:
        """Open another flow's screen (import, export, outbox); reload when it closes."""
        self.app.push_screen(screen, lambda _: self.view.load(reload=True))

    def action_outbox(self) -> None:
        self.open_flow(OutboxScreen(self.campaign, self.operator))

    @work(group=FLOW)
    async def action_import(self, kind: str = "tracking") -> None:
        if not self._busy():
            await import_file(self.app, IMPORTS[kind], self.campaign, self.operator)
            self.view.load(reload=True)

    def action_export(self) -> None:
        self.open_flow(ExportScreen(self.campaign))

    def action_member(self) -> None:
        if (row := self.table.cursor_row) is not None:
            self.app.push_screen(MemberScreen(self.campaign, row.id))

    def action_history(self) -> None:
        if (row := self.table.cursor_row) is not None:
            self.app.push_screen(OrderHistoryScreen(self.campaign, row))

    def action_settings(self) -> None:
        row = self.table.cursor_row
        self.app.push_screen(CampaignSettingsScreen(self.campaign, row.order_id if row else ""), self._renamed)

    def _renamed(self, campaign: Campaign | None) -> None:
        if campaign is not None:
            self.bar.campaign_name = clean(campaign.name)
            self.bar.refresh()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen([*OrderTable.BINDINGS, *self.BINDINGS, *SearchBox.BINDINGS]))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit(0)

