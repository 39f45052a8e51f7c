"""Ship dates: the documented MM/DD/YYYY, unambiguous others, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from shiptui.services.csv.dates import BadDate, parse_ship_date


@pytest.mark.parametrize("text, expected", [
    ("03/14/2026", date(2026, 3, 14)),
    ("3/4/2026", date(2026, 3, 4)),
    ("2026-03-14", date(2026, 3, 14)),
    ("2026-03-14 08:12:00", date(2026, 3, 14)),
    ("2026-03-14T08:12", date(2026, 3, 14)),
    ("14.03.2026", date(2026, 3, 14)),
    (" 03/16/2026 ", date(2026, 3, 16)),  # today (the fixed clock) is not the future
])
def test_accepted_dates(text, expected):
    assert parse_ship_date(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("02/30/2026", "there is no such day (read as MM/DD/YYYY)"),
    ("31.02.2026", "there is no such day (read as DD.MM.YYYY)"),
    ("14/03/2026", "month 14 does not exist: this looks like DD/MM/YYYY"),
    ("03/04/26", "a two-digit year is ambiguous"),
    ("03-04-2026", "with dashes, day and month could be either way round"),
    ("March 14", "this is not a date"),
    ("46095", "this is not a date"),  # an Excel serial number
    ("03/17/2026", "this date is in the future (today is 03/16/2026)"),
    ("01/01/1999", "this date is before the year 2000"),
])
def test_refused_dates_say_why(text, reason):
    with pytest.raises(BadDate) as refused:
        parse_ship_date(text)
    assert refused.value.reason == reason
    assert refused.value.fix
