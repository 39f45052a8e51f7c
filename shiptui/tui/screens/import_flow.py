"""The import of tracking data from the dashboard (key i): choose the file, map the
fields, check every row, import. Each step is a modal screen; this walks between them.
"""

from __future__ import annotations

from typing import Callable

from textual.app import App

from shiptui.i18n import N_, _
from shiptui.services.csv.mapping import TRACKING, Mapping, initial_mapping, remember
from shiptui.services.csv.reading import CsvFile
from shiptui.storage import Campaign
from shiptui.tui.errors import attempt
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import MAPPING, OTHER_FILE, ImportPreviewScreen

TITLE = N_("Import tracking data")


class ImportFlow:
    def __init__(self, app: App, campaign: Campaign, operator: str, finished: Callable[[], None]) -> None:
        self.app = app
        self.campaign = campaign
        self.operator = operator
        self.finished = finished
        self.table: CsvFile | None = None
        self.mapping: Mapping | None = None

    def start(self) -> None:
        path = str(self.table.path) if self.table else ""
        self.app.push_screen(ImportFileScreen(_(TITLE), path), self._file_chosen)

    def _file_chosen(self, table: CsvFile | None) -> None:
        if table is None:
            self.finished()
            return
        self.table = table
        mapping = attempt(self.app, lambda: initial_mapping(TRACKING, table.headers))
        if mapping is None:
            self.finished()
            return
        self.mapping = mapping
        self._map()

    def _map(self) -> None:
        self.app.push_screen(ImportMappingScreen(_(TITLE), self.table, self.mapping), self._mapped)

    def _mapped(self, mapping: Mapping | None) -> None:
        if mapping is None:
            self.start()
            return
        attempt(self.app, lambda: remember(mapping, self.operator))
        self.app.push_screen(
            ImportPreviewScreen(_(TITLE), self.campaign, self.table, mapping, self.operator), self._previewed
        )

    def _previewed(self, next_step: str) -> None:
        if next_step == MAPPING:
            self._map()
        elif next_step == OTHER_FILE:
            self.start()
        else:
            self.finished()
