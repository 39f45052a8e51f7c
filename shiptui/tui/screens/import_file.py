"""Import, step 1: choose the file (the operator is on the server: a path, completed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Static

from shiptui.i18n import N_, _
from shiptui.services.csv.reading import CsvFile, open_csv
from shiptui.tui.dialog import Dialog
from shiptui.storage.driver_errors import describe
from shiptui.tui.errors import REPORTED
from shiptui.tui.text import clean, literal, literal_lines
from shiptui.tui.widgets.type_ahead_input import TypeAheadInput


def shown_path(typed: str) -> str:
    """The file `typed` names, also when its name holds control characters and was
    typed (or completed) as the console shows it, escaped."""
    path = Path(typed).expanduser()
    try:
        if path.name and not path.exists():
            matches = [entry.path for entry in os.scandir(path.parent) if clean(entry.name) == path.name]
            return matches[0] if len(matches) == 1 else typed
    except OSError:
        pass  # no such folder: open_csv names the missing file
    return typed


class PathSuggester(Suggester):
    """Completes the last part of a path from the files and folders that exist."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        folder, _, start = value.rpartition("/")
        where = Path(folder or ".").expanduser() if folder or not value.startswith("/") else Path("/")
        try:
            # Names as the console shows them (control characters escaped): `shown_path`
            # finds the file again from what was completed or typed.
            names = sorted(
                clean(entry.name) + ("/" if entry.is_dir() else "")
                for entry in os.scandir(where)
                if clean(entry.name).startswith(start) and not entry.name.startswith(".")
            )
        except OSError:
            return None
        # CSV files first: they are what is looked for
        names.sort(key=lambda name: not name.lower().endswith((".csv", ".txt", "/")))
        return f"{folder}/{names[0]}" if names and folder else (names[0] if names else None)


class ImportFileScreen(Dialog[CsvFile | None]):
    """Returns the opened file; escape returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), tooltip=N_("back to the dashboard, nothing imported")),
    ]

    def __init__(self, title: str, path: str = "", example: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.path = path
        self.example = example

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(self.title_text), id="title")
            yield Static(_("File (CSV, comma, semicolon or tab separated); → completes the name"))
            # Type-ahead: a path typed or pasted in a burst reaches the field whole.
            yield TypeAheadInput(self.path, placeholder=self.example, suggester=PathSuggester(), id="path")
            yield Static(id="error", classes="field-error")
            yield Static(_("enter reads the file · escape cancels"), id="hint")

    @on(Input.Submitted)
    def _read(self, event: Input.Submitted) -> None:
        error = self.query_one("#error", Static)
        try:
            table = open_csv(shown_path(self.query_one(TypeAheadInput).entered.strip()))
        except REPORTED as failure:
            error.update(literal_lines(describe(failure)))
            error.add_class("shown")
            return
        self.dismiss(table)

    def action_cancel(self) -> None:
        self.dismiss(None)
