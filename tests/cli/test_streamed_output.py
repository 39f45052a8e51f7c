"""Listings are printed as their rows are read: JSON item by item, tables with widths from
their first rows, so a million-order listing never holds every row at once."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shiptui.cli import output
from shiptui.cli.output import print_json, print_table


@pytest.mark.parametrize("count", [0, 1, 3])
def test_json_is_written_as_one_array_exactly_as_json_dump_writes_it(capsys, count):
    rows = [{"order_id": f"SO-{i}", "member_name": "Zoë \"Z\" García\n", "shipped_on": date(2026, 3, i + 1)}
            for i in range(count)]

    print_json(iter(rows))

    printed = capsys.readouterr().out
    assert json.loads(printed) == [{**row, "shipped_on": row["shipped_on"].isoformat()} for row in rows]
    assert printed == json.dumps(json.loads(printed), ensure_ascii=False, indent=2) + "\n"


def test_json_rows_are_written_before_the_listing_has_been_read_to_its_end(capsys):
    def rows():
        yield {"order_id": "SO-1"}
        assert '"SO-1"' in capsys.readouterr().out, "the first row is out before the second is read"
        yield {"order_id": "SO-2"}

    print_json(rows())


def test_table_widths_come_from_the_first_rows_and_later_rows_are_still_printed(capsys, monkeypatch):
    monkeypatch.setattr(output, "WIDTH_SAMPLE_ROWS", 2)
    rows = ({"order_id": key, "status": "pending"} for key in ["SO-1", "SO-22", "SO-333333"])

    print_table(rows, ["order_id", "status"])

    assert capsys.readouterr().out.splitlines() == [
        "ORDER_ID  STATUS",
        "SO-1      pending",
        "SO-22     pending",
        "SO-333333  pending",
    ]
