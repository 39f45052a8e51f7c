"""An Input that shows stored or pasted text inert, and never rewrites what it was given."""

from __future__ import annotations

from textual.widgets import Input

from shiptui.tui.text import clean


class InertInput(Input):
    """Control characters in the value (prefilled from the database, a file name, or
    pasted) are shown escaped, as everywhere else, so the terminal never runs them.

    `entered` is what to save or open: the prefilled value exactly as given while the
    operator has not edited it (its escaped form is only what they see), else the
    text of the field.
    """

    def __init__(self, value: str | None = None, *args, **kwargs) -> None:
        self.prefilled = value or ""
        super().__init__(value, *args, **kwargs)

    def validate_value(self, value: str) -> str:
        return clean(value)

    def replace(self, text: str, start: int, end: int) -> None:
        # Escaped before it goes in, so the cursor ends after the text as shown.
        super().replace(clean(text), start, end)

    @property
    def entered(self) -> str:
        return self.entered_as(self.value)

    def entered_as(self, value: str) -> str:
        """What to save for `value`, a text this field held (e.g. when Enter came)."""
        return self.prefilled if value == clean(self.prefilled) else value
