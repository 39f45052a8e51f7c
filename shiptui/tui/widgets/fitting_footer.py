"""The Footer, keys by priority: what fits is shown, Help and the way back always.

German descriptions are longer than English ones, and a key cut off at the right edge is
a key the operator never sees: the footer takes a second line when the screen's keys
need it, and when even two lines are too few (60 columns) it leaves out the least
important keys, never `?` Help and `q` back. Where room is left, the keys the help page
names but the footer does not (import, export, outbox, member view…) come in, by priority.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

MAX_LINES = 2
HELP = {"help", "app.help"}
BACK = {"back", "quit", "close", "cancel"}  # q (or escape)
ALWAYS = HELP | BACK  # never left out
# Keys kept off the footer by their binding (show=False), shown where room is left, in this order.
WHERE_ROOM = ("import", "export", "outbox", "member", "history", "reload")


class Key(NamedTuple):
    binding: Binding
    enabled: bool
    tooltip: str
    width: int  # a compact key is its key, a space and its description, then a margin of one


def lines_needed(widths: list[int], room: int) -> int:
    """The fewest lines these keys take in a grid of columns as wide as their widest key."""
    lines = 1
    while lines < len(widths):
        columns = -(-len(widths) // lines)
        if sum(max(widths[column::columns]) for column in range(columns)) <= room + 1:
            break
        lines += 1
    return lines


def choose(keys: list[Key], room: int) -> tuple[list[Key], int]:
    """The keys shown (in their order) and the lines they take."""

    def place(key: Key) -> int:  # the screen's keys, then those where room is, then ? and q last
        action = key.binding.action
        return 3 if action in BACK else 2 if action in HELP else 0 if key.binding.show else 1

    extras = sorted((key for key in keys if not key.binding.show and key.binding.action in WHERE_ROOM),
                    key=lambda key: WHERE_ROOM.index(key.binding.action))
    keys = sorted([key for key in keys if key.binding.show] + extras, key=place)

    def lines_of(chosen: list[Key]) -> int:
        return lines_needed([key.width for key in keys if key in chosen], room)

    shown = [key for key in keys if key.binding.show]
    lines = min(lines_of(shown), MAX_LINES)
    while lines_of(shown) > lines and any(key.binding.action not in ALWAYS for key in shown):
        # the last key that may go goes first: the screens list their keys by importance
        shown.remove(next(key for key in reversed(shown) if key.binding.action not in ALWAYS))
    for extra in extras:
        if lines_of([*shown, extra]) <= lines:
            shown.append(extra)
    return [key for key in keys if key in shown], lines


class FittingFooter(Footer):
    """Compact, one line while the keys fit (as Textual's Footer); else a grid of up to
    two lines, each key in a column as wide as its widest."""

    DEFAULT_CSS = """
    FittingFooter.-wrapped.-compact {
        layout: grid;
        grid-columns: auto;
        grid-gutter: 0 1;
        FooterKey { margin-right: 0; }
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._room = 0

    def _keys(self) -> list[Key]:
        keys: dict[str, Key] = {}  # one per action: its first key
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.action not in keys and (binding.show or binding.action in WHERE_ROOM):
                width = cell_len(self.app.get_key_display(binding)) + 1 + cell_len(binding.description) + 1
                keys[binding.action] = Key(binding, enabled, tooltip, width)
        return list(keys.values())

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._room = self.app.size.width  # the footer spans the screen
        shown, lines = choose(self._keys(), self._room)
        self.set_class(lines > 1, "-wrapped")
        self.styles.height = lines
        if lines > 1:
            self.styles.grid_size_columns = -(-len(shown) // lines)
        for key in shown:
            yield FooterKey(
                key.binding.key,
                self.app.get_key_display(key.binding),
                key.binding.description,
                key.binding.action,
                disabled=not key.enabled,
                tooltip=key.tooltip,
            ).data_bind(compact=Footer.compact)

    async def on_resize(self) -> None:
        if self.app.size.width != self._room:
            await self.recompose()
