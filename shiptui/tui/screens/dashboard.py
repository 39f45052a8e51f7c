"""The campaign dashboard: every order of a campaign, selected and acted on from the keyboard."""

from __future__ import annotations

from typing import Callable, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from shiptui.i18n import N_, _, ngettext
from shiptui.services import campaigns, fulfillment, orders
from shiptui.services.campaigns import StatusCounts
from shiptui.services.fulfillment import ActionResult, Skipped, SkipReason
from shiptui.services.orders import OrderFilter, OrderRow, OrderTarget
from shiptui.storage import Campaign, OrderStatus, close_database
from shiptui.tui.bindings import SpokenBindings
from shiptui.storage.driver_errors import describe
from shiptui.tui.errors import REPORTED, attempt
from shiptui.tui.screens.campaign_settings import CampaignSettingsScreen
from shiptui.tui.screens.export_file import ExportScreen
from shiptui.tui.screens.help import HelpScreen
from shiptui.tui.screens.import_flow import ImportFlow
from shiptui.tui.screens.member import MemberScreen
from shiptui.tui.screens.outbox import OutboxScreen
from shiptui.tui.screens.order_history import OrderHistoryScreen
from shiptui.tui.screens.tracking import TrackingScreen
from shiptui.tui.selection import Selection
from shiptui.tui.text import clean, tell
from shiptui.tui.widgets.campaign_bar import CampaignBar
from shiptui.tui.widgets.fitting_footer import FittingFooter
from shiptui.tui.widgets.order_table import OrderTable
from shiptui.tui.widgets.search_box import SearchBox

