"""Benchmark: `load-orders` of a file of N new orders (N new members), against a bare
csv.reader + sqlite3 executemany of the same members and orders, in the same run.

    .venv/bin/python tests/perf/bench_load.py [--orders N]

Prints the check's and the apply's time, the ratio to the baseline, and the peak resident
memory of a process that does only the load (target: under 300 MB at 1,000,000 orders).
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
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
from shiptui.storage.search import register_sqlite_functions  # noqa: E402
from tests.perf import peak_rss  # noqa: E402

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


def baseline(path: str, file: Path) -> float:
    """What any loader must do at least: parse the rows, insert members, products, orders."""
    started = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    register_sqlite_functions(connection)  # the triggers keep search and sort columns
    connection.execute("BEGIN IMMEDIATE")
    (campaign_id,) = connection.execute("SELECT id FROM campaign").fetchone()
    with file.open(encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        next(reader)
        rows = list(reader)
    products = {}
    for *_cells, product, sku, _quantity in rows:
        if sku not in products:
            products[sku] = connection.execute("INSERT INTO product (name, sku) VALUES (?, ?)", (product, sku)).lastrowid
    connection.executemany(
        "INSERT INTO member (name, email, address_line1, address_line2, city, region, postal_code, country, locale)"
        " VALUES (?, ?, ?, '', ?, ?, ?, ?, 'en_US')",
        (row[1:8] for row in rows),
    )
    members = dict(connection.execute("SELECT email, id FROM member"))
    now = clock.stored_now().isoformat(" ")
    connection.executemany(
        "INSERT INTO orders (campaign_id, member_id, product_id, quantity, order_key, status, carrier,"
        " tracking_number, tracking_url, version, updated_at, updated_by, language, ship_name,"
        " ship_address_line1, ship_address_line2, ship_city, ship_region, ship_postal_code, ship_country)"
        " VALUES (?, ?, ?, ?, ?, 'pending', '', '', '', 1, ?, 'bench', 'en', ?, ?, '', ?, ?, ?, ?)",
        ((campaign_id, members[email], products[sku], int(quantity), key, now, name, line1, city, region, postal, country)
         for key, name, email, line1, city, region, postal, country, _product, sku, quantity in rows),
    )
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "orders.csv"
        write_file(file, args.orders)
        print(f"load-orders of {args.orders} new orders ({file.stat().st_size / 1e6:.1f} MB)")
        path = os.path.join(folder, "rss.sqlite3")
        rss = peak_rss(shiptui_load, path, file, new_database(path), None)
        bare_path = os.path.join(folder, "bare.sqlite3")
        new_database(bare_path)
        bare = baseline(bare_path, file)
        print(f"  {'baseline csv.reader + sqlite3 executemany':<40} {bare:7.3f} s")
        path = os.path.join(folder, "shiptui.sqlite3")
        steps: dict[str, float] = {}
        shiptui_load(path, file, new_database(path), steps)
        for name, seconds in steps.items():
            print(f"  {name:<40} {seconds:7.3f} s  ({seconds / bare:.2f}x baseline)")
        print(f"ratio: {sum(steps.values()) / bare:.2f}x baseline")
        print(f"peak RSS of the load: {rss:.1f} MB (a process of its own; target < 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
