"""Errors inside the console become notices: the operator reads a sentence, never a traceback."""

from __future__ import annotations

from typing import Callable, TypeVar

import peewee
from textual.dom import DOMNode

from shiptui.errors import ShiptuiError
from shiptui.i18n import _
from shiptui.storage.driver_errors import describe
from shiptui.tui.text import tell

T = TypeVar("T")

# What an operator can cause or meet (bad input, a lock, a lost connection): reported in
# words. Anything else is a bug, and reaches the crash log instead.
REPORTED = (ShiptuiError, peewee.PeeweeException)


def attempt(node: DOMNode, call: Callable[[], T]) -> T | None:
    """`call()`, or None after showing why it failed (shiptui's own and database errors)."""
    try:
        return call()
    except REPORTED as error:
        tell(node, describe(error), title=_("Not done"), severity="error", timeout=8)
        return None
