"""The Fulfillment Distribution List: one row per order, streamed from the database.

A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets
a leading ' so it shows as text; so does a cell that starts with ' itself. The import
takes exactly one leading ' off every cell, so export -> edit -> import round-trips.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import TextIO

from shiptui import clock
from shiptui.i18n import DEFAULT_LANGUAGE, translation
from shiptui.services.campaigns import status_counts
from shiptui.services.files import replacing
from shiptui.services.csv.dates import us_date
from shiptui.storage import Campaign, Member, Order, OrderStatus, Product
from shiptui.storage.bulk import stream



def column_names(language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The header row in a language: German as the help page names the columns. The
    import reads either language's (services/csv/mapping.py)."""
    catalog = translation(language)
    return [
        catalog.pgettext("CSV column", "Order ID"), catalog.pgettext("CSV column", "Member Name"),
        catalog.pgettext("CSV column", "Email"), catalog.pgettext("CSV column", "Address Line 1"),
        catalog.pgettext("CSV column", "Address Line 2"), catalog.pgettext("CSV column", "City"),
        catalog.pgettext("CSV column", "State/Region"), catalog.pgettext("CSV column", "Postal Code"),
        catalog.pgettext("CSV column", "Country"), catalog.pgettext("CSV column", "Product"),
        catalog.pgettext("CSV column", "SKU"), catalog.pgettext("CSV column", "Quantity"),
        catalog.pgettext("CSV column", "Status"),
        # Translators: the dates in this column stay MM/DD/YYYY in every language.
        catalog.pgettext("CSV column", "Shipped Date"),
        catalog.pgettext("CSV column", "Tracking Carrier"),
        catalog.pgettext("CSV column", "Tracking Number"), catalog.pgettext("CSV column", "Tracking URL"),
        catalog.pgettext("CSV column", "Language"),
    ]


def status_words(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    catalog = translation(language)
    return {
        OrderStatus.PENDING: catalog.pgettext("CSV status", "Pending"),
        OrderStatus.SHIPPED: catalog.pgettext("CSV status", "Shipped"),
        OrderStatus.WONT_SHIP: catalog.pgettext("CSV status", "Won't ship"),
    }


COLUMNS = column_names()
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
    campaign: Campaign,
    out: TextIO,
    progress: Callable[[int, int], None] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> int:
    """Write the campaign's list to `out` (opened with newline=""); returns the row count.

    `progress(done, total)` is called every few thousand rows. `language` names the
    columns and the statuses; the Shipped Date is MM/DD/YYYY in every language.
    """
    total = status_counts(campaign).total if progress else 0
    query = (
        Order.select(
            Order.order_key, Order.ship_name, Member.email, Order.ship_address_line1,
            Order.ship_address_line2, Order.ship_city, Order.ship_region, Order.ship_postal_code,
            Order.ship_country, Product.name, Product.sku, Order.quantity, Order.status,
            Order.shipped_on, Order.carrier, Order.tracking_number, Order.tracking_url,
            Order.language,
        )
        .join(Member, on=(Order.member == Member.id))
        .switch(Order)
        .join(Product, on=(Order.product == Product.id))
        .where(Order.campaign == campaign)
        .order_by(Order.order_key)
    )
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(column_names(language))
    words = status_words(language)
    count = 0
    # Tuples stream without building a model per row; on PostgreSQL through a server-side
    # cursor, so a million orders are never fetched at once.
    for row in stream(query.tuples()):
        cells = [neutralized(cell) if type(cell) is str else cell for cell in row]
        cells[_STATUS] = words.get(row[_STATUS], row[_STATUS])
        cells[_SHIPPED] = _us(row[_SHIPPED])
        writer.writerow(cells)
        count += 1
        if progress and count % _PROGRESS_EVERY == 0:
            progress(count, total)
    if progress:
        progress(count, total)
    return count


def export_to_file(
    campaign: Campaign,
    path,
    progress: Callable[[int, int], None] | None = None,
    language: str = DEFAULT_LANGUAGE,
    *,
    replace: bool = False,
) -> int:
    """Write the list to `path` with a UTF-8 BOM (so Excel reads its accents right),
    through a temporary file, so a failed export never leaves half a list behind (see
    files.replacing: never through a link, never over a special file, over an existing
    file only with `replace`: files.TargetExists otherwise)."""
    with replacing(path, encoding="utf-8-sig", replace=replace) as out:
        return write_export(campaign, out, progress, language)
