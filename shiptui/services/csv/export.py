"""The Fulfillment Distribution List: one row per order, streamed from the database.

A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets
a leading ' so it shows as text; so does a cell that starts with ' itself. The import
takes exactly one leading ' off every cell, so export -> edit -> import round-trips.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.services.campaigns import status_counts
from shiptui.services.fulfillment import us_date
from shiptui.storage import Campaign, Member, Order, OrderStatus, Product, database

COLUMNS = [
    "Order ID", "Member Name", "Email", "Address Line 1", "Address Line 2", "City",
    "State/Region", "Postal Code", "Country", "Product", "SKU", "Quantity", "Status",
    "Shipped Date", "Tracking Carrier", "Tracking Number", "Tracking URL",
]
STATUS_WORDS = {
    OrderStatus.PENDING: "Pending",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.WONT_SHIP: "Won't ship",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_STATUS = 12
_SHIPPED = 13
_PROGRESS_EVERY = 5000


def neutralized(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _us(day) -> str:
    if isinstance(day, str) and day:  # SQLite hands back ISO text: sliced, no parsing per row
        return f"{day[5:7]}/{day[8:10]}/{day[:4]}"
    return us_date(day)


def default_file_name(campaign: Campaign) -> str:
    return f"{campaign.slug}-fulfillment-{clock.today():%Y-%m-%d}.csv"


def write_export(
    campaign: Campaign, out: TextIO, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the campaign's list to `out` (opened with newline=""); returns the row count.

    `progress(done, total)` is called every few thousand rows.
    """
    total = status_counts(campaign).total if progress else 0
    query = (
        Order.select(
            Order.order_key, Order.ship_name, Member.email, Order.ship_address_line1,
            Order.ship_address_line2, Order.ship_city, Order.ship_region, Order.ship_postal_code,
            Order.ship_country, Product.name, Product.sku, Order.quantity, Order.status,
            Order.shipped_on, Order.carrier, Order.tracking_number, Order.tracking_url,
        )
        .join(Member, on=(Order.member == Member.id))
        .switch(Order)
        .join(Product, on=(Order.product == Product.id))
        .where(Order.campaign == campaign)
        .order_by(Order.order_key)
    )
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    # The raw cursor streams rows without building a model per row.
    for row in database().execute(query):
        cells = [neutralized(cell) if type(cell) is str else cell for cell in row]
        cells[_STATUS] = STATUS_WORDS.get(row[_STATUS], row[_STATUS])
        cells[_SHIPPED] = _us(row[_SHIPPED])
        writer.writerow(cells)
        count += 1
        if progress and count % _PROGRESS_EVERY == 0:
            progress(count, total)
    if progress:
        progress(count, total)
    return count


def export_to_file(
    campaign: Campaign, path, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the list to `path` with a UTF-8 BOM (so Excel reads its accents right),
    through a temporary file, so a failed export never leaves half a list behind."""
    target = Path(path).expanduser()
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            count = write_export(campaign, out, progress)
        os.replace(partial, target)
    except OSError as error:
        raise RejectedInput(
            f"cannot write {target}: {error.strerror or error}: choose another file or folder"
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return count
