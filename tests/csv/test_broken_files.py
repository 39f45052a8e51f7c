"""Files a carrier, a spreadsheet or an attacker could hand over that csv or the codec
cannot read (a giant cell, broken UTF-16) and cells holding control characters: each is
refused in words naming its line, on import and load-orders, dry run or not, and
nothing is changed, on SQLite and PostgreSQL."""

from __future__ import annotations

import codecs

import pytest

from shiptui.cli import main
from shiptui.services.csv.mapping import ORDERS, TRACKING, automatic
from shiptui.services.csv.orders_import import check_orders_file
from shiptui.services.csv.reading import open_csv
from shiptui.services.csv.tracking_import import check_tracking_file
from tests.csv.conftest import db_dump

SLUG = "spring-serum-sampling"
TRACKING_HEADER = "Order ID,Shipped Date,Tracking Number\r\n"
ORDERS_HEADER = "Order ID,Member Name,Email,Product,SKU\r\n"


def utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def lone_surrogate_file(header: str, row: str) -> bytes:
    """UTF-16 with half a surrogate pair (a low surrogate alone) on line 3."""
    return utf16(header + row) + b"\x00\xdc" + utf16("x\r\n")[2:]


def run(capsys, db_location, *args):
    code = main(["--db", db_location, *args])
    out, err = capsys.readouterr()
    return code, out, err


BROKEN = {
    "giant_cell": (
        lambda header, row: (header + row + 'SO-2,"' + "x" * (1 << 20 | 1) + '",1\r\n').encode(),
        "line 3: a cell of this row is longer than 1 MiB",
    ),
    "giant_cell_in_the_header": (
        lambda header, row: ("Order ID,\"" + "x" * (1 << 20 | 1) + "\"\r\n" + row).encode(),
        "line 1: a cell of this row is longer than 1 MiB",
    ),
    "lone_surrogate": (
        lone_surrogate_file,
        "line 3: this line holds bytes that are not UTF-16 text (illegal encoding",
    ),
    "odd_byte_count": (
        lambda header, row: utf16(header + row + "SO-2,03/14/2026,1\r\n") + b"\x00",
        "line 4: the file ends in the middle of a character (an odd number of bytes)",
    ),
    "utf16_mark_before_ascii": (
        lambda header, row: codecs.BOM_UTF16_LE + (header + row).encode("ascii"),
        "file: this file starts with a UTF-16 byte order mark, but the text after it is not UTF-16",
    ),
}


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry_run"])
@pytest.mark.parametrize("command, header, row", [
    ("import", TRACKING_HEADER, "SO-1,03/14/2026,1Z999AA10123456784\r\n"),
    ("load-orders", ORDERS_HEADER, "N-1,Nia,nia@example.com,Serum,HGS-030\r\n"),
])
@pytest.mark.parametrize("broken", list(BROKEN))
def test_a_broken_file_is_refused_by_its_line(campaign, db_location, capsys, write_file, broken, command,
                                              header, row, dry_run):
    make, words = BROKEN[broken]
    path = write_file(f"{broken}.csv", make(header, row))
    before = db_dump()
    code, _, err = run(capsys, db_location, command, SLUG, str(path), *(["--dry-run"] if dry_run else []))
    assert code == 1
    assert err.startswith(f"shiptui: {broken}.csv was rejected, nothing was changed: {words}"), err
    assert "internal error" not in err
    assert db_dump() == before


def test_a_giant_cell_past_the_first_rows_still_lets_the_mapping_show_samples(campaign, write_file):
    rows = "".join(f"SO-{n},03/14/2026,1Z999AA1012345678{n}\r\n" for n in range(1, 3))
    path = write_file("late.csv", (TRACKING_HEADER + rows + 'SO-5,"' + "x" * (1 << 20 | 1) + '",1\r\n').encode())
    table = open_csv(path)
    assert table.samples()[0] == ["SO-1", "SO-2"]  # the rows before it


CONTROL_CELLS = {
    "utf16_nul": ("utf-16", "SO-1\x00X"),
    "utf8_escape": ("utf-8", "SO-1\x1b[2J"),
    "cp1252_bell": ("cp1252", "SO-1\x07Ä"),
}


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry_run", "import"])
@pytest.mark.parametrize("name", list(CONTROL_CELLS))
def test_a_control_character_in_a_cell_is_a_row_error_in_every_encoding(campaign, db_location, capsys,
                                                                        write_file, name, dry_run):
    encoding, cell = CONTROL_CELLS[name]
    text = TRACKING_HEADER + f"SO-2,03/14/2026,\r\n{cell},03/14/2026,\r\n"
    path = write_file(f"{name}.csv", text.encode(encoding))
    before = db_dump()
    code, out, err = run(capsys, db_location, "import", SLUG, str(path), *(["--dry-run"] if dry_run else []))
    assert code == 1 and "1 row with problems" in err
    escaped = cell.replace("\x00", "\\x00").replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert f"3     A Order ID  {escaped}" in out
    assert "this cell holds the control character" in out
    assert db_dump() == before


def test_a_nul_in_a_utf16_member_name_is_refused_by_load_orders(campaign, db_location, capsys, write_file):
    path = write_file("orders.csv", utf16(ORDERS_HEADER + "N-1,Ni\x00a,nia@example.com,Serum,HGS-030\r\n"))
    before = db_dump()
    code, out, _ = run(capsys, db_location, "load-orders", SLUG, str(path))
    assert code == 1 and "2     B Member Name  Ni\\x00a" in out
    assert db_dump() == before


def test_tab_cr_and_lf_inside_a_quoted_cell_are_text(campaign, write_file):
    path = write_file("multiline.csv", TRACKING_HEADER + '"SO-1",03/14/2026,"1Z999AA1\t0123456784"\r\n')
    preview = check_tracking_file(campaign, open_csv(path), automatic(TRACKING, ["Order ID", "Shipped Date",
                                                                                 "Tracking Number"]))
    assert not any("control character" in problem.reason for problem in preview.problems)


@pytest.mark.parametrize("fields, row", [
    (TRACKING, "SO-1,03/14/2026,\r\n"),
    (ORDERS, "N-{i},Nia {i},nia{i}@example.com,Serum,HGS-030\r\n"),
], ids=["import", "load-orders"])
def test_a_control_character_in_a_later_batch_of_rows_is_refused(campaign, write_file, fields, row):
    """Rows are searched for control characters a batch of 5,000 at a time: one in a row
    of the second batch, among clean rows, is refused like one in the first."""
    header = TRACKING_HEADER if fields is TRACKING else ORDERS_HEADER
    rows = [row.format(i=i) for i in range(1, 5011)]
    rows[5005] = rows[5005].replace(",", "\x1b[2J,", 1)
    table = open_csv(write_file("late.csv", header + "".join(rows)))
    check = check_tracking_file if fields is TRACKING else check_orders_file
    preview = check(campaign, table, automatic(fields, table.headers))
    assert [(problem.line, problem.column, problem.value) for problem in preview.problems
            if "control character" in problem.reason] == [(5007, "Order ID", row.format(i=5006).split(",")[0] + "\\x1b[2J")]
