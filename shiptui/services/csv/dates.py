"""Ship dates as operators and shipping tools write them.

MM/DD/YYYY is the documented format; YYYY-MM-DD (with or without a time) and
DD.MM.YYYY cannot be misread and are accepted too. Anything that could mean two
days, no day, or a day still to come is refused with what to write instead.
"""

from __future__ import annotations

import re
from datetime import date

from shiptui import clock
from shiptui.i18n import N_, _

_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_GERMAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_DASHED = re.compile(r"\d{1,2}-\d{1,2}-\d{4}")

WRITE_AS = N_("write it as MM/DD/YYYY (e.g. 03/14/2026)")


class BadDate(ValueError):
    def __init__(self, reason: str, fix: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.fix = _(WRITE_AS) if fix is None else fix


def _day(year: int, month: int, day: int, written: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate(_("there is no such day ({written})").format(written=written)) from None


def parse_ship_date(text: str, today: date | None = None) -> date:
    """The date a cell means; raises BadDate with the reason and what to write.

    `today` (default: the clock's) is what "in the future" is measured against.
    """
    return _parse(text.strip(), today or clock.today())


def _parse(text: str, today: date) -> date:
    if match := _US.fullmatch(text):
        month, day, year = (int(part) for part in match.groups())
        if month > 12 and day <= 12:
            raise BadDate(
                _("month {month} does not exist: this looks like DD/MM/YYYY").format(month=month),
                _("write it as MM/DD/YYYY (the month first) or as YYYY-MM-DD"),
            )
        found = _day(year, month, day, _("read as MM/DD/YYYY"))
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        found = _day(year, month, day, _("read as YYYY-MM-DD"))
    elif match := _GERMAN.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        found = _day(year, month, day, _("read as DD.MM.YYYY"))
    elif _TWO_DIGIT_YEAR.fullmatch(text):
        raise BadDate(_("a two-digit year is ambiguous"))
    elif _DASHED.fullmatch(text):
        raise BadDate(_("with dashes, day and month could be either way round"))
    else:
        raise BadDate(_("this is not a date"))
    if found > today:
        raise BadDate(
            # Translators: today is written as the file's dates are, MM/DD/YYYY.
            _("this date is in the future (today is {today})").format(today=f"{today:%m/%d/%Y}"),
            _("give the day the parcel was handed to the carrier"),
        )
    if found.year < 2000:
        raise BadDate(_("this date is before the year 2000"), _("check the year"))
    return found


def looks_like_date(text: str) -> bool:
    """Whether a cell is written as a date at all (valid or not): for finding date columns."""
    text = text.strip()
    return any(pattern.fullmatch(text) for pattern in (_US, _ISO, _GERMAN, _TWO_DIGIT_YEAR, _DASHED))


def us_date(day: date | None) -> str:
    """The help page's date format, MM/DD/YYYY."""
    return day.strftime("%m/%d/%Y") if day else ""
