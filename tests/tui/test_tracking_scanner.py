"""The tracking dialog keeps up with a barcode scanner and with pasting: a scanned or
pasted number lands whole in the number field, and a Tab or Enter sent right behind it
moves on or saves, however fast the keys come."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual import events
from textual.widgets import Input

from shiptui.services.orders import get_order
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.tracking import TrackingScreen
from tests.tui.pilot import burst, settle

TO_SO_5 = ["down"] * 4  # pending, no tracking yet
TO_SO_2 = ["down"]  # shipped, tracking 1Z999AA10123456784 by UPS


def field(app, name: str) -> Input:
    return app.screen.query_one(f"#{name}", Input)


async def paste(pilot, name: str, text: str) -> None:
    """What a terminal sends for a bracketed paste into the field `name`."""
    field(pilot.app, name).post_message(events.Paste(text))
    await settle(pilot)


async def open_tracking(pilot, keys) -> None:
    await pilot.press(*keys, "t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TrackingScreen)


@pytest.mark.parametrize(("order", "keys", "number"), [
    (TO_SO_5, "1Z999AA10123456784\tUPS", "1Z999AA10123456784"),
    # The dialog opens with the stored number (of UPS): a scan is the new number, not
    # more digits for the old one.
    (TO_SO_2, "1Z5R89390357567127\t", "1Z5R89390357567127"),
])
async def test_a_scan_followed_by_tab_puts_the_carrier_in_the_carrier_field(campaign, make_app, order, keys, number):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tracking(pilot, order)
        burst(app, keys)
        await settle(pilot)
        assert (field(app, "number").value, field(app, "carrier").value) == (number, "UPS")
        assert app.screen.focused is field(app, "carrier")


async def test_a_scan_followed_by_enter_saves(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tracking(pilot, TO_SO_5)
        burst(app, "1Z5R89390357567127\r")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    order = get_order(campaign, "SO-5")
    assert (order.tracking_number, order.carrier) == ("1Z5R89390357567127", "UPS")


async def test_a_pasted_number_goes_into_the_number_field_whole_and_trimmed(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tracking(pilot, TO_SO_2)
        await paste(pilot, "number", "  1Z5R89390357567127 \n")
        assert field(app, "number").value == "1Z5R89390357567127"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert get_order(campaign, "SO-2").tracking_number == "1Z5R89390357567127"


async def test_a_pasted_row_of_cells_fills_number_and_carrier(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tracking(pilot, TO_SO_5)
        await paste(pilot, "number", "1Z999AA10123456784\tUPS")  # a spreadsheet row's cells
        assert (field(app, "number").value, field(app, "carrier").value) == ("1Z999AA10123456784", "UPS")
        assert app.screen.focused is field(app, "url")


async def test_pasting_a_name_into_the_carrier_field_inserts_it(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tracking(pilot, TO_SO_5)
        await pilot.press("tab")
        await paste(pilot, "carrier", "DHL Express")
        assert field(app, "carrier").value == "DHL Express"
        assert field(app, "number").value == ""


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_url_placeholder_fits_its_field(campaign, make_app, size):
    """A placeholder longer than the field wraps out of sight ("left empty:" and nothing)."""
    app = make_app(campaign)
    async with app.run_test(size=size) as pilot:
        await open_tracking(pilot, TO_SO_5)
        url = field(app, "url")
        assert cell_len(url.placeholder) < url.content_size.width
        await pilot.press(*"1Z999AA10123456784")
        assert cell_len(url.placeholder) < url.content_size.width
        assert url.placeholder.startswith("left empty: https://") and url.placeholder.endswith("1Z999AA10123456784")
