"""The CSV commands as an operator or a script runs them: never a prompt, exit 1 and the
error table on a refused file, nothing changed."""

from __future__ import annotations

import csv
import io

import pytest

from shiptui.cli import main
from shiptui.storage import Order
from tests.csv.conftest import campaign, copy_file, db_dump, many_bad_rows, write_file  # noqa: F401 (fixtures)

SLUG = "spring-serum-sampling"


def run(capsys, db_location, *args):
    code = main(["--db", db_location, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_to_standard_output(campaign, db_location, capsys):
    code, out, err = run(capsys, db_location, "export", SLUG)
    assert code == 0 and err == f"exported 6 orders of {SLUG}\n"
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["Order ID", "Member Name", "Email"] and len(rows) == 7


def test_export_to_a_file(campaign, db_location, capsys, tmp_path):
    target = tmp_path / "list.csv"
    code, out, _ = run(capsys, db_location, "export", SLUG, "-o", str(target))
    assert code == 0 and out == f"exported 6 orders of {SLUG} to {target}\n"
    assert target.read_text(encoding="utf-8-sig").count("\n") == 7


def test_export_to_a_relative_name_says_the_full_path(campaign, db_location, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, db_location, "export", SLUG, "-o", "list.csv")
    assert code == 0 and out == f"exported 6 orders of {SLUG} to {tmp_path / 'list.csv'}\n"


def test_import_applies_a_good_file_and_tells_what_it_read(campaign, db_location, capsys, copy_file):
    code, out, _ = run(capsys, db_location, "import", SLUG, str(copy_file("tab_separated.csv")))
    assert code == 0
    assert "read tab_separated.csv: UTF-8, tab-separated, 4 columns" in out
    assert "Shipped Date      Ship Date (B)         automatic" in out
    assert out.endswith("import of tab_separated.csv: 1 marked shipped · 0 tracking updated · 0 unchanged · 1 reminder queued\n")
    assert Order.get(Order.order_key == "SO-3").status == "shipped"


def test_a_refused_file_prints_the_error_table_and_exits_1(campaign, db_location, capsys, copy_file):
    before = db_dump()
    code, out, err = run(capsys, db_location, "import", SLUG, str(copy_file("one_bad_row.csv")))
    assert code == 1
    assert "LINE  COLUMN          VALUE       PROBLEM" in out
    assert "4     B Shipped Date  02/30/2026  there is no such day (read as MM/DD/YYYY)  write it as MM/DD/YYYY" in out
    assert err == ("shiptui: one_bad_row.csv was rejected: 1 row with problems; nothing was changed. "
                   "Correct them (or the mapping, with --map) and import again\n")
    assert db_dump() == before


def test_errors_can_be_saved_next_to_the_file(campaign, db_location, capsys, copy_file):
    path = copy_file("bad_urls.csv")
    code, out, _ = run(capsys, db_location, "import", SLUG, str(path), "--save-errors")
    saved = path.with_name("bad_urls-errors.csv")
    assert code == 1 and f"problems saved to {saved}" in out
    rows = list(csv.reader(saved.open(encoding="utf-8-sig")))
    assert rows[0] == ["Line", "Order ID", "Column", "Value", "Problem", "What to do"]
    assert [row[:4] for row in rows[1:]] == [
        ["2", "SO-1", "E Tracking URL", "javascript:alert(1)"],
        ["3", "SO-2", "E Tracking URL", "ftp://example.com/track"],
        ["4", "SO-4", "E Tracking URL", "tracking page"],
    ]


def test_saved_errors_of_thousands_of_rows_hold_every_problem_in_line_order(campaign, db_location, capsys, write_file):
    path = write_file("bad.csv", many_bad_rows(7000))
    code, out, err = run(capsys, db_location, "import", SLUG, str(path), "--save-errors")
    assert code == 1 and "... and 6,900 more problems (all of them: --save-errors)" in out
    assert "bad.csv was rejected: 7,000 rows with problems" in err
    rows = list(csv.reader(path.with_name("bad-errors.csv").open(encoding="utf-8-sig")))
    assert [int(row[0]) for row in rows[1:]] == list(range(2, 7002))
    assert [row[1] for row in rows[1:]] == [row.split(",")[0] for row in many_bad_rows(7000).splitlines()[1:]]
    assert {row[2] for row in rows[1::2]} == {"A Order ID"} and {row[2] for row in rows[2::2]} == {"B Shipped Date"}


def test_an_unmatched_required_field_names_the_map_option(campaign, db_location, capsys, write_file):
    path = write_file("carrier.csv", "Ref,Waybill\nSO-1,1Z999AA10123456784\n")
    code, _, err = run(capsys, db_location, "import", SLUG, str(path))
    assert code == 1
    assert "the required field Order ID (order_id) is not mapped to a column" in err
    assert "--map order_id=HEADER" in err
    code, out, _ = run(capsys, db_location, "import", SLUG, str(path), "--map", "order_id=Ref",
                       "--map", "tracking_number=Waybill")
    assert code == 0 and "1 tracking updated" in out
    # the confirmed mapping is remembered: the next file with these headers needs no --map
    again = write_file("carrier2.csv", "Ref,Waybill\nSO-2,1Z999AA10123456785\n")
    code, out, _ = run(capsys, db_location, "import", SLUG, str(again))
    assert code == 0 and "Waybill (B)" in out and "remembered" in out


def test_dry_run_reports_and_changes_nothing(campaign, db_location, capsys, copy_file):
    before = db_dump()
    code, out, _ = run(capsys, db_location, "import", SLUG, str(copy_file("utf8_bom.csv")), "--dry-run")
    assert code == 0
    assert out.endswith("1 row read · 1 to mark shipped · 0 tracking updates · 0 unchanged · 0 rejected "
                        "(dry run: nothing was changed)\n")
    assert db_dump() == before


@pytest.mark.parametrize("name, words", [
    ("workbook.xlsx", "file: this is an Excel workbook (.xlsx) or another zip archive, not a CSV file"),
    ("binary.csv", "file: this is a binary file (it holds NUL bytes), not a CSV file"),
    ("empty.csv", "file: the file is empty"),
    ("header_only.csv", "file: the file has a header but no rows"),
    ("not_text.csv", "file: this file is not text in UTF-8 or Windows-1252"),
    ("duplicate_header.csv", "line 1, column D ('tracking number'): 'tracking number': this header is also"),
])
def test_a_file_that_is_not_a_usable_csv_is_refused_in_words(campaign, db_location, capsys, copy_file, name, words):
    before = db_dump()
    code, _, err = run(capsys, db_location, "import", SLUG, str(copy_file(name)))
    assert code == 1
    assert err.startswith(f"shiptui: {name} was rejected, nothing was changed: {words}")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert db_dump() == before


def test_load_orders_then_export_shows_them(db, db_location, capsys, write_file):
    run(capsys, db_location, "new-campaign", "Winter Sampling")
    path = write_file("orders.csv", "Bestellnummer;Name;E-Mail;Straße;PLZ;Ort;Land;Artikel;Artikelnummer;Menge\n"
                      "W-1;Käthe Krüger;kaethe@example.de;Lindenweg 5;50667;Köln;DE;Serum;HGS-030;1\n")
    code, out, _ = run(capsys, db_location, "load-orders", "winter-sampling", str(path))
    assert code == 0 and out.endswith("1 order added · 0 already loaded · 1 member added · 0 updated · 1 product added\n")
    code, out, _ = run(capsys, db_location, "export", "winter-sampling")
    assert "W-1,Käthe Krüger,kaethe@example.de,Lindenweg 5,,Köln,,50667,DE,Serum,HGS-030,1,Pending" in out


PAKET_ID = ("Order ID,Shipped Date,Carrier,Paket-ID,Member Name,Address Line 1,SKU\n"
            "SO-1,03/14/2026,Hermes,09133131530724,Anna Berg,Hauptstr. 1,HGS-030\n"
            "SO-2,03/14/2026,Hermes,07341333413925,Bernd Kurz,Ringweg 2,HGS-030\n")


def test_an_unmapped_column_of_tracking_numbers_stops_the_import_naming_map_and_ignore(
    campaign, db_location, capsys, write_file
):
    path = write_file("paket.csv", PAKET_ID)
    before = db_dump()
    code, _, err = run(capsys, db_location, "import", SLUG, str(path))
    assert code == 1
    assert ("column D 'Paket-ID' is not mapped but holds tracking numbers ('09133131530724', "
            "'07341333413925'): import it with --map tracking_number=Paket-ID, or leave it out "
            "with --ignore Paket-ID; nothing was changed") in err
    assert "Member Name" not in err and "Address" not in err and "SKU" not in err  # plainly other data
    assert db_dump() == before
    code, _, _ = run(capsys, db_location, "import", SLUG, str(path), "--map", "tracking_number=Paket-ID")
    assert code == 0
    assert Order.get(Order.order_key == "SO-1").tracking_number == "09133131530724"


def test_ignore_leaves_the_column_out_and_is_remembered_with_the_mapping(campaign, db_location, capsys, write_file):
    path = write_file("paket.csv", PAKET_ID)
    code, _, err = run(capsys, db_location, "import", SLUG, str(path), "--ignore", "Paket-ID")
    assert code == 0, err
    assert Order.get(Order.order_key == "SO-1").tracking_number == ""
    code, _, err = run(capsys, db_location, "import", SLUG, str(path), "--dry-run")
    assert code == 0, err


def test_a_field_left_out_with_an_empty_map_is_not_reported(campaign, db_location, capsys, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date,Tracking Number\nSO-1,03/14/2026,1Z5R89390357567127\n")
    code, _, err = run(capsys, db_location, "import", SLUG, str(path), "--map", "shipped_date=")
    assert code == 0, err
    assert Order.get(Order.order_key == "SO-1").status == "pending"


def test_other_date_and_url_columns_are_reported_too(campaign, db_location, capsys, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date,Tracking Number,Label Date,Link zum Paket\n"
                               "SO-1,03/14/2026,1Z5R89390357567127,03/13/2026,https://example.com/p/1\n")
    code, _, err = run(capsys, db_location, "import", SLUG, str(path))
    assert code == 1
    assert "column D 'Label Date' is not mapped but holds dates" in err
    assert "column E 'Link zum Paket' is not mapped but holds URLs" in err
    assert "--map tracking_url='Link zum Paket', or leave it out with --ignore 'Link zum Paket'" in err


def test_a_directory_given_as_the_file_says_it_is_a_directory(campaign, db_location, capsys, tmp_path):
    code, _, err = run(capsys, db_location, "import", SLUG, str(tmp_path))
    assert code == 1 and f"{tmp_path} is a directory" in err


@pytest.mark.parametrize("word", ["Pending", "pending", "PENDING", "Offen"])
def test_status_filter_takes_any_case_and_the_exports_words(campaign, db_location, capsys, word):
    code, out, _ = run(capsys, db_location, "orders", SLUG, "--status", word, "--json")
    assert code == 0 and out.count('"order_id"') == 6


@pytest.mark.parametrize("word", ["Won't ship", "wont_ship", "WONT-SHIP", "won’t ship"])
def test_wont_ship_is_understood_however_written(campaign, db_location, capsys, word):
    code, out, _ = run(capsys, db_location, "orders", SLUG, "--status", word, "--json")
    assert code == 0 and out.strip() == "[]"


def test_a_file_whose_only_tracking_column_has_an_unknown_header_names_that_column(
    campaign, db_location, capsys, write_file
):
    path = write_file("t.csv", "Order ID,Paket-ID\nSO-1,09133131530724\nSO-2,07341333413925\n")
    code, _, err = run(capsys, db_location, "import", SLUG, str(path))
    assert code == 1 and "--map tracking_number=Paket-ID" in err and "column B 'Paket-ID'" in err


def test_a_mapping_is_remembered_only_once_a_file_has_been_imported_with_it(campaign, db_location, capsys, write_file):
    maps = ["--map", "order_id=Ref", "--map", "tracking_number=Waybill"]
    refused = write_file("refused.csv", "Ref,Waybill\nSO-404,1Z999AA10123456784\n")
    code, _, _ = run(capsys, db_location, "import", SLUG, str(refused), *maps)
    assert code == 1
    good = write_file("good.csv", "Ref,Waybill\nSO-1,1Z999AA10123456784\n")
    code, _, _ = run(capsys, db_location, "import", SLUG, str(good), "--dry-run", *maps)
    assert code == 0
    code, _, err = run(capsys, db_location, "import", SLUG, str(good))
    assert code == 1 and "--map order_id=HEADER" in err  # neither was remembered
    code, _, _ = run(capsys, db_location, "import", SLUG, str(good), *maps)
    assert code == 0
    code, out, _ = run(capsys, db_location, "import", SLUG, str(write_file("next.csv", "Ref,Waybill\nSO-3,1Z999AA10123456785\n")))
    assert code == 0 and "remembered" in out
