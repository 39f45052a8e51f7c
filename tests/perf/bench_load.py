"""Benchmark: `load-orders` of a file of N new orders (N new members), against a bare
csv.reader + sqlite3 executemany (or psycopg2 COPY) of the same members and orders on
tables without the search triggers, in the same run (target: at most 1.5x).

    .venv/bin/python tests/perf/bench_load.py [--orders N] [--db postgresql://URL]

Prints the check's and the apply's time, the ratio to the baseline, and the peak resident
memory of a process that does only the load (target: under 300 MB at 1,000,000 orders).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shiptui import clock  # noqa: E402
from shiptui.services.campaigns import create_campaign  # noqa: E402
from shiptui.services.csv.mapping import ORDERS, initial_mapping  # noqa: E402
from shiptui.services.csv.orders_import import apply_orders_import, check_orders_file  # noqa: E402
from shiptui.services.csv.reading import open_csv  # noqa: E402
from shiptui.storage import Campaign, close_database, open_database  # noqa: E402
from tests.perf import peak_rss  # noqa: E402
from tests.perf.backends import Backend, add_db_argument  # noqa: E402

HEADER = ["Order ID", "Member Name", "Email", "Address Line 1", "City", "State/Region", "Postal Code",
          "Country", "Product", "SKU", "Quantity"]


def write_file(path: Path, orders: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(orders):
            writer.writerow([f"SO-{100000 + i}", f"Member {i}", f"m{i}@example.com", f"{i} Maple Ave",
                             "Portland", "OR", "97205", "US", "Hydra Glow Serum", f"HGS-{i % 3}", "1"])


def new_database(path: str) -> str:
    open_database(path)
    slug = create_campaign("Bench Campaign").slug
    close_database()
    return slug


def shiptui_load(path: str, file: Path, slug: str, steps: dict[str, float] | None) -> None:
    open_database(path)
    campaign = Campaign.get(Campaign.slug == slug)
    started = time.perf_counter()
    table = open_csv(file)
    preview = check_orders_file(campaign, table, initial_mapping(ORDERS, table.headers))
    assert preview.ok and preview.new_orders == preview.rows, preview.problems[:3]
    checked = time.perf_counter()
    result = apply_orders_import(campaign, preview, operator="bench")
    assert result.orders_added == preview.rows
    if steps is not None:
        steps["check every row"] = checked - started
        steps["apply (one transaction)"] = time.perf_counter() - checked
    close_database()


def baseline(backend: Backend, location: str, file: Path) -> float:
    """What any loader must do at least: parse the rows, insert members, products, orders."""
    connection = backend.bare(location)
    started = time.perf_counter()
    backend.begin(connection)
    [(campaign_id,)] = backend.execute(connection, "SELECT id FROM campaign")
    with file.open(encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        next(reader)
        rows = list(reader)
    skus = {sku: product for *_cells, product, sku, _quantity in rows}
    backend.insert(connection, "product", ("name", "sku"), ((name, sku) for sku, name in skus.items()))
    products = dict(backend.execute(connection, "SELECT sku, id FROM product"))
    backend.insert(
        connection, "member",
        ("name", "email", "address_line1", "address_line2", "city", "region", "postal_code", "country", "locale"),
        ((name, email, line1, "", city, region, postal, country, "en_US")
         for _key, name, email, line1, city, region, postal, country, *_rest in rows),
    )
    members = dict(backend.execute(connection, "SELECT email, id FROM member"))
    now = clock.stored_now().isoformat(" ")
    backend.insert(
        connection, "orders",
        ("campaign_id", "member_id", "product_id", "quantity", "order_key", "status", "carrier", "tracking_number",
         "tracking_url", "version", "updated_at", "updated_by", "language", "ship_name", "ship_address_line1",
         "ship_address_line2", "ship_city", "ship_region", "ship_postal_code", "ship_country"),
        ((campaign_id, members[email], products[sku], int(quantity), key, "pending", "", "", "", 1, now, "bench", "en",
          name, line1, "", city, region, postal, country)
         for key, name, email, line1, city, region, postal, country, _product, sku, quantity in rows),
    )
    backend.commit(connection)
    connection.close()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    add_db_argument(parser)
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "orders.csv"
        write_file(file, args.orders)
        backend = Backend(args.db, folder)
        print(f"load-orders of {args.orders} new orders ({file.stat().st_size / 1e6:.1f} MB), {backend.name}")
        path = backend.fresh("rss")
        rss = peak_rss(shiptui_load, path, file, new_database(path), None)
        bare_path = backend.fresh("bare")
        new_database(bare_path)
        bare = baseline(backend, bare_path, file)
        print(f"  {'baseline csv.reader + ' + backend.bare_tool:<40} {bare:7.3f} s")
        path = backend.fresh("shiptui")
        steps: dict[str, float] = {}
        shiptui_load(path, file, new_database(path), steps)
        for name, seconds in steps.items():
            print(f"  {name:<40} {seconds:7.3f} s  ({seconds / bare:.2f}x baseline)")
        print(f"ratio: {sum(steps.values()) / bare:.2f}x baseline (target <= 1.5x)")
        print(f"peak RSS of the load: {rss:.1f} MB (a process of its own; target < 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
