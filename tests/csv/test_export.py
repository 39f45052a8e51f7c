"""Export of the Fulfillment Distribution List, and the round trip export -> edit -> import."""

from __future__ import annotations

import csv
import io
from datetime import date

from shiptui.services.csv.export import COLUMNS, column_names, default_file_name, export_to_file, write_export
from shiptui.services.csv.mapping import ORDER_FIELDS, ORDERS, TRACKING, TRACKING_FIELDS, initial_mapping
from shiptui.services.csv.reading import open_csv
from shiptui.services.csv.tracking_import import apply_tracking_import, check_tracking_file
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship, update_tracking
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Order
from tests.conftest import order_state
from tests.csv.conftest import db_dump


def exported(campaign) -> list[list[str]]:
    out = io.StringIO(newline="")
    write_export(campaign, out)
    return list(csv.reader(io.StringIO(out.getvalue(), newline="")))


def ids(campaign, *keys):
    return OrderTarget.of_ids(resolve_order_keys(campaign, list(keys)))


def test_columns_status_words_and_us_dates(campaign):
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="ups", url="", operator="alice")
    mark_shipped(campaign, ids(campaign, "SO-1"), operator="alice", shipped_on=date(2026, 3, 2))
    mark_wont_ship(campaign, ids(campaign, "SO-2"), operator="alice")
    rows = exported(campaign)
    assert rows[0] == COLUMNS
    assert [row[0] for row in rows[1:]] == ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6"]
    assert rows[1] == [
        "SO-1", "Member 1", "member1.spring-serum-sampling@example.com", "1 Maple Ave", "", "Portland",
        "OR", "97205", "US", "Hydra Glow Serum", "HGS-030", "1", "Shipped", "03/02/2026", "UPS",
        "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784", "en",
    ]
    assert rows[2][12:14] == ["Won't ship", ""]
    assert rows[3][12:] == ["Pending", "", "", "", "", "en"]


def test_the_file_has_a_bom_for_excel_and_a_dated_name(campaign, tmp_path):
    assert default_file_name(campaign) == "spring-serum-sampling-fulfillment-2026-03-16.csv"
    path = tmp_path / default_file_name(campaign)
    assert export_to_file(campaign, path) == 6
    assert path.read_bytes().startswith(b"\xef\xbb\xbfOrder ID,Member Name,")
    assert not list(tmp_path.glob(".*partial"))


def test_formula_cells_are_neutralised_and_the_import_undoes_it(campaign, tmp_path):
    dangerous = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+49 30 1234567", "-2+3", "@SUM(A1)",
                 "'quoted", "\tTabbed"]
    for number, text in enumerate(dangerous, start=1):
        Order.update(ship_name=text).where(Order.order_key == f"SO-{number}").execute()
    Order.update(ship_address_line2="\rCarriage").where(Order.order_key == "SO-1").execute()
    update_tracking(campaign, get_order(campaign, "SO-1"), number="-1234567", carrier="@Home Couriers",
                    url="https://example.com/t?n=-1", operator="alice")
    rows = exported(campaign)
    names = {row[1] for row in rows[1:]}
    for text in dangerous:
        assert "'" + text in names
    assert rows[1][4] == "'\rCarriage"
    assert rows[1][14:16] == ["'@Home Couriers", "'-1234567"]
    path = tmp_path / "list.csv"
    export_to_file(campaign, path)
    table = open_csv(path)
    assert [row.cells[1] for row in table.rows()] == dangerous  # the import takes the mark off
    before = db_dump()
    preview = check_tracking_file(campaign, table, initial_mapping(TRACKING, table.headers))
    assert preview.ok and preview.unchanged == 6
    assert apply_tracking_import(campaign, preview, operator="alice").changed == 0
    assert db_dump() == before


def test_export_edit_import_changes_exactly_the_edited_rows(campaign, tmp_path):
    update_tracking(campaign, get_order(campaign, "SO-4"), number="00340434161094042557", carrier="DHL Paket",
                    url="", operator="alice")
    path = tmp_path / "list.csv"
    export_to_file(campaign, path)
    with path.open(encoding="utf-8-sig", newline="") as text:
        rows = list(csv.reader(text))
    rows[2][13:16] = ["03/15/2026", "FedEx", "123456789012"]  # SO-2 shipped
    rows[4][15] = "340434161094042557"  # Excel dropped the zeros of SO-4's number
    with path.open("w", encoding="cp1252", newline="") as text:  # and saved as Windows-1252
        csv.writer(text, delimiter=";").writerows(rows)
    before = order_state(campaign)
    table = open_csv(path)
    preview = check_tracking_file(campaign, table, initial_mapping(TRACKING, table.headers))
    assert preview.summary() == "6 rows read · 1 to mark shipped · 0 tracking updates · 5 unchanged · 0 rejected"
    apply_tracking_import(campaign, preview, operator="alice")
    after = order_state(campaign)
    assert {key for key in after if after[key] != before[key]} == {"SO-2"}
    assert after["SO-2"][:4] == ("shipped", date(2026, 3, 15), "FedEx", "123456789012")


def test_the_german_list_has_the_help_pages_column_names_and_reads_back_in(campaign):
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="ups", url="", operator="alice")
    mark_shipped(campaign, ids(campaign, "SO-1"), operator="alice", shipped_on=date(2026, 3, 2))
    mark_wont_ship(campaign, ids(campaign, "SO-2"), operator="alice")
    Order.update(language="de").where(Order.order_key == "SO-1").execute()
    out = io.StringIO(newline="")
    write_export(campaign, out, language="de")
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == [
        "Bestellnummer", "Mitglied", "E-Mail", "Adresszeile 1", "Adresszeile 2", "Ort",
        "Bundesland/Region", "Postleitzahl", "Land", "Produkt", "Artikelnummer (SKU)", "Menge", "Status",
        "Versanddatum (MM/TT/JJJJ)", "Tracking-Versandunternehmen", "Trackingnummer", "Tracking-URL", "Sprache",
    ]
    assert rows[1][12:14] == ["Versendet", "03/02/2026"] and rows[1][-1] == "de"
    assert rows[2][12] == "Wird nicht versendet" and rows[3][12] == "Offen"
    # Both lists map every column by itself when they come back.
    for language in ("de", "en"):
        headers = column_names(language)
        assert set(initial_mapping(TRACKING, headers).columns) == {f.key for f in TRACKING_FIELDS}
        assert set(initial_mapping(ORDERS, headers).columns) == {f.key for f in ORDER_FIELDS}
