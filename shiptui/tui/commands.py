"""The command palette (ctrl+p): every action of the screen by its name in the operator's
language, an order by Order ID, member or tracking number, another campaign, the theme.

The orders are found by the dashboard's own search service (the console runs no SQL);
a search reads at most a few rows, so it answers as the operator types.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from shiptui.i18n import _
from shiptui.services import campaigns, orders
from shiptui.services.orders import OrderFilter, OrderRow
from shiptui.tui.errors import attempt
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.help import spoken_nodes
from shiptui.tui.text import clean
from shiptui.tui.widgets.search_box import SearchBox

ORDERS_LISTED = 8  # matches offered for a search; the dashboard's / finds the rest


def _help_of(app, binding: Binding) -> str:
    keys = " / ".join(app.get_key_display(Binding(key, "")) for key in binding.key.split(","))
    return f"{keys} · {binding.tooltip}" if binding.tooltip else keys


class ActionCommands(Provider):
    """The actions of the screen the palette was opened on, named as its help lists them."""

    def _commands(self):
        screen = self.screen
        for node in spoken_nodes(screen):
            for binding in node.keys():
                if binding.description and binding.action not in {"help", "app.help", "command_palette"}:
                    yield binding.description, _help_of(self.app, binding), partial(node.run_action, binding.action)
        yield _("Help"), _("every key and what it does"), partial(self.app.run_action, "help")
        yield _("Theme"), _("choose the colours: dark, light, …"), self.app.action_change_theme

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


class OrderCommands(Provider):
    """An order of the dashboard's campaign by Order ID, member, email or tracking number."""

    async def search(self, query: str) -> Hits:
        dashboard_screen = _dashboard_of(self.screen)
        if dashboard_screen is None or not query.strip():
            return
        campaign = dashboard_screen.campaign
        ids = attempt(self.app, lambda: orders.order_ids(campaign, OrderFilter(None, query.strip()),
                                                            limit=ORDERS_LISTED)) or []
        rows = attempt(self.app, lambda: orders.rows_by_id(campaign, ids)) or {}
        for rank, order_id in enumerate(ids):
            row = rows.get(order_id)
            if row is None:
                continue
            name = clean(f"{row.order_id} · {row.member_name}")
            found = " · ".join(clean(part) for part in (row.product, row.carrier, row.tracking_number) if part)
            yield Hit(1 - rank / (2 * ORDERS_LISTED), name, partial(jump_to, dashboard_screen, row),
                      text=name, help=_("go to the order · {found}").format(found=found))


class CampaignCommands(Provider):
    """Another campaign: its dashboard."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for summary in attempt(self.app, campaigns.list_campaigns) or []:
            name = clean(summary.name)
            score = max(matcher.match(name), matcher.match(summary.slug))
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(open_campaign, self.app, summary.slug),
                          text=name, help=_("open the campaign {slug}").format(slug=clean(summary.slug)))


def _dashboard_of(screen: Screen) -> DashboardScreen | None:
    stack = [screen, *reversed(screen.app.screen_stack)]
    return next((each for each in stack if isinstance(each, DashboardScreen)), None)


def jump_to(dashboard_screen: DashboardScreen, row: OrderRow) -> None:
    """Put the dashboard's cursor on the order: in the view shown, or found by its Order ID."""
    app = dashboard_screen.app
    while app.screen is not dashboard_screen and len(app.screen_stack) > 1:
        app.pop_screen()
    table = dashboard_screen.table
    if row.id in table.ids:
        table.cursor = table.ids.index(row.id)
        table.focus()
        return
    # Not in this view: every order of the campaign, searched by its Order ID.
    view = dashboard_screen.view
    view.filter = OrderFilter(None, view.filter.search)  # the search that follows reads it
    dashboard_screen.action_search()
    dashboard_screen.query_one(SearchBox).value = row.order_id
    table.focus()


def open_campaign(app, slug: str) -> None:
    """The campaign's dashboard, in place of the one open (or over the campaign list)."""
    campaign = attempt(app, lambda: campaigns.find_campaign(slug))
    if campaign is None:
        return
    current = _dashboard_of(app.screen)
    if current is None:
        app.push_screen(DashboardScreen(campaign, app.operator))
        return
    while app.screen is not current:
        app.pop_screen()
    app.switch_screen(DashboardScreen(campaign, app.operator))
