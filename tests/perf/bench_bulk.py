"""Bulk speed of the storage and fulfillment layers against the bare driver, in one run.

Step 1 builds a campaign of N orders (members, then orders); step 2 marks every order
shipped, reminders included; step 3 undoes that. Each step is timed through shiptui's
services and as the bare driver's writes of the same rows on a database of the same
schema without the search triggers (tests/perf/backends.py): sqlite3 executemany, or
psycopg2 COPY plus one UPDATE … FROM. The ratio is shiptui / bare (target: <= 1.5).
Best of --repeat runs each. Then the peak resident memory of `demo --orders N` in a
process of its own (target: under 300 MB at 1,000,000).

    python tests/perf/bench_bulk.py [--orders 100000] [--repeat 2] [--db postgresql://URL]
"""

from __future__ import annotations

import argparse
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
from shiptui.services.undo import undo_last  # noqa: E402
from shiptui.services.orders import OrderTarget, order_ids  # noqa: E402
from shiptui.storage import SHIP_TO, close_database, database, open_database  # noqa: E402
from tests.perf import peak_rss  # noqa: E402
from tests.perf.backends import Backend, add_db_argument  # noqa: E402

STEPS = ("build campaign", "mark all shipped", "undo the shipment")


def shiptui_run(location: str, rows) -> tuple[float, ...]:
    open_database(location)
    started = time.perf_counter()
    with database().atomic():
        campaign = create_campaign("Bench")
        insert_orders(campaign, rows)
    built = time.perf_counter()
    result = mark_shipped(campaign, OrderTarget.of_ids(order_ids(campaign)), operator="bench")
    shipped = time.perf_counter()
    assert result.changed == result.reminders_queued == len(rows), result.summary()
    undone = undo_last(campaign, operator="bench")
    assert undone.restored == undone.reminders_cancelled == len(rows), undone.summary()
    finished = time.perf_counter()
    close_database()
    return built - started, shipped - built, finished - shipped


def bare_run(backend: Backend, location: str, rows) -> tuple[float, ...]:
    connection = backend.bare(location)
    now = clock.stored_now().isoformat(sep=" ")
    today = clock.today().isoformat()
    started = time.perf_counter()
    backend.begin(connection)
    [(campaign_id,)] = backend.execute(
        connection, "INSERT INTO campaign (name, slug, reminder_delay_days, created_at, language, review_url)"
        " VALUES ('Bench', 'bench', 7, ?, 'en', '') RETURNING id", (now,))
    backend.insert(connection, "product", ("name", "sku"), PRODUCTS)
    products = dict(backend.execute(connection, "SELECT sku, id FROM product"))
    backend.insert(connection, "member", [field.column_name for field in MEMBER_FIELDS], (member for member, _ in rows))
    member_ids = [member_id for (member_id,) in backend.execute(connection, "SELECT id FROM member ORDER BY id")]
    backend.insert(
        connection, "orders",
        ("campaign_id", "member_id", "product_id", "quantity", "order_key", "status", "carrier", "tracking_number",
         "tracking_url", "version", "updated_at", "updated_by", "language", "ship_name", "ship_address_line1",
         "ship_address_line2", "ship_city", "ship_region", "ship_postal_code", "ship_country"),
        ((campaign_id, member_id, products[order.sku], order.quantity, order.order_key, "pending", order.carrier,
          order.tracking_number, order.tracking_url, 1, now, "bench", "en", *(getattr(member, name) for name in SHIP_TO))
         for member_id, (member, order) in zip(member_ids, rows)),
    )
    backend.commit(connection)
    built = time.perf_counter()
    backend.begin(connection)
    order_ids = [order_id for (order_id,) in backend.execute(
        connection, "SELECT id FROM orders WHERE campaign_id = ?", (campaign_id,))]
    backend.update_from(
        connection, "orders", "id",
        {"id": "integer", "status": "text", "shipped_on": "date", "updated_at": "timestamp", "updated_by": "text"},
        ((order_id, "shipped", today, now, "bench") for order_id in order_ids),
    )
    due = (clock.stored_now() + timedelta(days=7)).isoformat(sep=" ")
    backend.insert(
        connection, "reminder",
        ("order_id", "kind", "recipient", "subject", "body", "message_id", "status", "send_after", "attempts",
         "last_error", "queued_at"),
        ((order_id, "first_review", f"m{order_id}@example.com", "", "", f"<r.{order_id}@bench>", "queued", due, 0, "",
          now) for order_id in order_ids),
    )
    backend.commit(connection)
    shipped = time.perf_counter()
    backend.begin(connection)
    backend.update_from(
        connection, "orders", "id",
        {"id": "integer", "status": "text", "shipped_on": "date", "updated_at": "timestamp", "updated_by": "text"},
        ((order_id, "pending", None, now, "bench") for order_id in order_ids),
    )
    backend.update_from(connection, "reminder", "order_id", {"order_id": "integer", "status": "text"},
                        ((order_id, "cancelled") for order_id in order_ids))
    backend.commit(connection)
    finished = time.perf_counter()
    connection.close()
    return built - started, shipped - built, finished - shipped


def build_demo(location: str, orders: int) -> None:
    open_database(location)
    build_demo_campaign(orders)
    close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    add_db_argument(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(args.db, folder)
        rss = peak_rss(build_demo, backend.fresh("demo"), args.orders)
        rows = demo_rows(args.orders, seed=1)
        best = {"shiptui": [float("inf")] * len(STEPS), "bare": [float("inf")] * len(STEPS)}
        for _attempt in range(args.repeat):
            times = bare_run(backend, backend.fresh("bare"), rows)
            best["bare"] = [min(a, b) for a, b in zip(best["bare"], times)]
            times = shiptui_run(backend.fresh("shiptui"), rows)
            best["shiptui"] = [min(a, b) for a, b in zip(best["shiptui"], times)]
    print(f"bench_bulk: {args.orders} orders, {backend.name}, best of {args.repeat}")
    for index, step in enumerate(STEPS):
        ours, bare = best["shiptui"][index], best["bare"][index]
        print(f"  {step:<17} shiptui {ours:7.3f} s   bare {backend.bare_tool} {bare:7.3f} s   "
              f"ratio {ours / bare:5.2f}  (target <= 1.5)")
    print(f"  peak RSS of demo --orders {args.orders}: {rss:.1f} MB (a process of its own; target < 300 MB)")


if __name__ == "__main__":
    main()
