"""Errors inside the console become notices: the operator reads a sentence, never a traceback."""

from __future__ import annotations

from typing import Callable, TypeVar

import peewee
from textual.dom import DOMNode

from shiptui.errors import ShiptuiError
from shiptui.i18n import _
from shiptui.tui.text import tell

T = TypeVar("T")

# What an operator can cause or meet (bad input, a lock, a lost connection): reported in
# words. Anything else is a bug, and reaches the crash log instead.
REPORTED = (ShiptuiError, peewee.PeeweeException)


def explain(error: Exception) -> str:
    if isinstance(error, ShiptuiError):
        return str(error)
    if "locked" in str(error):
        return _("the database stayed locked by another operator for too long: nothing was changed, try again")
    return _("database error, nothing was changed: {error}").format(error=error).strip()


def attempt(node: DOMNode, call: Callable[[], T]) -> T | None:
    """`call()`, or None after showing why it failed (shiptui's own and database errors)."""
    try:
        return call()
    except REPORTED as error:
        tell(node, explain(error), title=_("Not done"), severity="error", timeout=8)
        return None
