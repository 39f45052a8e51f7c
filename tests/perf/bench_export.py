"""Benchmark: export of the Fulfillment Distribution List against a bare query (sqlite3,
or a psycopg2 server-side cursor) + csv.writer of the same columns, in the same run.

    .venv/bin/python tests/perf/bench_export.py [--orders N] [--db postgresql://URL]

Prints both times, their ratio (target: at most 2x) and the peak resident memory of a
process that does only the export.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import build_campaign  # noqa: E402
from shiptui.services.csv.export import export_to_file  # noqa: E402
from shiptui.storage import Campaign, close_database, open_database  # noqa: E402
from tests.perf import peak_rss  # noqa: E402
from tests.perf.backends import Backend, add_db_argument  # noqa: E402

BARE_QUERY = """
SELECT o.order_key, o.ship_name, m.email, o.ship_address_line1, o.ship_address_line2,
       o.ship_city, o.ship_region, o.ship_postal_code, o.ship_country, p.name, p.sku, o.quantity, o.status, o.shipped_on,
       o.carrier, o.tracking_number, o.tracking_url
FROM orders o JOIN member m ON o.member_id = m.id JOIN product p ON o.product_id = p.id
WHERE o.campaign_id = {} ORDER BY o.order_key
"""


def baseline(backend: Backend, location: str, campaign_id: int, target: Path) -> float:
    started = time.perf_counter()
    connection = backend.connect(location)
    # A named cursor is a server-side one: rows come a batch at a time, as the export's do.
    cursor = connection.cursor("bare_export") if backend.postgres else connection.cursor()
    cursor.execute(BARE_QUERY.format(int(campaign_id)))
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Order ID"] * 17)
        writer.writerows(cursor)
    connection.close()
    return time.perf_counter() - started


def shiptui_export(location: str, slug: str, target: Path) -> float:
    open_database(location)
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
    add_db_argument(parser)
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(args.db, folder)
        location = backend.fresh("bench")
        slug, campaign_id = build_campaign(backend, location, args.orders)
        # Half the orders shipped with tracking, so dates and URLs are written too.
        connection = backend.connect(location)
        backend.begin(connection)
        backend.execute(
            connection,
            "UPDATE orders SET status = 'shipped', shipped_on = '2026-03-02', carrier = 'UPS', "
            "tracking_number = '1Z' || lpad(id::text, 16, '0'), "
            "tracking_url = 'https://www.ups.com/track?tracknum=1Z' || lpad(id::text, 16, '0') WHERE id % 2 = 0"
            if backend.postgres else
            "UPDATE orders SET status = 'shipped', shipped_on = '2026-03-02', carrier = 'UPS', "
            "tracking_number = '1Z' || printf('%016d', id), "
            "tracking_url = 'https://www.ups.com/track?tracknum=1Z' || printf('%016d', id) WHERE id % 2 = 0"
        )
        backend.commit(connection)
        connection.close()
        rss = peak_rss(shiptui_export, location, slug, Path(folder) / "rss.csv")
        print(f"export of {args.orders} orders, {backend.name}; best of {args.runs} runs (the machine is shared)")
        bare = min(baseline(backend, location, campaign_id, Path(folder) / "bare.csv") for _ in range(args.runs))
        ours = min(shiptui_export(location, slug, Path(folder) / "list.csv") for _ in range(args.runs))
        print(f"  {'baseline query + csv.writer':<40} {bare:7.3f} s")
        print(f"  {'shiptui export':<40} {ours:7.3f} s")
        print(f"ratio: {ours / bare:.2f}x baseline (target <= 2x)")
        print(f"peak RSS of the export: {rss:.1f} MB (a process of its own; target < 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
