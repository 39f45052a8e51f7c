"""Benchmark: the dashboard's reads at scale, a search keystroke's first page and a window
of rows at the end, against the bare statement on the same index through the driver, and
against the scan they replaced (four columns, joined, ILIKE), in the same run.

    .venv/bin/python tests/perf/bench_search.py [--orders N] [--db PATH-or-postgresql://URL]

Targets (issue 13): first page of a 3+ character search <= 100 ms, every key <= 50 ms,
at 1,000,000 orders. With --db the campaign is built once and reused by later runs.
"all" is the read of every match's id that the dashboard does after the first page, in its
worker (the count of the matches).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from peewee import JOIN  # noqa: E402

from shiptui.services import orders  # noqa: E402
from shiptui.services.campaigns import create_campaign  # noqa: E402
from shiptui.services.demo import demo_rows, insert_orders  # noqa: E402
from shiptui.services.orders import OrderFilter  # noqa: E402
from shiptui.storage import Campaign, Member, Order, close_database, database, open_database  # noqa: E402
from shiptui.storage.database import is_postgres  # noqa: E402

FIRST_PAGE = 200  # as the dashboard reads at once (tui/screens/dashboard.py)
WINDOW = 40  # the rows around the cursor the table loads
# Common names (a walk of the orders finds a page), a word of every email, rare and absent
# texts (their matches are sorted), an Order ID, a tracking number (added at run time), and
# texts too short for the trigram index.
SEARCHES = ("müller", "o'brien", "example", "zzz", "nomatch", "so-99999", "1z", "m", "mü")


def build(orders: int) -> Campaign:
    name = f"Bench search {orders}"
    existing = Campaign.get_or_none(Campaign.name == name)
    if existing is not None:
        return existing
    with database().atomic():
        campaign = create_campaign(name)
        for start in range(0, orders, 100_000):  # rows made a slice at a time: memory stays flat
            rows = demo_rows(min(100_000, orders - start), seed=start, email_prefix=campaign.id * 10_000_000 + start)
            insert_orders(campaign, [(member, order._replace(order_key=f"SO-{100_001 + start + index}"))
                                     for index, (member, order) in enumerate(rows)])
    database().execute_sql("ANALYZE")
    return campaign


def best_ms(run, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def bare_first_page(campaign: Campaign, text: str):
    """The indexed statement alone, through the driver (the folded text is given)."""
    db = database()
    folded = text.lower().replace("ü", "u")
    if is_postgres(db):
        sql = ("SELECT id FROM orders WHERE campaign_id = %s AND id IN (SELECT order_id FROM order_search "
               "WHERE search_text LIKE %s UNION ALL SELECT order_id FROM order_tracking_search "
               "WHERE search_text LIKE %s) ORDER BY sort_key, order_key LIMIT %s")
        return lambda: db.execute_sql(sql, (campaign.id, f"%{folded}%", f"%{folded}%", FIRST_PAGE)).fetchall()
    if len(folded) >= 3:
        sql = ("SELECT id FROM orders WHERE campaign_id = ? AND id IN (SELECT rowid FROM order_search "
               "WHERE order_search MATCH ? UNION ALL SELECT rowid FROM order_tracking_search "
               "WHERE order_tracking_search MATCH ?) ORDER BY sort_key, order_key LIMIT ?")
        return lambda: db.execute_sql(sql, (campaign.id, f'"{folded}"', f'"{folded}"', FIRST_PAGE)).fetchall()
    sql = ("SELECT id FROM orders WHERE campaign_id = ? AND (search_text LIKE ? OR tracking_number LIKE ?) "
           "ORDER BY sort_key, order_key LIMIT ?")
    return lambda: db.execute_sql(sql, (campaign.id, f"%{folded}%", f"%{folded}%", FIRST_PAGE)).fetchall()


def scan_first_page(campaign: Campaign, text: str):
    """What a keystroke did before issue 13: four columns joined and scanned with ILIKE."""
    pattern = f"%{text}%"
    query = (
        Order.select(Order.id).join(Member, JOIN.INNER, on=(Order.member == Member.id))
        .where((Order.campaign == campaign) & (
            (Order.order_key ** pattern) | (Order.tracking_number ** pattern)
            | (Order.ship_name ** pattern) | (Member.email ** pattern)))
        .order_by(Order.order_key).limit(FIRST_PAGE)
    )
    return lambda: list(query.tuples())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite path or postgresql:// URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    os.environ.setdefault("SHIPTUI_NOW", "2026-03-16T10:30:00+01:00")
    with tempfile.TemporaryDirectory() as folder:
        open_database(args.db or str(Path(folder) / "bench.sqlite3"))
        started = time.perf_counter()
        campaign = build(args.orders)
        backend = "PostgreSQL" if is_postgres(database()) else "SQLite"
        print(f"bench_search: {args.orders} orders, {backend} (campaign ready in {time.perf_counter() - started:.1f} s)")
        print(f"  {'first page of a search':<28} {'shiptui':>9} {'bare':>9} {'ratio':>6} {'old scan':>9} {'all':>9}")
        tracked = (Order.select(Order.tracking_number).where(Order.campaign == campaign, Order.tracking_number != "")
                   .order_by(Order.id).limit(1).scalar())
        for text in (*SEARCHES, *([tracked] if tracked else [])):
            view = OrderFilter(search=text)
            ours = best_ms(lambda: orders.order_ids(campaign, view, limit=FIRST_PAGE))
            bare = best_ms(bare_first_page(campaign, text))
            scan = best_ms(scan_first_page(campaign, text), repeat=1)
            every = best_ms(lambda: orders.order_ids(campaign, view), repeat=1)
            target = "<= 100 ms" if len(text) >= 3 else "pages"
            print(f"  {text!r:<28} {ours:8.2f}ms {bare:8.2f}ms {ours / bare:6.2f} {scan:8.2f}ms {every:8.0f}ms"
                  f"  ({target})")
        ids = orders.order_ids(campaign)
        ours = best_ms(lambda: orders.rows_by_id(campaign, ids[-WINDOW:]))
        bare_sql = ("SELECT id FROM orders WHERE id IN ({}) ORDER BY id").format(",".join(map(str, ids[-WINDOW:])))
        bare = best_ms(lambda: database().execute_sql(bare_sql).fetchall())
        print(f"  {'End: the last window':<28} {ours:8.2f}ms {bare:8.2f}ms {ours / bare:6.2f}"
              f"                      (<= 50 ms)")
        close_database()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
