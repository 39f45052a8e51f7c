"""The operator's language from the session, and Babel's formats for dates and numbers."""

from __future__ import annotations

from datetime import date

import pytest

from shiptui import i18n
from shiptui.i18n import _, format_date, format_number, language_of_country, language_tag, operator_language

LOCALE_VARIABLES = ("SHIPTUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.mark.parametrize(("environment", "language"), [
    ({}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "de_AT.UTF-8"}, "de"),
    ({"LC_MESSAGES": "de_CH.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
    ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),  # LC_ALL decides, as in POSIX
    ({"LC_ALL": "fr_FR.UTF-8"}, "en"),  # no French console: English
    ({"SHIPTUI_LANG": "de", "LC_ALL": "en_US.UTF-8"}, "de"),
    ({"SHIPTUI_LANG": "en", "LANG": "de_DE.UTF-8"}, "en"),
    ({"SHIPTUI_LANG": "fr", "LANG": "de_DE.UTF-8"}, "de"),  # an unknown choice: the session's
])
def test_the_operators_language_comes_from_shiptui_lang_else_the_sessions_locale(monkeypatch, environment, language):
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert operator_language() == language


def test_dates_and_numbers_follow_the_language(monkeypatch):
    day = date(2026, 11, 26)
    assert (format_date(day), format_number(1211)) == ("11/26/2026", "1,211")
    monkeypatch.setenv("SHIPTUI_LANG", "de")
    assert (format_date(day), format_number(1211)) == ("26.11.2026", "1.211")
    assert format_date(date(2026, 3, 5), "en") == "03/05/2026"
    assert format_date(date(2026, 3, 5), "de-AT") == "05.03.2026"
    assert format_date(None, "de") == ""


def test_messages_are_german_in_a_german_session(monkeypatch):
    assert _("Track Item") == "Track Item"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.delenv("SHIPTUI_LANG")
    assert _("Track Item") == "Sendeverfolgung"
    assert i18n.pgettext("CSV column", "Shipped Date") == "Versanddatum (MM/TT/JJJJ)"


@pytest.mark.parametrize(("written", "tag"), [
    ("de", "de"), ("DE-at", "de-AT"), ("de_CH.UTF-8", "de-CH"), ("en_US", "en-US"),
    ("Deutsch", "de"), ("english", "en"), (" fr ", "fr"),
])
def test_a_language_is_stored_as_a_tag(written, tag):
    assert language_tag(written) == tag


@pytest.mark.parametrize("written", ["", "Klingonisch", "xx", "de AT", "12"])
def test_what_is_not_a_language_is_refused(written):
    with pytest.raises(ValueError):
        language_tag(written)


@pytest.mark.parametrize(("country", "language"), [
    ("DE", "de"), ("at", "de-AT"), ("CH", "de-CH"), ("LI", "de-LI"), ("Österreich", "de-AT"),
    ("US", None), ("", None), ("FR", None),
])
def test_german_speaking_countries_read_german(country, language):
    assert language_of_country(country) == language
