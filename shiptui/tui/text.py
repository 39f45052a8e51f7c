"""Turning stored data into console text: shown literally, never run by the terminal."""

from __future__ import annotations

from rich.text import Text

from shiptui.text import clean, clean_lines

__all__ = ["clean", "clean_lines", "literal", "literal_lines"]


def literal(value: object, style: str = "") -> Text:
    """A Rich Text of `value` on one line, never parsed as markup."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")


def literal_lines(value: object, style: str = "") -> Text:
    """A Rich Text of a message of several lines, each shown literally."""
    return Text(clean_lines(value), style=style)
