"""Help: every key of the screen it was opened from and what it does, read from the
bindings themselves."""

from __future__ import annotations

from typing import ClassVar, Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from shiptui.i18n import N_, _
from shiptui.tui.bindings import APP_KEYS, SpokenBindings, spoken
from shiptui.tui.dialog import Dialog


def spoken_nodes(screen: Screen) -> list[SpokenBindings]:
    """What holds the keys that work on `screen`: the screen, the widgets from the focused
    one outwards, the app (unless the screen is a dialog, which holds the app's keys back).
    Textual's own widgets are left out: their keys (moving in a table, editing a field)
    work as everywhere."""
    around = reversed(screen.focused.ancestors_with_self) if screen.focused else ()
    nodes = [screen, *(node for node in around if node is not screen and node is not screen.app)]
    if not screen.is_modal:
        nodes.append(screen.app)
    return [node for node in nodes if isinstance(node, SpokenBindings)]


def keys_of(screen: Screen) -> list[Binding]:
    """The keys that work on `screen`, one entry per action: its own first."""
    keys: list[Binding] = []
    for node in spoken_nodes(screen):
        listed = {binding.action for binding in keys}
        keys += [binding for binding in node.keys() if node is not screen.app or binding.action not in listed]
    return keys


class HelpScreen(Dialog[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", N_("Close"), key_display="esc"),
    ]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.bindings = [spoken(binding) for binding in bindings]
        # The app's keys hold on every screen, also on those that list their own keys.
        listed = {binding.action.removeprefix("app.") for binding in self.bindings}  # a dialog's are app.help…
        self.bindings += [spoken(binding) for binding in APP_KEYS if binding.action not in listed]

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
