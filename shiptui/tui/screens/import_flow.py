"""The import of tracking data from the dashboard (key i): choose the file, map the
fields, check every row, import. Each step is a dialog that dismisses with what the
operator chose; one coroutine walks between them (Textual's screens guide).
"""

from __future__ import annotations

from textual.app import App

from shiptui.i18n import N_, _
from shiptui.services.csv.mapping import TRACKING, initial_mapping
from shiptui.storage import Campaign
from shiptui.tui.errors import attempt
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import ImportPreviewScreen, Next

TITLE = N_("Import tracking data")


async def import_tracking(app: App, campaign: Campaign, operator: str) -> None:
    """Walk the operator through the import until they are back on the dashboard; run it
    in a worker (push_screen_wait needs one)."""
    path = ""
    while (table := await app.push_screen_wait(ImportFileScreen(_(TITLE), path))) is not None:
        path = str(table.path)
        mapping = attempt(app, lambda: initial_mapping(TRACKING, table.headers))
        if mapping is None:
            return
        # The mapping dialog changes `mapping` in place, so going back to it keeps the choices.
        while await app.push_screen_wait(ImportMappingScreen(_(TITLE), table, mapping)) is not None:
            step = await app.push_screen_wait(ImportPreviewScreen(_(TITLE), campaign, table, mapping, operator))
            if step is Next.DASHBOARD:
                return
            if step is Next.OTHER_FILE:
                break
