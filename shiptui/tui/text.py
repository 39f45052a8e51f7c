"""Turning stored data into console text: shown literally, never run by the terminal.

Every value from a file, a member or the database reaches the screen through these
(or through `clean` itself): the sanitiser is `shiptui.text`, shared with the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from shiptui.text import clean, clean_lines

if TYPE_CHECKING:
    from textual.dom import DOMNode

__all__ = ["clean", "clean_lines", "literal", "literal_lines", "shortened_in_middle", "tell"]


def literal(value: object, style: str = "") -> Text:
    """A Rich Text of `value` on one line, never parsed as markup."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")


def literal_lines(value: object, style: str = "") -> Text:
    """A Rich Text of a message of several lines, each shown literally."""
    return Text(clean_lines(value), style=style)


def shortened_in_middle(text: str, width: int) -> str:
    """`text` in `width` cells, cut in its middle when longer: its start and its end (a
    slug's "-2", a tracking page's number) both stay."""
    if cell_len(text) <= width:
        return text
    head = (width - 1) // 2
    return set_cell_size(text, head) + "…" + text[len(text) - (width - 1 - head):]


def tell(node: DOMNode, message: str, **options) -> None:
    """A notification of `message` (lines kept), never parsed as markup: Textual's
    notify() would read `[...]` in an Order ID or an error as markup."""
    node.notify(clean_lines(message), markup=False, **options)
