"""Text from files, members and the database, made inert for a terminal.

The one sanitiser of shiptui: the console (through `shiptui.tui.text`) and the CLI
(through `shiptui.cli.output`) show every stored or file value with `clean`, so no byte
of data can act on the terminal or reorder what is around it.
"""

from __future__ import annotations

import re

# What a terminal would act on, or what reorders or breaks the line it is on:
# C0, DEL and C1 controls (ESC starts CSI/OSC sequences, U+009B is a one-byte CSI),
# the bidirectional marks, embeddings, overrides and isolates, the Unicode line and
# paragraph separators, and lone surrogates (an undecodable file name: no terminal
# encoding can write them).
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    codepoint = ord(match.group())
    return f"\\x{codepoint:02x}" if codepoint < 0x100 else f"\\u{codepoint:04x}"


def clean(value: object) -> str:
    """`value` as one line of inert text: every unsafe character shown as its escape
    (ESC as `\\x1b`, U+202E as `\\u202e`); None as an empty string."""
    return UNSAFE.sub(_escape, str(value if value is not None else ""))


def clean_lines(value: object) -> str:
    """Like `clean`, but the line breaks of a message of several lines are kept."""
    return "\n".join(clean(line) for line in str(value if value is not None else "").split("\n"))
