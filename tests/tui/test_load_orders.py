"""Loading a campaign's orders from the console (key l, on the campaign list and on the
dashboard of an empty campaign): the file, the mapping with the orders' fields, the check
with every rejected cell, the load in a worker, and the orders on the dashboard."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select

from shiptui.services.campaigns import create_campaign, find_campaign
from shiptui.storage import ColumnMapping, Member, Order
from shiptui.tui.screens.campaign_list import CampaignListScreen
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import LoadPreviewScreen
from shiptui.tui.widgets.order_table import OrderTable
from tests.tui.pilot import press, screen_text, settle, text_of

HEADER = "Order ID,Member Name,Email,Address Line 1,City,State/Region,Postal Code,Country,Product,SKU,Quantity\n"
ORDERS = HEADER + (
    "W-1,Ada Lovelace,ada@example.com,1 Elm St,Portland,OR,97205,US,Night Cream,NRC-050,1\n"
    "W-2,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Night Cream,NRC-050,2\n"
)
BAD_ROW = HEADER + (
    "W-1,Ada Lovelace,ada@example.com,1 Elm St,Portland,OR,97205,US,Night Cream,NRC-050,1\n"
    "W-2,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Night Cream,NRC-050,many\n"
)
# Headers no alias names: the operator maps them once, the second file finds them remembered.
OWN_HEADERS = ("Ref,Who,Mail,Thing,Code\n"
               "W-1,Ada Lovelace,ada@example.com,Night Cream,NRC-050\n")


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The operator's working folder (paths typed in the console are relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def create_winter_cream(pilot) -> None:
    await pilot.press("n", *"Winter Cream", "enter")
    await settle(pilot)


async def check_load_and_close(pilot) -> None:
    """From the mapping: check the file, load it, and back to the dashboard."""
    await press(pilot, "ctrl+s", "enter", "enter")


async def choose_file(pilot, name: str) -> None:
    assert isinstance(pilot.app.screen, ImportFileScreen)
    await pilot.press(*name, "enter")
    await pilot.pause()


async def test_a_new_campaign_gets_its_orders_from_a_file_and_shows_them(sqlite_db, make_app, here):
    create_campaign("Autumn Kit")
    create_campaign("Spring Kit")  # two: the console opens on the list
    (here / "orders.csv").write_text(ORDERS)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await create_winter_cream(pilot)
        assert "press l to load its orders" in notices(app)[-1]
        await pilot.press("l")
        await choose_file(pilot, "orders.csv")
        assert isinstance(app.screen, ImportMappingScreen)
        assert app.screen.query_one("#map-email", Select).value == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LoadPreviewScreen)
        assert app.screen.active_bindings["enter"].binding.description == "Load"
        assert app.screen.active_bindings["m"].binding.description == "Mapping"
        assert text_of(app, "#counts").startswith("2 new orders · 0 already loaded · 2 new members")
        assert Order.select().count() == 0  # checked, nothing written yet
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#status") == "loaded"
        assert text_of(app, "#counts").startswith("2 orders added")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.campaign.slug == "winter-cream"
        assert "W-1" in screen_text(app) and "W-2" in screen_text(app)
        assert "2 pending" in str(app.screen.query_one("CampaignBar").render())
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, CampaignListScreen)
    assert {o.order_key for o in Order.select().where(Order.campaign == find_campaign("winter-cream"))} == {"W-1", "W-2"}


async def test_a_bad_row_writes_nothing_and_names_its_row_and_column(sqlite_db, make_app, here):
    create_campaign("Autumn Kit")
    create_campaign("Winter Cream")
    (here / "orders.csv").write_text(BAD_ROW)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "l")
        await choose_file(pilot, "orders.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "rejected: 1 of 2 rows have problems; nothing will be written" in text_of(app, "#status")
        table = app.screen.query_one(DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][:3] == ["3", "K Quantity", "many"]
        assert "line 3, column K" in text_of(app, "#detail")
        assert "write how many items go in the parcel" in text_of(app, "#detail")
        await pilot.press("enter")  # refused: nothing to load while a row is bad
        await settle(pilot)
        assert isinstance(app.screen, LoadPreviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CampaignListScreen)
    assert Order.select().count() == 0
    assert Member.select().count() == 0
    assert ColumnMapping.select().count() == 0  # a refused file's mapping is not remembered


async def test_a_mapping_chosen_once_is_used_for_the_next_file(sqlite_db, make_app, here):
    create_campaign("Autumn Kit")
    create_campaign("Winter Cream")
    (here / "first.csv").write_text(OWN_HEADERS)
    (here / "second.csv").write_text(OWN_HEADERS.replace("W-1", "W-2"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await choose_file(pilot, "first.csv")
        for field, column in (("order_id", 0), ("member_name", 1), ("email", 2), ("product", 3), ("sku", 4)):
            app.screen.query_one(f"#map-{field}", Select).value = column
        await pilot.pause()
        await check_load_and_close(pilot)  # the dashboard of Autumn Kit, with W-1
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("l")
        await choose_file(pilot, "second.csv")
        assert isinstance(app.screen, ImportMappingScreen)
        assert [app.screen.query_one(f"#map-{field}", Select).value
                for field in ("order_id", "member_name", "email", "product", "sku")] == [0, 1, 2, 3, 4]
        await check_load_and_close(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(OrderTable).row_count == 2  # the view is read again
    assert sorted(o.order_key for o in Order.select()) == ["W-1", "W-2"]


async def test_an_empty_campaign_loads_its_orders_from_its_dashboard(sqlite_db, make_campaign, make_app, here):
    campaign = make_campaign(0, name="Winter Cream")
    (here / "orders.csv").write_text(ORDERS)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "no orders yet: press l to load them" in screen_text(app)
        await pilot.press("l")
        await choose_file(pilot, "orders.csv")
        await check_load_and_close(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "W-2" in screen_text(app)


async def test_u_puts_back_the_addresses_a_load_changed(sqlite_db, make_campaign, make_app, here):
    campaign = make_campaign(0, name="Winter Cream")
    (here / "orders.csv").write_text(ORDERS)
    (here / "moved.csv").write_text(HEADER + "W-3,Ada Lovelace,ada@example.com,9 Oak Ave,Salem,OR,97301,US,"
                                    "Night Cream,NRC-050,1\n")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await choose_file(pilot, "orders.csv")
        await press(pilot, "ctrl+s", "enter")
        assert "u on the dashboard" not in text_of(app, "#counts")  # nothing a load's undo puts back
        await press(pilot, "enter", "l")
        await choose_file(pilot, "moved.csv")
        await press(pilot, "ctrl+s", "enter")
        assert "1 updated" in text_of(app, "#counts")
        assert "u on the dashboard puts back the names and addresses the load changed" in text_of(app, "#counts")
        assert Member.get(Member.email == "ada@example.com").city == "Salem"
        await press(pilot, "enter", "u")
    assert Member.get(Member.email == "ada@example.com").city == "Portland"


LOAD = {  # the keys that open each of the load's dialogs from the dashboard, with the files of `files`
    "mapping": ["l", *"orders.csv", "enter"],
    "preview": ["l", *"bad.csv", "enter", "ctrl+s"],
    "summary": ["l", *"orders.csv", "enter", "ctrl+s", "enter"],
}


@pytest.fixture
def files(here):
    (here / "orders.csv").write_text(ORDERS)
    (here / "bad.csv").write_text(BAD_ROW)
    return here


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("dialog", LOAD)
def test_snapshot(campaign, make_app, files, dialog, size, snap_compare):
    async def open_it(pilot) -> None:
        await press(pilot, *LOAD[dialog])

    assert snap_compare(make_app(campaign), run_before=open_it, terminal_size=size)
