"""The Footer, on a second line when its keys need it: German descriptions are longer
than English ones, and a key cut off at the right edge is a key the operator never sees."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class FittingFooter(Footer):
    """Compact, one line while every key fits (as Textual's Footer); else a grid of as
    many lines as it takes, each key in a column as wide as its widest."""

    DEFAULT_CSS = """
    FittingFooter.-wrapped.-compact {
        layout: grid;
        grid-columns: auto;
        grid-gutter: 0 1;
        FooterKey { margin-right: 0; }
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self):
        yield from super().compose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        # A compact key is its key, a space and its description, then a margin of one.
        widths = [cell_len(key.key_display) + 1 + cell_len(key.description) + 1 for key in self.query(FooterKey)]
        room = self.size.width
        if not widths or not room:
            return
        lines = 1
        while lines < len(widths):
            columns = -(-len(widths) // lines)
            if sum(max(widths[column::columns]) for column in range(columns)) <= room + 1:
                break
            lines += 1
        self.set_class(lines > 1, "-wrapped")
        self.styles.height = lines
        if lines > 1:
            self.styles.grid_size_columns = -(-len(widths) // lines)
