"""Import, step 1: choose the file (the operator is on the server: a path, completed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from shiptui.services.csv.reading import CsvFile, open_csv
from shiptui.tui.errors import REPORTED, explain
from shiptui.tui.text import clean, literal


def lines(message: str) -> Text:
    """A message of several lines, each shown literally (never markup, never escapes run)."""
    return Text("\n".join(clean(line) for line in message.splitlines()))


class PathSuggester(Suggester):
    """Completes the last part of a path from the files and folders that exist."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        folder, _, start = value.rpartition("/")
        where = Path(folder or ".").expanduser() if folder or not value.startswith("/") else Path("/")
        try:
            names = sorted(
                entry.name + ("/" if entry.is_dir() else "")
                for entry in os.scandir(where)
                if entry.name.startswith(start) and not entry.name.startswith(".")
            )
        except OSError:
            return None
        # CSV files first: they are what is looked for
        names.sort(key=lambda name: not name.lower().endswith((".csv", ".txt", "/")))
        return f"{folder}/{names[0]}" if names and folder else (names[0] if names else None)


class ImportFileScreen(ModalScreen[CsvFile | None]):
    """Returns the opened file; escape returns None."""

    CSS_PATH = "import_file.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="back to the dashboard, nothing imported"),
    ]

    def __init__(self, title: str, path: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(self.title_text), id="title")
            yield Static("File (CSV, comma, semicolon or tab separated); → completes the name")
            yield Input(self.path, placeholder="e.g. tracking.csv or ~/uploads/ups-export.csv",
                        suggester=PathSuggester(), id="path")
            yield Static(id="error", classes="field-error")
            yield Static("enter reads the file · escape cancels", id="hint")

    @on(Input.Submitted)
    def _read(self, event: Input.Submitted) -> None:
        error = self.query_one("#error", Static)
        try:
            table = open_csv(event.value.strip())
        except REPORTED as failure:
            error.update(lines(explain(failure)))
            error.add_class("shown")
            return
        self.dismiss(table)

    def action_cancel(self) -> None:
        self.dismiss(None)
