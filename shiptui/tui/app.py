"""The console: the campaign list, or one campaign's dashboard.

`run()` is what `shiptui` (no command), `shiptui --campaign SLUG` and `shiptui demo` call,
with the database already open.
"""

from __future__ import annotations

import gc
from typing import ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.notifications import Notify

from shiptui import config
from shiptui.errors import RejectedInput
from shiptui.i18n import _
from shiptui.services import campaigns
from shiptui.storage import Campaign
from shiptui.tui.bindings import APP_KEYS, SpokenBindings
from shiptui.tui.commands import ActionCommands, CampaignCommands, OrderCommands
from shiptui.tui.errors import attempt
from shiptui.tui.screens.campaign_list import CampaignListScreen
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.help import HelpScreen, keys_of


class ShiptuiApp(SpokenBindings, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "shiptui"
    # ctrl+p: every action by name, an order, a campaign, the theme (see commands.py)
    COMMANDS = {ActionCommands, OrderCommands, CampaignCommands}
    BINDINGS: ClassVar[list[BindingType]] = APP_KEYS

    def __init__(self, operator: str, campaign: Campaign | None = None, *, freeze_startup: bool = False) -> None:
        """`freeze_startup`: for the console an operator runs (`run`), not a test's: see `on_mount`."""
        super().__init__()
        self.freeze_startup = freeze_startup
        theme = config.theme()
        if theme and theme not in self.available_themes:
            raise RejectedInput(_("SHIPTUI_THEME={theme} is not a theme: give one of {themes}").format(
                theme=theme, themes=", ".join(sorted(self.available_themes))))
        self.theme = theme or self.theme
        self.operator = operator
        self.campaign = campaign
        self.crash: BaseException | None = None

    def on_mount(self) -> None:
        campaign = self.campaign
        if campaign is None:
            summaries = attempt(self, campaigns.list_campaigns) or []
            if len(summaries) == 1:
                campaign = attempt(self, lambda: campaigns.find_campaign(summaries[0].slug))
        if campaign is None:
            self.push_screen(CampaignListScreen(self.operator))
        else:
            self.push_screen(DashboardScreen(campaign, self.operator))
        if self.freeze_startup:
            # What is made by the first screen (modules, widgets, styles: some 70,000 objects)
            # lives as long as the console: kept out of the collector's full passes, which
            # otherwise stop every thread for 50-120 ms now and then, and a key waits. Not in
            # tests, which run many apps in one process: a frozen app would never be freed.
            self.call_after_refresh(gc.freeze)

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(
                placeholder=_("action, Order ID, member, tracking number, campaign, theme…"),
                id="--command-palette",
            ))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(keys_of(self.screen)))

    # A notice belongs to the screen it was given on: leaving the screen takes it away,
    # so it never covers the next screen's hint.
    def push_screen(self, *args, **kwargs):
        self.clear_notifications()
        return super().push_screen(*args, **kwargs)

    def pop_screen(self):
        self.clear_notifications()
        return super().pop_screen()

    def switch_screen(self, *args, **kwargs):
        self.clear_notifications()
        return super().switch_screen(*args, **kwargs)

    # One notice of a kind (its title and severity) at a time: the newest replaces the one
    # before, so notices never pile up; an error stays beside a result.
    def _on_notify(self, event: Notify) -> None:
        new = event.notification
        for shown in list(self._notifications):
            if (shown.title, shown.severity) == (new.title, new.severity):
                self._unnotify(shown, refresh=False)
        super()._on_notify(event)

    def _handle_exception(self, error: Exception) -> None:
        # A bug: kept for run() to hand to the CLI, which logs the traceback to a file
        # and tells the operator in one line; the screen never shows a traceback.
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        self._close_messages_no_wait()


def run(campaign_slug: str | None, operator: str) -> int:
    """Open the console; returns the exit code."""
    campaign = campaigns.find_campaign(campaign_slug) if campaign_slug else None
    app = ShiptuiApp(operator, campaign, freeze_startup=True)
    app.run()
    if app.crash is not None:
        raise app.crash
    return app.return_code or 0
