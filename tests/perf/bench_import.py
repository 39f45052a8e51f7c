"""Benchmark: import of a tracking file where every row ships, against a bare
csv.reader + sqlite3 executemany update (or psycopg2 COPY + one UPDATE … FROM) of the same
rows and an INSERT … SELECT of their reminders, on tables without the search triggers, in
the same run.

    .venv/bin/python tests/perf/bench_import.py [--orders N] [--db postgresql://URL]

Prints each step's time, the ratio of the whole import to the baseline (target: at
most 1.5x), the import's peak Python memory and the peak resident memory of a process that
does only the import, and of one that checks a file whose every row is wrong and saves
its error table (target: under 300 MB at 1,000,000 orders).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shiptui import clock  # noqa: E402
from shiptui.services.campaigns import create_campaign  # noqa: E402
from shiptui.services.carrier_detection import fits_carrier  # noqa: E402
from shiptui.services.csv import errors_path, order_ids_of_lines, save_problems  # noqa: E402
from shiptui.services.csv.mapping import TRACKING, initial_mapping  # noqa: E402
from shiptui.services.csv.reading import open_csv  # noqa: E402
from shiptui.services.csv.tracking_import import apply_tracking_import, check_tracking_file  # noqa: E402
from shiptui.storage import Campaign, Product, close_database, open_database  # noqa: E402
from tests.perf import peak_rss  # noqa: E402
from tests.perf.backends import Backend, add_db_argument  # noqa: E402

# Numbers with valid check digits (the digit is found in write_file): no row is warned about.
CARRIERS = [("UPS", "1Z{:015d}"), ("FedEx", "{:011d}"), ("DHL Paket", "00340434{:011d}")]
URL_OF = {
    "UPS": "https://www.ups.com/track?tracknum={}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={}",
    "DHL Paket": "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode={}",
}


def valid_number(carrier: str, serial: str) -> str:
    return next(serial + digit for digit in "0123456789" if fits_carrier(carrier, serial + digit))


def build_campaign(backend: Backend, location: str, orders: int) -> tuple[str, int]:
    """A campaign of `orders` pending orders (bulk-inserted: setting up is not measured);
    its slug and id."""
    open_database(location)
    campaign = create_campaign("Bench Campaign")
    product = Product.create(name="Hydra Glow Serum", sku="HGS-030")
    slug, campaign_id, product_id = campaign.slug, campaign.id, product.id
    close_database()
    now = clock.stored_now().isoformat(" ")
    connection = backend.connect(location)
    backend.begin(connection)
    backend.insert(
        connection, "member",
        ("id", "name", "email", "address_line1", "address_line2", "city", "region", "postal_code", "country", "locale"),
        ((i + 1, f"Member {i}", f"m{i}@example.com", f"{i} Maple Ave", "", "Portland", "OR", "97205", "US", "en_US")
         for i in range(orders)),
    )
    backend.insert(
        connection, "orders",
        ("campaign_id", "member_id", "product_id", "quantity", "order_key", "status", "carrier", "tracking_number",
         "tracking_url", "version", "updated_at", "updated_by", "language", "ship_name", "ship_address_line1",
         "ship_address_line2", "ship_city", "ship_region", "ship_postal_code", "ship_country"),
        ((campaign_id, i + 1, product_id, 1, f"SO-{100000 + i}", "pending", "", "", "", 1, now, "seed", "en",
          f"Member {i}", f"{i} Maple Ave", "", "Portland", "OR", "97205", "US") for i in range(orders)),
    )
    if backend.postgres:  # ids given: the sequence moves on past them, and the planner learns the sizes
        backend.execute(connection, "SELECT setval('member_id_seq', (SELECT max(id) FROM member))")
    backend.commit(connection)
    if backend.postgres:
        backend.execute(connection, "ANALYZE")
        connection.commit()
    connection.close()
    return slug, campaign_id


def write_file(path: Path, orders: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Order ID", "Shipped Date", "Tracking Carrier", "Tracking Number"])
        for i in range(orders):
            carrier, pattern = CARRIERS[i % 3]
            number = valid_number(carrier, pattern.format(i + 1))
            writer.writerow([f"SO-{100000 + i}", f"03/{1 + i % 14:02d}/2026", carrier, number])


def write_rejected_file(path: Path, orders: int) -> None:
    """Every row wrong: a day that does not exist (found row by row), or an Order ID of no
    order (named after the last row)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Order ID", "Shipped Date", "Tracking Carrier", "Tracking Number"])
        for i in range(orders):
            writer.writerow([f"SO-{100000 + i}", "02/30/2026", "UPS", ""] if i % 2 else
                            [f"NO-{100000 + i}", "03/14/2026", "UPS", ""])


