"""Benchmark: the audit trail of one order in a 100,000-order campaign with thousands of
actions, against a bare sqlite3 query of the same rows, in the same run.

    .venv/bin/python tests/perf/bench_history.py [--orders N] [--actions N]

Prints the time of `order_history` for an order changed by many actions (target: under
100 ms) and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shiptui import clock  # noqa: E402
from shiptui.services.history import order_history  # noqa: E402
from shiptui.storage import Campaign, close_database, open_database  # noqa: E402
from shiptui.storage.search import register_sqlite_functions  # noqa: E402
from tests.perf.backends import Backend  # noqa: E402
from tests.perf.bench_import import build_campaign  # noqa: E402

ORDERS_PER_ACTION = 50
WATCHED = "SO-100007"  # the order whose trail is read: changed by every tenth action


def add_actions(path: str, orders: int, actions: int) -> None:
    """`actions` actions of ORDERS_PER_ACTION orders each (bulk-inserted: not measured)."""
    rng = random.Random(7)
    now = clock.stored_now().isoformat(" ")
    connection = sqlite3.connect(path)
    register_sqlite_functions(connection)  # the triggers keep search and sort columns
    campaign_id, = connection.execute("SELECT id FROM campaign").fetchone()
    watched, = connection.execute("SELECT id FROM orders WHERE order_key = ?", (WATCHED,)).fetchone()
    versions: dict[int, int] = {}
    changes = []
    for action in range(1, actions + 1):
        connection.execute(
            "INSERT INTO action (id, campaign_id, operator, kind, summary, created_at) VALUES (?, ?, ?, 'track', ?, ?)",
            (action, campaign_id, f"operator{action % 7}", f"{ORDERS_PER_ACTION} tracking updated", now),
        )
        targets = set(rng.sample(range(1, orders + 1), ORDERS_PER_ACTION - 1))
        if action % 10 == 0:
            targets.add(watched)
        for order_id in targets:
            version = versions[order_id] = versions.get(order_id, 0) + 1
            changes.append((action, order_id, "pending", None, "UPS", f"1Z{version:016d}", "", version))
    connection.executemany(
        "INSERT INTO action_change (action_id, order_id, status, shipped_on, carrier, tracking_number, "
        "tracking_url, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        changes,
    )
    connection.executemany("UPDATE orders SET version = ? + 1 WHERE id = ?", ((v, o) for o, v in versions.items()))
    connection.commit()
    connection.close()


def baseline(path: str) -> float:
    """The least any trail needs: the order by key, its changes with their actions."""
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    order_id, = connection.execute("SELECT id FROM orders WHERE order_key = ?", (WATCHED,)).fetchone()
    connection.execute(
        "SELECT c.*, a.created_at, a.operator, a.kind, a.summary, a.undone_at, a.undone_by "
        "FROM action_change c JOIN action a ON a.id = c.action_id WHERE c.order_id = ? ORDER BY c.action_id",
        (order_id,),
    ).fetchall()
    connection.close()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.sqlite3")
        slug, _campaign_id = build_campaign(Backend(None, folder), path, max(args.orders, 8))
        add_actions(path, max(args.orders, 8), args.actions)
        bare = min(baseline(path) for _ in range(args.runs))
        open_database(path)
        campaign = Campaign.get(Campaign.slug == slug)
        best = float("inf")
        for _ in range(args.runs):
            started = time.perf_counter()
            changes = order_history(campaign, WATCHED)
            best = min(best, time.perf_counter() - started)
        close_database()
    print(f"history of {WATCHED}: {len(changes)} changes, in {args.orders} orders and "
          f"{args.actions} actions of {ORDERS_PER_ACTION} orders")
    print(f"  {'baseline sqlite3 query':<40} {bare * 1000:7.2f} ms")
    print(f"  {'order_history':<40} {best * 1000:7.2f} ms (target < 100 ms)")
    print(f"ratio: {best / bare:.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
