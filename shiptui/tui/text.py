"""Turning stored data into console text: shown literally, never run by the terminal.

Every value from a file, a member or the database reaches the screen through these
(or through `clean` itself): the sanitiser is `shiptui.text`, shared with the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from shiptui.text import clean, clean_lines

if TYPE_CHECKING:
    from textual.dom import DOMNode

__all__ = ["clean", "clean_lines", "literal", "literal_lines", "tell"]


def literal(value: object, style: str = "") -> Text:
    """A Rich Text of `value` on one line, never parsed as markup."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")


def literal_lines(value: object, style: str = "") -> Text:
    """A Rich Text of a message of several lines, each shown literally."""
    return Text(clean_lines(value), style=style)


def tell(node: DOMNode, message: str, **options) -> None:
    """A notification of `message` (lines kept), never parsed as markup: Textual's
    notify() would read `[...]` in an Order ID or an error as markup."""
    node.notify(clean_lines(message), markup=False, **options)