def shiptui_rejected(db_path: str, file: Path, slug: str) -> None:
    """The check of a file whose every row is wrong, and its error table saved."""
    open_database(db_path)
    campaign = Campaign.get(Campaign.slug == slug)
    table = open_csv(file)
    mapping = initial_mapping(TRACKING, table.headers)
    preview = check_tracking_file(campaign, table, mapping)
    assert preview.rejected_rows == preview.rows == len(preview.problems), preview.summary()
    save_problems(preview.problems, errors_path(file), order_ids_of_lines(table, mapping))
    close_database()


def baseline(backend: Backend, location: str, file: Path, campaign_id: int) -> float:
    """What any importer must do at least: parse the rows, update them by key, queue a reminder each."""
    connection = backend.bare(location)
    started = time.perf_counter()
    backend.begin(connection)
    with file.open(encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        next(reader)
        rows = []
        for key, day, carrier, number in reader:
            month, dom, year = day.split("/")
            rows.append((key, "shipped", f"{year}-{month}-{dom}", carrier, number, URL_OF[carrier].format(number)))
    backend.update_from(
        connection, "orders", "order_key",
        {"order_key": "text", "status": "text", "shipped_on": "date", "carrier": "text", "tracking_number": "text",
         "tracking_url": "text"},
        rows, where=f" AND orders.campaign_id = {campaign_id}",
    )
    now = clock.stored_now().isoformat(" ")
    backend.execute(
        connection,
        "INSERT INTO reminder (order_id, kind, recipient, subject, body, message_id, status, send_after, attempts,"
        " last_error, queued_at) SELECT orders.id, 'first_review', member.email, '', '', 'r.' || orders.id, 'queued',"
        " ?, 0, '', ? FROM orders JOIN member ON member.id = orders.member_id WHERE orders.campaign_id = ?",
        (now, now, campaign_id),
    )
    backend.commit(connection)
    connection.close()
    return time.perf_counter() - started


def shiptui_import(db_path: str, file: Path, slug: str, steps: dict[str, float] | None) -> None:
    open_database(db_path)
    campaign = Campaign.get(Campaign.slug == slug)
    moment = time.perf_counter()

    def step(name: str) -> None:
        nonlocal moment
        if steps is not None:
            now = time.perf_counter()
            steps[name] = now - moment
            moment = now

    table = open_csv(file)
    mapping = initial_mapping(TRACKING, table.headers)
    step("read header + map")
    preview = check_tracking_file(campaign, table, mapping)
    assert preview.ok and preview.to_ship == preview.rows, preview.problems[:3]
    step("check every row")
    result = apply_tracking_import(campaign, preview, operator="bench")
    assert result.reminders_queued == preview.rows
    step("apply (one transaction)")
    close_database()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the best counts")
    add_db_argument(parser)
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(args.db, folder)
        template = backend.fresh("template")
        slug, campaign_id = build_campaign(backend, template, args.orders)
        file = Path(folder) / "tracking.csv"
        write_file(file, args.orders)

        def fresh_copy() -> str:
            """The campaign as built, again: a copy of the SQLite file, or built anew."""
            if backend.postgres:
                build_campaign(backend, backend.fresh("run"), args.orders)
                return args.db
            copy = backend.fresh("run")
            shutil.copy(template, copy)
            return copy

        rss = peak_rss(shiptui_import, fresh_copy(), file, slug, None)
        rejected = Path(folder) / "rejected.csv"
        write_rejected_file(rejected, args.orders)
        rejected_rss = peak_rss(shiptui_rejected, fresh_copy(), rejected, slug)
        print(f"import of {args.orders} rows, every row shipping ({file.stat().st_size / 1e6:.1f} MB), "
              f"{backend.name}; best of {args.runs} runs (the machine is shared)")
        bare = min(baseline(backend, fresh_copy(), file, campaign_id) for _ in range(args.runs))
        print(f"  {'baseline csv.reader + ' + backend.bare_tool:<40} {bare:7.3f} s")
        runs = []
        for _ in range(args.runs):
            steps: dict[str, float] = {}
            shiptui_import(fresh_copy(), file, slug, steps)
            runs.append(steps)
        steps = min(runs, key=lambda run: sum(run.values()))
        for name, seconds in steps.items():
            print(f"  {name:<40} {seconds:7.3f} s  ({seconds / bare:.2f}x baseline)")
        total = sum(steps.values())
        print(f"  {'shiptui import, total':<40} {total:7.3f} s")
        print(f"ratio: {total / bare:.2f}x baseline (target <= 1.5x)")
        location = fresh_copy()  # built before tracing: the campaign's set-up is not the import's memory
        tracemalloc.start()
        shiptui_import(location, file, slug, None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"peak memory of the import: {peak / 1e6:.1f} MB (target < 300 MB)")
        print(f"peak RSS of the import: {rss:.1f} MB (a process of its own; target < 300 MB)")
        print(f"peak RSS of a rejected import: {rejected_rss:.1f} MB (every row wrong, the errors saved; "
              "a process of its own; target < 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
