"""Reading files: encodings, delimiters, line numbers, and files that are not CSV at all."""

from __future__ import annotations

import pytest

from shiptui.services.csv.reading import Problem, Problems, RejectedFile, column_letter, open_csv
from shiptui.errors import RejectedInput


@pytest.mark.parametrize("name, described", [
    ("utf8_bom.csv", "UTF-8 with BOM, comma-separated, 5 columns"),
    ("windows1252_semicolon.csv", "Windows-1252, semicolon-separated, 4 columns"),
    ("tab_separated.csv", "UTF-8, tab-separated, 4 columns"),
])
def test_encoding_and_delimiter_are_detected_and_told(copy_file, name, described):
    assert open_csv(copy_file(name)).described() == described


def test_utf16_from_excel_unicode_text_is_read(write_file):
    path = write_file("u.txt", "\ufeffOrder ID\tTracking Number\r\nSO-1\tÖ123456\r\n", "utf-16-le")
    table = open_csv(path)
    assert table.encoding == "UTF-16" and [row.cells for row in table.rows()] == [["SO-1", "Ö123456"]]


def test_rows_carry_the_file_line_they_start_on(copy_file):
    table = open_csv(copy_file("quoted_blank_trailing.csv"))
    rows = list(table.rows())
    assert [row.line for row in rows] == [2, 6]
    assert rows[0].cells[1] == "fragile, handle\r\nwith care"
    assert rows[1].cells == ["SO-2", "plain", "FedEx", "123456789012", "03/15/2026"]


def test_spaces_and_one_leading_text_marker_come_off_each_cell(write_file):
    path = write_file("t.csv", "Order ID,Name,Tracking Number\n"
                               " SO-1 , Ann ,'00340434161094042557\n"
                               "'SO-2,O'Brien,''12\n"
                               "SO-3,O'Brien , '0012 \n")
    assert [row.cells for row in open_csv(path).rows()] == [
        ["SO-1", "Ann", "00340434161094042557"],
        ["SO-2", "O'Brien", "'12"],
        ["SO-3", "O'Brien", "0012"],
    ]


@pytest.mark.parametrize("name, words", [
    ("workbook.xlsx", "this is an Excel workbook (.xlsx) or another zip archive, not a CSV file"),
    ("binary.csv", "this is a binary file (it holds NUL bytes), not a CSV file"),
    ("empty.csv", "the file is empty"),
    ("header_only.csv", "the file has a header but no rows"),
    ("not_text.csv", "not text in UTF-8 or Windows-1252"),
])
def test_a_file_that_is_not_a_csv_is_refused_naming_the_file(copy_file, name, words):
    with pytest.raises(RejectedFile) as refused:
        open_csv(copy_file(name))
    message = str(refused.value)
    assert message.startswith(f"{name} was rejected, nothing was changed")
    assert words in message


def test_a_file_mixing_utf8_and_windows1252_is_refused(write_file):
    text = "Order ID,Member Name\nSO-1,Jürgen\n".encode() + "SO-2,Jürgen\n".encode("cp1252")
    with pytest.raises(RejectedFile, match="mixes two encodings"):
        open_csv(write_file("mixed.csv", text))


def test_a_file_of_blank_lines_is_refused(write_file):
    with pytest.raises(RejectedFile, match="only blank lines"):
        open_csv(write_file("blank.csv", "\n\n  \n"))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RejectedInput, match="no such file"):
        open_csv(tmp_path / "nope.csv")


def test_a_duplicated_header_is_refused_with_both_columns(copy_file):
    with pytest.raises(RejectedFile) as refused:
        open_csv(copy_file("duplicate_header.csv"))
    assert refused.value.problems[0].message() == (
        "line 1, column D ('tracking number'): 'tracking number': this header is also the "
        "header of column B; rename or delete one of the two columns"
    )


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.slow
def test_a_large_file_is_streamed(write_file):
    """A 50 MB file: read row by row, never held whole (peak memory well under its size)."""
    import tracemalloc

    row = "SO-1,03/14/2026,UPS,1Z999AA10123456784," + "x" * 60 + "\n"
    path = write_file("big.csv", "Order ID,Shipped Date,Tracking Carrier,Tracking Number,Note\n")
    with path.open("a") as out:
        for _ in range(50_000_000 // len(row) // 1000 + 1):
            out.write(row * 1000)
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    table = open_csv(path)
    count = sum(1 for _ in table.rows())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count > 400_000
    assert peak < 20_000_000


def test_problems_come_in_line_order_and_past_the_kept_ones_are_all_still_there():
    problems = Problems(kept=2)
    found = [Problem(5, "Email", "x", "bad", "fix", 2), Problem(2, "", "", "ragged", "fix"),
             Problem(5, "Email", "y", "also bad", "fix", 2), Problem(0, "", "", "file", "fix"),
             Problem(3, "SKU", "", "empty", "fill", 1), Problem(5, "Order ID", "", "empty", "fill", 0)]
    problems.extend(found[:2])
    assert problems[:5] == [found[1], found[0]] and len(problems) == 2  # in memory, ordered
    problems.extend(found[2:])
    # past `kept`: every one counted and listed, ordered by line then column, one cell's as found
    expected = [found[3], found[1], found[4], found[5], found[0], found[2]]
    assert len(problems) == 6 and problems.lines() == 3
    assert list(problems) == expected
    assert problems[:5] == expected[:2] and problems[0] == found[3]
