"""The dashboard's search line: the view narrows as the operator types."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from shiptui.i18n import N_
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.widgets.inert_input import InertInput


class SearchBox(SpokenBindings, InertInput):
    """Enter (or down) goes back to the table keeping the search; escape clears it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,down", "leave(False)", N_("Back to the orders"), key_display="enter",
                tooltip=N_("back to the table, the search stays")),
        Binding("escape", "leave(True)", N_("Clear search"), key_display="esc",
                tooltip=N_("clear the search and go back to the table")),
    ]

    class Left(Message):
        def __init__(self, clear: bool) -> None:
            super().__init__()
            self.clear = clear

    def open(self) -> None:
        """Show the box and give it the keys."""
        self.add_class("open")
        self.focus()

    def action_leave(self, clear: bool) -> None:
        """Hide the box unless it keeps a search; the screen gives the keys back to its table."""
        if clear and self.value:
            self.value = ""  # the Changed event shows every order again
        if not self.value:
            self.remove_class("open")
        self.post_message(self.Left(clear))
