"""Speed of the dashboard on a big campaign, against a bare Textual app in the same run.

    .venv/bin/python tests/perf/bench_tui.py [--orders 100000] [--repeat 3] [--campaign FILE]

Targets (issues 3 and 13), on 100,000 and 1,000,000 orders:
- first rows on screen within 2x a bare Textual app showing a 100-row DataTable
  (both timed from App() to the first data row drawn, best of --repeat);
- peak memory (RSS of this process) at most 200 MB;
- moving the cursor, toggling a row, a search keystroke, select-all, unselecting one of
  all and clearing the selection each return control within 50 ms;
- marking every order shipped runs in a worker: moving the cursor meanwhile still takes
  at most 50 ms a key (issue 11), and the view is read again and redrawn within 3 s.

A key is timed from its event to the table's first line drawn after the key has had
its effect (the cursor moved, the selection changed...), without Textual's test pilot,
whose own waiting (~70 ms a key) would swamp it. The bare DataTable's cursor move is
timed the same way, for scale. A search keystroke is timed until the text is in the
box, since the search runs in a worker thread; the longest stall of the event loop
meanwhile and when the matches appear are printed beside it. The campaign is built in
a child process, so its memory is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer

from shiptui.services import campaigns
from shiptui.storage import OrderStatus, close_database, open_database
from shiptui.tui.app import ShiptuiApp
from shiptui.tui.widgets.order_table import OrderTable
from shiptui.tui.widgets.search_box import SearchBox

SIZE = (80, 24)
KEY_MS = 50  # every key, at a million orders
drawn: list[float] = []  # when the table under test drew a data row
awaited: list[Callable[[], bool]] = []  # the effect a key press waits for
effect_drawn: list[float] = []  # when a row was first drawn with that effect


def timed(render_line, has_rows: Callable[[object], bool]):
    def timed_render_line(self, y: int):
        strip = render_line(self, y)
        if y >= 1 and has_rows(self):
            now = time.perf_counter()
            drawn.append(now)
            if awaited and not effect_drawn and awaited[0]():
                effect_drawn.append(now)
        return strip

    return timed_render_line


class TimedDataTable(DataTable):
    render_line = timed(DataTable.render_line, lambda table: table.row_count)


class BareApp(App):
    """What Textual takes to show 100 rows: the baseline."""

    def compose(self) -> ComposeResult:
        yield TimedDataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Order ID", "Member", "Product", "Shipped", "Carrier", "Tracking number", "Sel")
        table.add_rows(
            (f"SO-{100001 + i}", f"Member {i}", "Hydra Glow Serum", "", "UPS", f"1Z{i:016d}", "[ ]")
            for i in range(100)
        )


async def first_rows(make_app) -> float:
    drawn.clear()
    started = time.perf_counter()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    return drawn[0] - started


async def settle(app) -> None:
    """Until the dashboard has read the view it asked for (in its worker thread)."""
    while app.workers or getattr(app.screen, "loading", False):
        await asyncio.sleep(0.005)


async def press(app, key: str, done: Callable[[], bool], timeout: float = 10) -> float:
    """Seconds from the key event until the table is drawn after `done()` holds."""
    awaited[:] = [done]
    effect_drawn.clear()
    started = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while not effect_drawn:
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{key}: no effect drawn after {timeout} s")
        await asyncio.sleep(0.0005)
    awaited.clear()
    return effect_drawn[0] - started


async def search_keystroke(app, box: SearchBox, typed: str) -> tuple[float, float, float]:
    """(until the keystroke is in the box, longest event-loop stall while the search ran,
    until the matches are shown)."""
    expected = box.value + typed
    started = time.perf_counter()
    app.post_message(events.Key(typed, typed))
    while box.value != expected:
        await asyncio.sleep(0.0005)
    handled = time.perf_counter() - started
    stall = 0.0
    while app.workers or app.screen.loading:
        tick = time.perf_counter()
        await asyncio.sleep(0.001)
        stall = max(stall, time.perf_counter() - tick - 0.001)
    return handled, stall, time.perf_counter() - started


async def ship_while_moving(app, screen, table, most: int = 30) -> tuple[float, list[float]]:
    """(seconds from s until the change is written and the view read again and drawn,
    the latency of each cursor move made while the change was being written)."""
    started = time.perf_counter()
    app.post_message(events.Key("s", "s"))
    while not screen.working:
        await asyncio.sleep(0.0005)
    keys = []
    while screen.working and len(keys) < most:
        keys.append(await press(app, "down", lambda cursor=table.cursor: table.cursor == cursor + 1))
    awaited[:] = [lambda: not screen.loading]
    effect_drawn.clear()
    while not effect_drawn:
        if time.perf_counter() - started > 60:
            raise TimeoutError("the ship was not drawn after 60 s")
        await asyncio.sleep(0.0005)
    awaited.clear()
    return effect_drawn[0] - started, keys


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, value: float, limit: float, unit: str, extra: str = "") -> None:
    verdict = "ok" if value <= limit else "OVER"
    print(f"  {label:<30} {value:8.1f} {unit}  (target <= {limit:g} {unit}) {verdict}  {extra}")


async def measure(orders: int, repeat: int, slug: str) -> None:
    bare_first = min([await first_rows(BareApp) for _ in range(repeat)])

    def dashboard() -> ShiptuiApp:
        app = ShiptuiApp("bench", campaigns.find_campaign(slug), freeze_startup=True)  # as `run` makes it
        app.animation_level = "none"
        return app

    OrderTable.render_line = timed(OrderTable.render_line, lambda table: table.ids)
    ours_first = min([await first_rows(dashboard) for _ in range(repeat)])

    bare = BareApp()
    async with bare.run_test(size=SIZE):
        table = bare.query_one(DataTable)
        bare_down = min([
            await press(bare, "down", lambda before=table.cursor_row: table.cursor_row == before + 1)
            for _ in range(5)
        ])

    print(f"bench_tui: {orders:,} orders, {SIZE[0]}x{SIZE[1]}, best of {repeat}")
    print(f"  first rows: bare 100-row DataTable {bare_first * 1000:.1f} ms, dashboard {ours_first * 1000:.1f} ms,"
          f" ratio {ours_first / bare_first:.2f}  (target <= 2)")
    print(f"  a cursor move in the bare DataTable: {bare_down * 1000:.1f} ms, for scale")

    app = dashboard()
    async with app.run_test(size=SIZE):
        await settle(app)
        screen = app.screen
        table = screen.query_one(OrderTable)
        last = len(table.ids) - 1
        selected = lambda: len(table.selection)  # noqa: E731
        await press(app, "down", lambda: table.cursor == 1)  # warm-up: the first key pays for Textual's first time
        await press(app, "home", lambda: table.cursor == 0)
        steps = [
            ("cursor down", "down", lambda c=table.cursor: table.cursor == c + 1),
            ("page down", "pagedown", lambda: table.cursor > 1),
            ("cursor to the last order", "end", lambda: table.cursor == last),
            ("cursor to the first order", "home", lambda: table.cursor == 0),
            ("toggle a row (space)", "space", lambda: selected() == 1),
        ]
        for label, key, done in steps:
            seconds = await press(app, key, done)
            report(label, seconds * 1000, KEY_MS, "ms")
        await press(app, "escape", lambda: selected() == 0)
        app.post_message(events.Key("slash", "/"))
        box = screen.query_one(SearchBox)
        while app.focused is not box:
            await asyncio.sleep(0.001)
        for typed in "müller":
            handled, stall, shown = await search_keystroke(app, box, typed)
            report(f"search keystroke {typed!r}", handled * 1000, KEY_MS, "ms",
                   f"stall <= {stall * 1000:.0f} ms; {len(table.ids):,} matches shown after {shown * 1000:.0f} ms")
        app.post_message(events.Key("escape", None))  # clears the search, back to the table
        while app.focused is not table:
            await asyncio.sleep(0.001)
        await settle(app)
        for label, key, done in [
            (f"select all ({orders:,})", "a", lambda: selected() == orders),
            ("unselect one of all (space)", "space", lambda: selected() == orders - 1),
            ("clear the selection (escape)", "escape", lambda: selected() == 0),
        ]:
            seconds = await press(app, key, done)
            report(label, seconds * 1000, KEY_MS, "ms")
        await press(app, "home", lambda: table.cursor == 0)
        await press(app, "a", lambda: selected() == orders)
        seconds, keys = await ship_while_moving(app, screen, table)
        shipped = campaigns.status_counts(screen.campaign).shipped
        if keys:
            report(f"cursor down while shipping ({len(keys)} keys)", max(keys) * 1000, KEY_MS, "ms",
                   f"median {sorted(keys)[len(keys) // 2] * 1000:.1f} ms")
        report(f"mark {shipped:,} shipped, view read again", seconds, 3, "s")
        assert shipped == orders and table.cursor_row.status == OrderStatus.SHIPPED
    report("peak memory (RSS)", rss_mb(), 200, "MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--campaign", metavar="FILE",
                        help="a copy of this database of `shiptui demo --orders N` instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.sqlite3")
        if args.campaign:  # the run ships every order: it works on a copy
            shutil.copyfile(args.campaign, path)
        else:
            subprocess.run(
                [sys.executable, "-m", "shiptui", "--db", path, "demo", "--no-open", "--orders", str(args.orders)],
                capture_output=True, text=True, check=True,
            )
        open_database(path)
        slug = campaigns.list_campaigns()[0].slug
        try:
            asyncio.run(measure(args.orders, args.repeat, slug))
        finally:
            close_database()


if __name__ == "__main__":
    main()
