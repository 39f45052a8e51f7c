"""Turning stored data into cell text: shown literally, never run by the terminal."""

from __future__ import annotations

from rich.text import Text

# C0, DEL and C1 control characters, and the bidirectional overrides that reorder a line:
# a terminal would act on them. They are shown as escapes instead.
_CONTROL = {
    codepoint: f"\\x{codepoint:02x}" if codepoint < 0x100 else f"\\u{codepoint:04x}"
    for codepoint in (*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def clean(value: object) -> str:
    """`value` as one line of inert text."""
    return str(value if value is not None else "").translate(_CONTROL)


def literal(value: object, style: str = "") -> Text:
    """A Rich Text of `value` that is never parsed as markup."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")