FILTER_CYCLE = (None, OrderStatus.PENDING, OrderStatus.SHIPPED, OrderStatus.WONT_SHIP)
FIRST_PAGE = 200  # rows read at once when the dashboard opens
STALE_SHOWN = 3  # orders named in a notice; the summary counts the rest


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
        Binding("e", "export", N_("Export"), show=False, tooltip=N_("download the Fulfillment Distribution List as a CSV file")),
        Binding("c", "settings", N_("Settings"), show=False, tooltip=N_("the campaign's name, reminder delay and reminder email, with a preview")),
    ]

    def __init__(self, campaign: Campaign, operator: str) -> None:
        super().__init__()
        self.campaign = campaign
        self.operator = operator
        self.selection = Selection()
        self.view = OrderFilter()
        self._wanted: tuple[OrderFilter, bool] | None = None  # a view still to query
        self._first_page_of: OrderFilter | None = None  # the search whose first matches are shown
        self._loading = False

    def compose(self) -> ComposeResult:
        yield CampaignBar(self.campaign.name, id="bar")
        yield SearchBox(placeholder=_("search Order ID, member, email, tracking number"), id="search")
        yield OrderTable(self._fetch, self.selection, id="orders")
        yield FittingFooter()

    @property
    def table(self) -> OrderTable:
        return self.query_one(OrderTable)

    @property
    def bar(self) -> CampaignBar:
        return self.query_one(CampaignBar)

    def _fetch(self, ids) -> dict:
        return attempt(self, lambda: orders.rows_by_id(self.campaign, ids)) or {}

    def on_mount(self) -> None:
        self.table.focus()
        first = attempt(self, lambda: orders.order_ids(self.campaign, self.view, limit=FIRST_PAGE))
        if first is None:
            return
        self.table.empty_message = _("no orders yet: load them with shiptui load-orders {slug} FILE").format(slug=self.campaign.slug)
        self.table.show(first)
        self._set_order_id_width()
        if len(first) < FIRST_PAGE:  # that was all of them
            self.refresh_bar(counts=True)
        else:
            self.load_view(reload=True)

    # --- the view --------------------------------------------------------------------
    # The first screenful is queried at once, so the dashboard opens fast; the whole list
    # of ids, which takes a while on 100,000 orders, is read in a worker thread and so
    # are searches, so typing never waits for the database. One query runs at a time;
    # when it ends, the latest view asked for (if another) is queried next.

    def load_view(self, reload: bool = False) -> None:
        """Show the orders of `self.view`. `reload`: the database may have changed
        meanwhile, so count again and keep the cursor on its order."""
        pending_reload = self._wanted is not None and self._wanted[1]
        self._wanted = (self.view, reload or pending_reload)
        if not self._loading:
            self._query_view()

    def _query_view(self) -> None:
        self._loading = True
        self.refresh_bar()
        view, reload = self._wanted
        self._wanted = None
        self._query_worker(view, reload)

    @work(thread=True, group="view")
    def _query_worker(self, view: OrderFilter, reload: bool) -> None:
        try:
            ids = None
            if view.search.strip() and not reload:
                # A search shows its first matches at once; reading every match (all of a
                # campaign for a letter) comes after.
                first = orders.order_ids(self.campaign, view, limit=FIRST_PAGE)
                if len(first) < FIRST_PAGE:
                    ids = first
                else:
                    self.app.call_from_thread(self._first_page_found, view, first)
            if ids is None:
                ids = orders.order_ids(self.campaign, view)
            counts = campaigns.status_counts(self.campaign) if reload else None
            width = orders.order_key_width(self.campaign) if reload else None
            self.app.call_from_thread(self._view_found, view, reload, ids, counts, width)
        except REPORTED as error:
            self.app.call_from_thread(self._view_failed, error)
        finally:
            close_database()  # this thread's connection

    def _first_page_found(self, view: OrderFilter, ids: list[int]) -> None:
        if view != self.view or self._wanted is not None:  # typed on meanwhile
            return
        self.table.empty_message = _("no order matches the search: press / to change it")
        self.table.show(ids)
        self._first_page_of = view
        self.refresh_bar()

    def _view_failed(self, error: Exception) -> None:
        self._loading = False
        self.refresh_bar()
        tell(self, describe(error), title=_("Not done"), severity="error", timeout=8)

    def _view_found(
        self, view: OrderFilter, reload: bool, ids: list[int], counts: StatusCounts | None, width: int | None
    ) -> None:
        self._loading = False
        if counts is not None:
            self.bar.counts = counts
            self.table.order_id_width = max(8, min(width or 0, 20))
        if self._wanted is not None:  # the operator asked for another view meanwhile
            self._query_view()
            return
        if view != self.view:  # already read at once (select-all): this result is older
            self.refresh_bar()
            return
        # A new view starts at its top (or where the cursor went on its first page); a
        # reload stays on the order it was on.
        cursor = self.table.cursor if self._first_page_of == view else 0
        self._first_page_of = None
        current = self.table.cursor_row if reload else None
        if current is not None:
            try:
                cursor = ids.index(current.id)
            except ValueError:
                cursor = self.table.cursor
        if view.search.strip():
            self.table.empty_message = _("no order matches the search: press / to change it")
        else:
            self.table.empty_message = _("no orders in this view: press f for another filter")
        self.table.show(ids, cursor)
        self.refresh_bar()

    def _set_order_id_width(self) -> None:
        """From the first rows (loaded for the screen anyway) until the worker knows them all."""
        self.table.row(0)
        rows = self.table.loaded.values()
        self.table.order_id_width = max([8, *(min(len(row.order_id), 20) for row in rows)])

    @property
    def loading(self) -> bool:
        """Whether the view is still being read (the table shows the last one, or its start)."""
        return self._loading or self._wanted is not None

    def refresh_bar(self, counts: bool = False) -> None:
        bar = self.bar
        if counts and (status_counts := attempt(self, lambda: campaigns.status_counts(self.campaign))):
            bar.counts = status_counts
        bar.selected = len(self.selection)
        bar.view = self.view
        bar.position = self.table.cursor
        bar.shown = len(self.table.ids)
        bar.loading = self.loading

    def reload(self) -> None:
        """Show what the database holds now: others' changes too."""
        self.load_view(reload=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the search box has the keys, they type: the Footer shows its keys only.
        return not isinstance(self.focused, SearchBox)

    @on(OrderTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self.refresh_bar()

    @on(OrderTable.CheckClicked)
    def _check_clicked(self, event: OrderTable.CheckClicked) -> None:
        row = self.table.row(event.index)
        if row is not None:
            self.selection.toggle(row)
            self.table.refresh_index(event.index)
            self.refresh_bar()

    # --- selecting -------------------------------------------------------------------

    def action_toggle_row(self) -> None:
        row = self.table.cursor_row
        if row is None:
            return
        self.selection.toggle(row)
        self.table.refresh_index(self.table.cursor)
        self.table.cursor += 1
        self.refresh_bar()

    def action_extend(self, step: int) -> None:
        row = self.table.cursor_row
        if row is None:
            return
        self.selection.add(row)
        self.table.refresh_index(self.table.cursor)
        self.table.cursor += step
        row = self.table.cursor_row
        if row is not None:
            self.selection.add(row)
            self.table.refresh_index(self.table.cursor)
        self.refresh_bar()

    def action_select_all(self) -> None:
        """Every order of the view, not only those on screen."""
        if self.loading:  # the table may not show the whole view yet: read it now
            ids = attempt(self, lambda: orders.order_ids(self.campaign, self.view))
            if ids is None:
                return
            self.table.show(ids, self.table.cursor)
            self._wanted = None
        self.selection.add_all(self.table.ids, self.table.loaded)
        self.table.refresh()
        self.refresh_bar()

    def action_clear(self) -> None:
        self.selection.clear()
        self.table.refresh()
        self.refresh_bar()

    # --- acting ----------------------------------------------------------------------

    def _target(self) -> tuple[OrderTarget, dict[int, int]] | None:
        """The selection, or the cursor row when nothing is selected."""
        if len(self.selection):
            return self.selection.target(), self.selection.expected_versions()
        row = self.table.cursor_row
        if row is None:
            self.notify(_("no order here to act on"), severity="warning")
            return None
        return OrderTarget.of_ids([row.id]), {row.id: row.version}

    def _act(self, action: Callable[..., ActionResult]) -> None:
        chosen = self._target()
        if chosen is None:
            return
        target, versions = chosen
        result = attempt(
            self,
            lambda: action(self.campaign, target, operator=self.operator, expected_versions=versions),
        )
        if result is not None:
            self.selection.clear()
            self.after_change(result.summary(), result.skipped)

    def after_change(self, summary: str, skipped: list[Skipped] = ()) -> None:
        """Show the rows as they are now and say what happened.

        The summary counts every skip; orders someone else changed meanwhile are also
        named, with who and when, since the operator has to look at them again.
        """
        self.table.reload_rows()
        self.refresh_bar(counts=True)
        stale = [skip for skip in skipped if skip.category is SkipReason.STALE]
        lines = [summary] + [f"{skip.order_id}: {skip.reason}" for skip in stale[:STALE_SHOWN]]
        if len(stale) > STALE_SHOWN:
            more = len(stale) - STALE_SHOWN
            lines.append(ngettext("and {count} more changed by someone else",
                                  "and {count} more changed by someone else", more).format(count=more))
        tell(self, "\n".join(clean(line) for line in lines), severity="warning" if stale else "information")

    def action_ship(self) -> None:
        self._act(fulfillment.mark_shipped)

    def action_wont_ship(self) -> None:
        self._act(fulfillment.mark_wont_ship)

    def action_undo(self) -> None:
        result = attempt(self, lambda: fulfillment.undo_last(self.campaign, operator=self.operator))
        if result is not None:
            self.selection.clear()
            self.after_change(result.summary(), result.skipped)

    def action_tracking(self) -> None:
        row = self.table.cursor_row
        if row is None:
            return

        def saved(result: ActionResult | None) -> None:
            if result is not None:
                message = " · ".join([result.summary(), *result.notes, *result.warnings])
                self.after_change(message, result.skipped)

        self.app.push_screen(TrackingScreen(self.campaign, row, self.operator), saved)

    # --- finding ---------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one(SearchBox)
        search.add_class("open")
        search.focus()

    @on(SearchBox.Left)
    def _close_search(self, event: SearchBox.Left) -> None:
        search = self.query_one(SearchBox)
        if event.clear and search.value:
            search.value = ""  # the Changed event shows every order again
        if not search.value:
            search.remove_class("open")
        self.table.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.view.search:
            self.view = OrderFilter(self.view.status, event.value.strip())
            self.load_view()

    def action_cycle_filter(self) -> None:
        following = FILTER_CYCLE[(FILTER_CYCLE.index(self.view.status) + 1) % len(FILTER_CYCLE)]
        self.view = OrderFilter(following, self.view.search)
        self.load_view()

    def action_reload(self) -> None:
        self.reload()
        self.notify(_("reloaded: the orders as they are now"), timeout=2)

    # --- other screens ---------------------------------------------------------------

    def open_flow(self, screen: Screen) -> None:
        """Open another flow's screen (import, export, outbox); reload when it closes."""
        self.app.push_screen(screen, lambda _: self.reload())

    def action_outbox(self) -> None:
        self.open_flow(OutboxScreen(self.campaign, self.operator))

    def action_import(self) -> None:
        ImportFlow(self.app, self.campaign, self.operator, finished=self.reload).start()

    def action_export(self) -> None:
        self.open_flow(ExportScreen(self.campaign))

    def action_member(self) -> None:
        row: OrderRow | None = self.table.cursor_row
        if row is not None:
            self.app.push_screen(MemberScreen(self.campaign, row.id))

    def action_history(self) -> None:
        row: OrderRow | None = self.table.cursor_row
        if row is not None:
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

