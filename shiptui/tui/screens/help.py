"""Help: every key of the dashboard and what it does, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar, Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, VerticalScroll
from textual.widgets import Label, Static

from shiptui.i18n import N_, _
from shiptui.tui.bindings import spoken
from shiptui.tui.dialog import Dialog


class HelpScreen(Dialog[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", N_("Close"), key_display="esc"),
    ]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.bindings = [spoken(binding) for binding in bindings]

    def _keys(self, binding: Binding) -> str:
        return " / ".join(self.app.get_key_display(Binding(key, "")) for key in binding.key.split(","))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(_("Keys  ·  escape closes"), id="help-title")
            for binding in self.bindings:
                with HorizontalGroup(classes="help-row"):
                    yield Label(self._keys(binding), classes="help-key", markup=False)
                    yield Label(binding.tooltip or binding.description, classes="help-what", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
