"""Hostile text: what a carrier's file, a spreadsheet or an agency could put in a cell,
a header or a file name to act on the operator's terminal or the console itself.

The check of the output (`unsafe_in`) is written from the Unicode database, not from
shiptui's own list, so a character the sanitiser forgets is caught here.
"""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

# One of each kind, short enough to be seen whole in a table cell once escaped.
PAYLOADS = [
    "\x1b[2J\x1b]52;c;Zm9v\x07",  # CSI clear screen, then OSC 52 writing the clipboard
    "\x9b31m\u202eRTL",  # a one-byte C1 CSI, a right-to-left override
    "[/]",  # closes a tag never opened: a MarkupError in Rich and Textual
    "[@click=app.quit]Q[/]",  # a Textual action on click
    "[bold]x",  # a style
    "\u2066\x7f\x08[link=https://evil.example]L[/link]",  # an isolate, DEL, BS, a link
]

# How each is shown: every control as its escape, markup as the brackets it is.
SHOWN = dict(zip(PAYLOADS, [
    r"\x1b[2J\x1b]52;c;Zm9v\x07",
    r"\x9b31m\u202eRTL",
    "[/]",
    "[@click=app.quit]Q[/]",
    "[bold]x",
    r"\u2066\x7f\x08[link=https://evil.example]L[/link]",
]))

FRAGMENTS = [
    *PAYLOADS,
    "\x1b[31m", "\x1b]8;;https://evil.example\x1b\\", "\x1b\\", "\x9d0;title\x9c", "\x85",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
    "\u061c", "\u2028", "\u2029", "[", "]", "[b]", "[/b]", "\\[", "[red on blue]", "@", "\r", "\t", "\x0b",
]

# Characters a database can hold (PostgreSQL takes no NUL, no encoding takes a lone surrogate).
_STORABLE = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(_STORABLE, min_size=1, max_size=3)), min_size=1, max_size=5
).map("".join)

_BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}  # embeddings, overrides, isolates


def is_unsafe(character: str) -> bool:
    """A control (C0, DEL, C1), a surrogate, a bidirectional control, a line separator."""
    return (
        unicodedata.category(character) in ("Cc", "Cs", "Zl", "Zp")
        or unicodedata.bidirectional(character) in _BIDI_CONTROLS
    )


def unsafe_in(text: str) -> list[str]:
    """The characters of `text` a terminal would act on (line breaks between lines aside)."""
    return [character for line in text.split("\n") for character in line if is_unsafe(character)]
