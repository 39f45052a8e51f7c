"""The frame every dialog shares: one place for its size, border and the parts every
dialog has (title, hint, field errors).

A screen's CSS_PATH applies to the whole app once the screen has been opened (Textual
issue #4294), so the frame is defined here once, and each dialog's own file scopes its
rules to its own screen: opening one dialog never changes how another looks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, TypeVar

from textual.binding import BindingType
from textual.screen import ModalScreen

from shiptui.tui.bindings import APP_KEYS, SpokenBindings

ResultType = TypeVar("ResultType")


class Dialog(SpokenBindings, ModalScreen[ResultType]):
    """A modal whose content sits in one container with id "dialog", centred; it is as
    wide as the widest dialog needs at 80 columns, wider on a wide terminal (the import's
    problems and samples read whole), never wider than the terminal, and scrolls when the
    terminal is too short, so every control stays reachable.

    A modal holds the app's keys back (Textual): ? is bound here again; escape closes
    every dialog (each binds it to its own way back)."""

    BINDINGS: ClassVar[list[BindingType]] = [replace(binding, action=f"app.{binding.action}") for binding in APP_KEYS]

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }

    Dialog > #dialog {
        width: 75%;
        min-width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
        padding: 0 1;
        border: thick $primary;
        background: $surface;
    }

    Dialog #title {
        text-style: bold;
        margin-bottom: 1;
    }

    Dialog #hint {
        color: $text-muted;
        margin-top: 1;
    }

    Dialog .field-error {
        display: none;
        color: $text-error;
    }

    Dialog .field-error.shown {
        display: block;
    }
    """
