"""Several operators on one database at once: nobody sees "database is locked", and
every order is shipped by exactly one of them (SQLite file, and PostgreSQL in CI)."""

from __future__ import annotations

import subprocess
import sys

from shiptui.services.demo import build_demo_campaign
from shiptui.storage import Order, Reminder, close_database, open_database


def test_four_processes_shipping_overlapping_orders_each_order_gets_one_reminder(db_location):
    open_database(db_location)
    campaign, _ = build_demo_campaign(orders=20_000, seed=11)
    keys = [key for (key,) in Order.select(Order.order_key).where(Order.campaign == campaign).tuples()]
    close_database()
    # Four overlapping halves of the campaign: every order is wanted by two processes.
    slices = [keys[i * 5000 : i * 5000 + 10_000] + keys[: (i * 5000 + 10_000) - len(keys)] for i in range(4)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "shiptui", "--db", db_location, "ship", campaign.slug, "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in slices
    ]
    outputs = [process.communicate("\n".join(chunk), timeout=300) for process, chunk in zip(processes, slices)]

    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
        assert "locked" not in err
    open_database(db_location)
    try:
        wont_ship = Order.select().where(Order.campaign == campaign, Order.status == "wont_ship").count()
        shipped = Order.select().where(Order.campaign == campaign, Order.status == "shipped").count()
        assert shipped == len(keys)  # won't-ship orders were reversed by the ship, as SPEC §2 says
        assert wont_ship == 0
        assert Reminder.select().join(Order).where(Order.campaign == campaign).count() == shipped
        changed = sum(int(out.split(" marked shipped")[0].replace(",", "")) for out, _ in outputs)  # 6,387
        already = Order.select().where(Order.campaign == campaign, Order.updated_by == "demo").count()
        assert changed + already == len(keys), "every order was shipped by exactly one process"
    finally:
        close_database()
