"""Benchmark: export of the Fulfillment Distribution List against a bare sqlite3 query
+ csv.writer of the same columns, in the same run.

    .venv/bin/python tests/perf/bench_export.py [--orders N]

Prints both times and their ratio (target: at most 2x).
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import build_campaign  # noqa: E402
from shiptui.services.csv.export import export_to_file  # noqa: E402
from shiptui.storage import Campaign, close_database, open_database  # noqa: E402
from shiptui.storage.search import register_sqlite_functions  # noqa: E402

BARE_QUERY = """
SELECT o.order_key, o.ship_name, m.email, o.ship_address_line1, o.ship_address_line2,
       o.ship_city, o.ship_region, o.ship_postal_code, o.ship_country, p.name, p.sku, o.quantity, o.status, o.shipped_on,
       o.carrier, o.tracking_number, o.tracking_url
FROM orders o JOIN member m ON o.member_id = m.id JOIN product p ON o.product_id = p.id
WHERE o.campaign_id = ? ORDER BY o.order_key
"""


def baseline(db_path: str, campaign_id: int, target: Path) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Order ID"] * 17)
        writer.writerows(connection.execute(BARE_QUERY, (campaign_id,)))
    connection.close()
    return time.perf_counter() - started


def shiptui_export(db_path: str, slug: str, target: Path) -> float:
    open_database(db_path)
    campaign = Campaign.get(Campaign.slug == slug)
    started = time.perf_counter()
    count = export_to_file(campaign, target, replace=True)  # each run writes the same file
    seconds = time.perf_counter() - started
    close_database()
    assert count > 0
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        db_path = os.path.join(folder, "bench.sqlite3")
        slug = build_campaign(db_path, args.orders)
        campaign_id = sqlite3.connect(db_path).execute("SELECT id FROM campaign WHERE slug = ?", (slug,)).fetchone()[0]
        # Half the orders shipped with tracking, so dates and URLs are written too.
        connection = sqlite3.connect(db_path)
        register_sqlite_functions(connection)  # the triggers keep search and sort columns
        connection.execute(
            "UPDATE orders SET status = 'shipped', shipped_on = '2026-03-02', carrier = 'UPS', "
            "tracking_number = '1Z' || printf('%016d', id), "
            "tracking_url = 'https://www.ups.com/track?tracknum=1Z' || printf('%016d', id) WHERE id % 2 = 0"
        )
        connection.commit()
        connection.close()
        print(f"export of {args.orders} orders; best of {args.runs} runs (the machine is shared)")
        bare = min(baseline(db_path, campaign_id, Path(folder) / "bare.csv") for _ in range(args.runs))
        ours = min(shiptui_export(db_path, slug, Path(folder) / "list.csv") for _ in range(args.runs))
        print(f"  {'baseline sqlite3 query + csv.writer':<40} {bare:7.3f} s")
        print(f"  {'shiptui export':<40} {ours:7.3f} s")
        print(f"ratio: {ours / bare:.2f}x baseline (target <= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
