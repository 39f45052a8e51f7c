"""Bulk speed of the storage and fulfillment layers against bare sqlite3, in one run.

Step 1 builds a campaign of N orders (members, then orders); step 2 marks every order
shipped, reminders included. Each step is timed through shiptui's services and as a bare
`sqlite3` executemany of the same writes on a database of the same schema; the ratio is
shiptui / bare (target: <= 3 for both). Best of --repeat runs each. Then the peak resident
memory of `demo --orders N` in a process of its own (target: under 300 MB at 1,000,000).

    python tests/perf/bench_bulk.py [--orders 100000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shiptui import clock  # noqa: E402
from shiptui.services.campaigns import create_campaign  # noqa: E402
from shiptui.services.demo import MEMBER_FIELDS, PRODUCTS, build_demo_campaign, demo_rows, insert_orders  # noqa: E402
from shiptui.services.fulfillment import mark_shipped  # noqa: E402
from shiptui.services.orders import OrderTarget, order_ids  # noqa: E402
from shiptui.storage import SHIP_TO, close_database, database, open_database  # noqa: E402
from shiptui.storage.search import register_sqlite_functions  # noqa: E402
from shiptui.storage.database import SQLITE_BUSY_TIMEOUT_SECONDS  # noqa: E402
from tests.perf import peak_rss  # noqa: E402


def shiptui_run(path: Path, rows) -> tuple[float, float]:
    open_database(str(path))
    started = time.perf_counter()
    with database().atomic():
        campaign = create_campaign("Bench")
        insert_orders(campaign, rows)
    built = time.perf_counter()
    result = mark_shipped(campaign, OrderTarget.of_ids(order_ids(campaign)), operator="bench")
    shipped = time.perf_counter()
    assert result.changed == result.reminders_queued == len(rows), result.summary()
    close_database()
    return built - started, shipped - built


def bare_run(path: Path, rows) -> tuple[float, float]:
    open_database(str(path))  # the same schema and indexes, then plain sqlite3
    close_database()
    connection = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    register_sqlite_functions(connection)  # the triggers keep search and sort columns
    connection.execute("PRAGMA journal_mode=wal")
    connection.execute("PRAGMA synchronous=normal")
    connection.execute("PRAGMA foreign_keys=1")
    now = clock.stored_now().isoformat(sep=" ")
    today = clock.today().isoformat()
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    campaign_id = connection.execute(
        "INSERT INTO campaign (name, slug, reminder_delay_days, created_at, language, review_url)"
        " VALUES ('Bench', 'bench', 7, ?, 'en', '')", (now,)
    ).lastrowid
    products = {}
    for name, sku in PRODUCTS:
        products[sku] = connection.execute("INSERT INTO product (name, sku) VALUES (?, ?)", (name, sku)).lastrowid
    columns = ", ".join(field.column_name for field in MEMBER_FIELDS)
    connection.executemany(
        f"INSERT INTO member ({columns}) VALUES ({', '.join('?' * len(MEMBER_FIELDS))})",
        [member for member, _ in rows],
    )
    member_ids = [member_id for (member_id,) in connection.execute("SELECT id FROM member ORDER BY id")]
    connection.executemany(
        "INSERT INTO orders (campaign_id, member_id, product_id, quantity, order_key, status, carrier,"
        " tracking_number, tracking_url, version, updated_at, updated_by, language, ship_name,"
        " ship_address_line1, ship_address_line2, ship_city, ship_region, ship_postal_code, ship_country)"
        " VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, 1, ?, 'bench', 'en', ?, ?, ?, ?, ?, ?, ?)",
        [
            (campaign_id, member_id, products[order.sku], order.quantity, order.order_key,
             order.carrier, order.tracking_number, order.tracking_url, now,
             *(getattr(member, name) for name in SHIP_TO))
            for member_id, (member, order) in zip(member_ids, rows)
        ],
    )
    connection.execute("COMMIT")
    built = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    order_ids = [order_id for (order_id,) in connection.execute(
        "SELECT id FROM orders WHERE campaign_id = ?", (campaign_id,))]
    connection.executemany(
        "UPDATE orders SET status = 'shipped', shipped_on = ?, version = version + 1,"
        " updated_at = ?, updated_by = 'bench' WHERE id = ?",
        [(today, now, order_id) for order_id in order_ids],
    )
    due = (clock.stored_now() + timedelta(days=7)).isoformat(sep=" ")
    connection.executemany(
        "INSERT INTO reminder (order_id, kind, recipient, subject, body, message_id, status, send_after,"
        " attempts, last_error, queued_at) VALUES (?, 'first_review', ?, '', '', ?, 'queued', ?, 0, '', ?)",
        [(order_id, f"m{order_id}@example.com", f"<r.{order_id}@bench>", due, now) for order_id in order_ids],
    )
    connection.execute("COMMIT")
    shipped = time.perf_counter()
    connection.close()
    return built - started, shipped - built


def build_demo(path: Path, orders: int) -> None:
    open_database(str(path))
    build_demo_campaign(orders)
    close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rss = peak_rss(build_demo, Path(folder) / "demo.sqlite3", args.orders)
    rows = demo_rows(args.orders, seed=1)
    best = {"shiptui": [float("inf")] * 2, "bare": [float("inf")] * 2}
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(args.repeat):
            for name, run in (("bare", bare_run), ("shiptui", shiptui_run)):
                times = run(Path(folder) / f"{name}-{attempt}.sqlite3", rows)
                best[name] = [min(a, b) for a, b in zip(best[name], times)]
    print(f"bench_bulk: {args.orders} orders, best of {args.repeat}")
    for index, step in enumerate(("build campaign", "mark all shipped")):
        ours, bare = best["shiptui"][index], best["bare"][index]
        print(f"  {step:<17} shiptui {ours:7.3f} s   bare sqlite3 {bare:7.3f} s   ratio {ours / bare:5.2f}  (target <= 3)")
    print(f"  peak RSS of demo --orders {args.orders}: {rss:.1f} MB (a process of its own; target < 300 MB)")


if __name__ == "__main__":
    main()
