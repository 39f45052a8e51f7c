"""Reminder sending speed against a bare smtplib loop, in one run.

Both send the same N reminders to one local aiosmtpd server (started here, in a separate
process so it does not share this process's interpreter lock): the bare loop sends
pre-built messages over one connection; shiptui's sender claims them with a lease, checks
the suppression list, renders and builds each (text and HTML parts), sends in batches over
one connection per batch, and records every outcome. No --rate: unpaced, as by default.
Targets: >= 200 reminders/s, and >= 0.5x the bare rate. Best of --repeat runs each.

    python tests/perf/bench_mail.py [--orders 2000] [--repeat 3] [--db postgresql://...]
"""

from __future__ import annotations

import argparse
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from shiptui import clock
from shiptui.services.campaigns import create_campaign
from shiptui.services.demo import demo_rows, insert_orders
from shiptui.services.fulfillment import mark_shipped
from shiptui.services.mail.sender import Sender, compose, load_outgoing
from shiptui.services.mail.smtp_config import SmtpConfig
from shiptui.services.orders import OrderTarget, order_ids
from shiptui.storage import Reminder, ReminderStatus, close_database, database, open_database

SERVER = """
import asyncio, socket, sys
from aiosmtpd.controller import Controller

class Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 queued"

probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
controller = Controller(Accept(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
controller.stop()
"""


def queue_reminders(orders: int) -> None:
    with database().atomic():
        campaign = create_campaign("Bench Mail")
        insert_orders(campaign, demo_rows(orders, seed=1))
    result = mark_shipped(campaign, OrderTarget.of_ids(order_ids(campaign)), operator="bench")
    assert result.reminders_queued == orders, result.summary()


def requeue() -> None:
    Reminder.update(status=ReminderStatus.QUEUED, sent_at=None, attempts=0).execute()


def bare_run(config: SmtpConfig, messages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP(config.host, config.port) as smtp:
        for recipient, data in messages:
            smtp.sendmail(config.envelope_sender, [recipient], data)
    return time.perf_counter() - started


def shiptui_run(config: SmtpConfig, orders: int) -> float:
    requeue()
    started = time.perf_counter()
    report = Sender(config).send_due()
    elapsed = time.perf_counter() - started
    assert report.sent == orders and not report.failed and not report.retrying, report.summary()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", metavar="URL", help="an empty PostgreSQL database to use instead of a temporary SQLite file")
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        config = SmtpConfig("smtp", "127.0.0.1", port, "Sampling Team <team@brand.example>", "help@brand.example")
        with tempfile.TemporaryDirectory() as folder:
            open_database(args.db or str(Path(folder) / "bench.sqlite3"))
            queue_reminders(args.orders)
            with clock.freeze(clock.now() + timedelta(days=8)):
                items = load_outgoing([reminder_id for (reminder_id,) in Reminder.select(Reminder.id).tuples()])
                messages = [(item.recipient, compose(config, item)[2]) for item in items]
                bare = ours = float("inf")
                for _ in range(args.repeat):  # interleaved: both see the server in the same state
                    bare = min(bare, bare_run(config, messages))
                    ours = min(ours, shiptui_run(config, args.orders))
            close_database()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    ours_rate, bare_rate = args.orders / ours, args.orders / bare
    backend = "PostgreSQL" if args.db else "SQLite"
    print(f"bench_mail: {args.orders} reminders to a local aiosmtpd, {backend}, best of {args.repeat}")
    print(f"  bare smtplib loop  {bare:7.3f} s  {bare_rate:8.0f} /s")
    print(f"  shiptui sender     {ours:7.3f} s  {ours_rate:8.0f} /s  (target >= 200 /s)")
    print(f"  ratio {ours_rate / bare_rate:5.2f} of the bare rate  (target >= 0.5)")


if __name__ == "__main__":
    main()
