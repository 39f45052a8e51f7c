"""The imports of a file into a campaign: tracking data from the dashboard (key i), and
the campaign's orders from the campaign list or the dashboard (key l). Choose the file,
map the fields, check every row, import. Each step is a dialog that dismisses with what
the operator chose; one coroutine walks between them (Textual's screens guide).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App

from shiptui.i18n import N_, _
from shiptui.services.csv.mapping import ORDERS, TRACKING, initial_mapping
from shiptui.services.csv.orders_import import LoadResult
from shiptui.services.csv.tracking_import import ImportResult
from shiptui.storage import Campaign
from shiptui.tui.errors import attempt
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import ImportPreviewScreen, LoadPreviewScreen, Next


@dataclass(frozen=True)
class ImportKind:
    """One kind of file import: its title, its fields (the mapping's kind), an example
    of its file, and the preview that checks and writes it."""

    title: str
    fields: str
    example: str
    preview: type[ImportPreviewScreen]


IMPORTS = {
    "tracking": ImportKind(N_("Import tracking data"), TRACKING,
                           N_("e.g. tracking.csv or ~/uploads/ups-export.csv"), ImportPreviewScreen),
    "orders": ImportKind(N_("Load orders"), ORDERS, N_("e.g. orders.csv or ~/uploads/shop-export.csv"),
                         LoadPreviewScreen),
}


async def import_file(app: App, kind: ImportKind, campaign: Campaign, operator: str) -> ImportResult | LoadResult | None:
    """Walk the operator through the import until they are back where they started; run it
    in a worker (push_screen_wait needs one). Returns what was written, if anything."""
    title = _(kind.title)
    path = ""
    while (table := await app.push_screen_wait(ImportFileScreen(title, path, _(kind.example)))) is not None:
        path = str(table.path)
        mapping = attempt(app, lambda: initial_mapping(kind.fields, table.headers))
        if mapping is None:
            return None
        # The mapping dialog changes `mapping` in place, so going back to it keeps the choices.
        while await app.push_screen_wait(ImportMappingScreen(title, table, mapping)) is not None:
            preview = kind.preview(title, campaign, table, mapping, operator)
            step = await app.push_screen_wait(preview)
            if step is Next.DASHBOARD:
                return preview.result
            if step is Next.OTHER_FILE:
                break
    return None
