"""The order table's columns at every terminal width, and its cursor row as one bar."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.geometry import Region

from shiptui.services.carriers import carrier_names
from shiptui.tui.widgets.order_columns import layout
from shiptui.tui.widgets.order_table import OrderTable

ORDER_ID_WIDTH = 9  # SO-100001, as in the demo


def widths_at(width: int) -> dict[str, int]:
    return {column.key: column_width for column, column_width in layout(width, ORDER_ID_WIDTH)}


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_the_columns_fill_the_width_exactly_and_never_cut_an_order_id(width):
    widths = widths_at(width)
    assert sum(widths.values()) + len(widths) == width  # one space after each column
    assert widths["order_id"] == ORDER_ID_WIDTH
    assert widths["shipped"] >= len("11/23/2026")
    assert widths["check"] == len("[ ]")


def test_at_60_columns_the_essentials_stay():
    assert list(widths_at(60)) == ["order_id", "member", "shipped", "mail", "check"]


def test_at_80_columns_product_and_tracking_fit_beside_the_member():
    assert list(widths_at(80)) == ["order_id", "member", "product", "shipped", "mail", "tracking", "check"]


def test_at_120_columns_carrier_and_product_show_what_they_usually_hold():
    widths = widths_at(120)
    assert widths["carrier"] >= cell_len("DHL Express")
    assert widths["product"] >= cell_len("Night Repair Cream 50 ml")
    assert widths["tracking"] >= cell_len("00340434920425059653")  # a DHL Paket SSCC
    assert widths["member"] <= widths["product"], "the spare width no longer goes all to Member"


def test_at_200_columns_every_column_shows_its_longest_value_and_the_rest_goes_to_free_text():
    widths = widths_at(200)
    assert widths["carrier"] >= max(cell_len(name) for name in carrier_names())  # Österreichische Post
    assert widths["tracking"] >= 34  # FedEx's longest numbers
    assert widths["member"] >= 40 and widths["product"] >= 40


async def test_the_cursor_row_is_one_bar_over_a_shipped_order(campaign, make_app):
    """SO-2 is shipped (a coloured date, a queued reminder): every cell of the cursor row,
    the Shipped and Mail cells too, has the cursor's background."""
    async with make_app(campaign).run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        await pilot.pause()
        table = pilot.app.screen.query_one(OrderTable)
        strip = table.render_lines(Region(0, 0, table.size.width, table.size.height))[2]
        assert strip.text.split()[0] == "SO-2"
        cursor = table.get_component_rich_style("order-table--cursor")
        backgrounds = {segment.style.bgcolor for segment in strip if segment.text.strip()}
        assert backgrounds == {cursor.bgcolor}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_cursor_on_a_shipped_order(campaign, make_app, snap_compare, size):
    assert snap_compare(make_app(campaign), press=["down"], terminal_size=size)
