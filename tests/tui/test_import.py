"""Import and export from the dashboard (keys i and e): the file, the mapping, the check
with its error table, the import with undo, and the export to a file."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from textual.widgets import DataTable, Input, Select, Static

from shiptui.services.orders import get_order
from shiptui.storage import ColumnMapping, Reminder
from shiptui.tui.screens.export_file import ExportScreen
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import ImportPreviewScreen
from tests.conftest import order_state
from tests.csv.conftest import many_bad_rows
from tests.tui.pilot import open_file, settle, text_of

GOOD = ("Order ID,Ship Date,Shipping Carrier,Tracking #\n"
        "SO-1,03/14/2026,UPS,1Z999AA10123456784\n"
        "SO-5,03/15/2026,FedEx,123456789012\n")
BAD = ("Order ID,Ship Date,Shipping Carrier,Tracking #\n"
       "SO-1,02/30/2026,UPS,1Z999AA10123456784\n"
       "SO-4,03/15/2026,FedEx,123456789012\n"
       "SO-99,03/15/2026,USPS,9.40011E+21\n")
# The tracking numbers are under a header no alias names: Hermes numbers, valid check digits.
PAKET_ID = ("Order ID,Ship Date,Carrier,Paket-ID\n"
            "SO-1,03/14/2026,Hermes,09133131530724\n"
            "SO-5,03/15/2026,Hermes,07341333413925\n")


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The operator's working folder (paths typed in the console are relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_a_good_file_is_mapped_checked_imported_and_undone(campaign, make_app, here):
    (here / "ups.csv").write_text(GOOD)
    before = order_state(campaign)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "ups.csv")
        assert isinstance(app.screen, ImportMappingScreen)
        assert app.screen.query_one("#map-tracking_number", Select).value == 3
        assert text_of(app, "#samples-tracking_number") == "1Z999AA10123456784, 123456789012"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportPreviewScreen)
        assert text_of(app, "#counts") == "2 to mark shipped · 0 tracking updates · 0 unchanged · 0 rejected"
        assert order_state(campaign) == before  # checked, nothing written yet
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#counts").startswith("2 marked shipped · 0 tracking updated")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DashboardScreen"
        assert get_order(campaign, "SO-5").shipped_on == date(2026, 3, 15)
        assert "4 shipped" in str(app.screen.query_one("CampaignBar").render())  # the view is read again
        await pilot.press("u")
        await settle(pilot)
    assert {k: v[:-1] for k, v in order_state(campaign).items()} == {k: v[:-1] for k, v in before.items()}
    assert Reminder.select().where(Reminder.status == "queued").count() == 2  # the seed's, not the import's


async def test_a_bad_file_shows_every_rejected_cell_and_saves_them(campaign, make_app, here):
    (here / "bad.csv").write_text(BAD)
    before = order_state(campaign)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "bad.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[:2] for row in rows] == [
            ["2", "B Ship Date"], ["3", "B Ship Date"], ["4", "A Order ID"], ["4", "D Tracking #"],
        ]
        assert "won't ship" in rows[1][3]
        await pilot.press("enter")  # refused: nothing to import while rows are rejected
        await settle(pilot)
        assert isinstance(app.screen, ImportPreviewScreen)
        await pilot.press("s")
        await pilot.pause()
        saved = list(csv.reader((here / "bad-errors.csv").open(encoding="utf-8-sig")))
        assert len(saved) == 5 and saved[0][0] == "Line"
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ImportMappingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ImportFileScreen)
        assert app.screen.query_one(Input).value.endswith("bad.csv")
    assert order_state(campaign) == before


async def test_a_file_of_thousands_of_bad_rows_lists_the_first_and_saves_them_all_in_line_order(
        campaign, make_app, here):
    (here / "bad.csv").write_text(many_bad_rows(2500))
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "bad.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#status").startswith("rejected: 2,500 of 2,500 rows have problems")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1000 and [str(table.get_row_at(i)[0]) for i in (0, 999)] == ["2", "1001"]
        await pilot.press("s")
        await pilot.pause()
        saved = list(csv.reader((here / "bad-errors.csv").open(encoding="utf-8-sig")))
        assert [int(row[0]) for row in saved[1:]] == list(range(2, 2502))


async def test_a_file_that_is_not_a_csv_is_told_in_the_file_step(campaign, make_app, here):
    (here / "book.xlsx").write_bytes(b"PK\x03\x04rest-of-a-zip")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "book.xlsx")
        assert isinstance(app.screen, ImportFileScreen)
        assert "this is an Excel workbook (.xlsx)" in text_of(app, "#error")


async def test_the_file_name_is_completed(campaign, make_app, here):
    (here / "tracking-week-11.csv").write_text(GOOD)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", *"tra")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "tracking-week-11.csv"


async def test_an_unmapped_required_field_keeps_the_mapping_open(campaign, make_app, here):
    (here / "odd.csv").write_text("Ref,Waybill\nSO-1,1Z999AA10123456784\n")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "odd.csv")
        assert "the required field Order ID (order_id) is not mapped" in text_of(app, "#gaps")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportMappingScreen)


async def test_export_writes_the_list_with_the_dated_name(campaign, make_app, here, monkeypatch):
    monkeypatch.setenv("HOME", "/nowhere")  # the whole path is shown (under the home folder as ~/…)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one(Input).value == "spring-serum-sampling-fulfillment-2026-03-16.csv"
        await pilot.press("enter")
        await settle(pilot)
        written = here / "spring-serum-sampling-fulfillment-2026-03-16.csv"
        assert text_of(app, "#status") == f"exported 12 orders to {written}"  # the full path
        # The next name offered is free: enter writes another file, nothing is replaced.
        assert app.screen.query_one(Input).value == "spring-serum-sampling-fulfillment-2026-03-16-2.csv"
        await pilot.press("escape", "e", "enter")
        await settle(pilot)
        assert text_of(app, "#status").endswith("spring-serum-sampling-fulfillment-2026-03-16-2.csv")
    rows = list(csv.reader(written.open(encoding="utf-8-sig")))
    assert len(rows) == 13
    assert (here / "spring-serum-sampling-fulfillment-2026-03-16-2.csv").exists()


async def test_export_over_an_existing_file_asks_first_and_replaces_on_a_second_enter(campaign, make_app, here,
                                                                                      monkeypatch):
    monkeypatch.setenv("HOME", str(here.parent))
    existing = here / "list.csv"
    existing.write_text("the list of last week\n")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        app.screen.query_one(Input).value = "list.csv"
        await pilot.press("enter")
        await settle(pilot)
        shown = f"~/{here.name}/list.csv"
        assert text_of(app, "#status") == f"{shown} exists: enter again replaces it, or give another name"
        assert existing.read_text() == "the list of last week\n"
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#status") == f"exported 12 orders to {shown}"
    assert existing.read_text(encoding="utf-8-sig").startswith("Order ID,")


async def test_export_in_a_german_session_names_the_columns_in_german(campaign, make_app, here, monkeypatch):
    monkeypatch.setenv("SHIPTUI_LANG", "de")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "enter")
        await settle(pilot)
    with (here / "spring-serum-sampling-fulfillment-2026-03-16.csv").open(encoding="utf-8-sig") as exported:
        header = next(csv.reader(exported))
    assert header[:3] == ["Bestellnummer", "Mitglied", "E-Mail"] and "Versanddatum (MM/TT/JJJJ)" in header


async def test_an_unmapped_tracking_number_column_is_shown_and_left_out_only_when_confirmed(campaign, make_app, here):
    (here / "paket.csv").write_text(PAKET_ID)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "paket.csv")
        assert isinstance(app.screen, ImportMappingScreen)
        told = text_of(app, "#unmapped")
        assert "D Paket-ID: tracking numbers (09133131530724, 07341333413925) not mapped" in told
        assert "choose it for Tracking Number or check the file to leave it out" in told
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportMappingScreen), "not left out without being seen"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportPreviewScreen)


async def test_choosing_the_proposed_column_maps_the_tracking_numbers(campaign, make_app, here):
    (here / "paket.csv").write_text(PAKET_ID)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "paket.csv")
        app.screen.query_one("#map-tracking_number", Select).value = 3
        await pilot.pause()
        assert "shown" not in app.screen.query_one("#unmapped", Static).classes
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    assert get_order(campaign, "SO-1").tracking_number == "09133131530724"


async def test_a_mapping_is_remembered_only_once_a_file_has_been_imported_with_it(campaign, make_app, here):
    """Checked and refused, or left at the preview: not remembered; imported: remembered."""
    (here / "bad.csv").write_text(BAD)
    (here / "ups.csv").write_text(GOOD)  # the same headers
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "bad.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "rejected" in text_of(app, "#status")
        await pilot.press("m")  # back to the mapping, then to the file, then out
        assert isinstance(app.screen, ImportMappingScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ImportFileScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DashboardScreen"
        assert ColumnMapping.select().count() == 0
        await open_file(pilot, "ups.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ColumnMapping.select().count() == 0  # checked, not imported yet
        await pilot.press("enter")
        await settle(pilot)
        assert ColumnMapping.select().count() == 1
