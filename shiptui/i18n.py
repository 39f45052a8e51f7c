"""Languages: the operator's (the console and the CLI) and each member's (their email and
what they see), with gettext catalogs and Babel's date and number formats.

Messages are written in English in the code, wrapped in `_()` (or `N_()` where a
constant is translated when used). The German catalog is
`shiptui/locale/de/LC_MESSAGES/shiptui.po`, kept with Babel's tools (README: Development).
It is read from the .po at first use, not from a compiled .mo: there is no second file
to keep in step or to merge, a fresh install has German with no build step, and reading
it costs ~20 ms, once per process, in a German session only (English needs no catalog).
"""

from __future__ import annotations

import gettext
import io
import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import get_date_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from shiptui import config

DOMAIN = "shiptui"
DEFAULT_LANGUAGE = "en"
# The languages the console speaks; the first is the code's own.
OPERATOR_LANGUAGES = ("en", "de")
# Whose formats a bare language uses: "en" is the product's US English (MM/DD/YYYY).
_DEFAULT_TERRITORY = {"en": "US", "de": "DE"}
# Names people write in a Language column instead of a code.
_LANGUAGE_NAMES = {"deutsch": "de", "german": "de", "english": "en", "englisch": "en"}
# Where members read German: a country code, or its name as spreadsheets write it.
_GERMAN_COUNTRIES = {
    "DE": "de", "AT": "de-AT", "CH": "de-CH", "LI": "de-LI",
    "DEUTSCHLAND": "de", "GERMANY": "de", "ÖSTERREICH": "de-AT", "OESTERREICH": "de-AT",
    "AUSTRIA": "de-AT", "SCHWEIZ": "de-CH", "SWITZERLAND": "de-CH", "LIECHTENSTEIN": "de-LI",
}
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def N_(message: str) -> str:
    """Marks a constant for the catalog; it is translated where it is shown (`_(CONSTANT)`)."""
    return message


def translation(language: str) -> gettext.NullTranslations:
    """The catalog of a language tag ("de", "de-AT"); English (the code's text) for others."""
    return _catalog(primary_language(language))


@lru_cache(maxsize=None)
def _catalog(primary: str) -> gettext.NullTranslations:
    if primary == DEFAULT_LANGUAGE or not primary.isascii() or not primary.isalpha():  # a name, never a path
        return gettext.NullTranslations()
    resource = files("shiptui") / "locale" / primary / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not resource.is_file():
        return gettext.NullTranslations()
    with resource.open("rb") as po:
        catalog = read_po(po, locale=primary, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def has_catalog(language: str) -> bool:
    """Whether the console and the built-in email speak this language."""
    primary = primary_language(language)
    return primary == DEFAULT_LANGUAGE or isinstance(translation(primary), gettext.GNUTranslations)


@lru_cache(maxsize=256)  # called per row of an import, with the few tags of its members
def primary_language(tag: str) -> str:
    """"de" of "de-AT", "de_DE.UTF-8" or "de"."""
    return re.split(r"[-_.@]", (tag or "").strip(), maxsplit=1)[0].lower()


def _from_locale_name(value: str) -> str | None:
    """The console language a locale name such as de_AT.UTF-8 asks for, if it is one."""
    primary = primary_language(value)
    return primary if primary in OPERATOR_LANGUAGES else None


# Set while something is said for scripts, which read the same words in every language.
_spoken: ContextVar[str | None] = ContextVar("spoken", default=None)


@contextmanager
def speaking(language: str):
    """Say everything inside the `with` block in `language`, whatever the operator's."""
    token = _spoken.set(language)
    try:
        yield
    finally:
        _spoken.reset(token)


def operator_language() -> str:
    """`SHIPTUI_LANG` (de, en), else the locale the session passes (LC_ALL, LC_MESSAGES,
    LANG: the first one set decides, as in POSIX), else English."""
    spoken = _spoken.get()
    if spoken:
        return spoken
    chosen = _from_locale_name(config.chosen_language())
    if chosen:
        return chosen
    return _from_locale_name(config.session_locale()) or DEFAULT_LANGUAGE


def _(message: str) -> str:
    return translation(operator_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translation(operator_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return translation(operator_language()).pgettext(context, message)


def language_tag(text: str) -> str:
    """A language as stored: "de", "en", "de-AT" (CLDR knows it); ValueError if it is none.

    Accepts "de_AT", "DE-at", "de-AT.UTF-8" and the names Deutsch, German, English, Englisch.
    """
    value = (text or "").strip()
    named = _LANGUAGE_NAMES.get(value.lower())
    if named:
        return named
    value = value.split(".", 1)[0]
    if not _TAG.fullmatch(value):
        raise ValueError(value)
    try:
        locale = Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError(value) from None
    return f"{locale.language}-{locale.territory}" if locale.territory else locale.language


@lru_cache(maxsize=256)  # called per row of an import, with the few countries of its members
def language_of_country(country: str) -> str | None:
    """The language a member in this country reads, where shiptui knows it: DE, AT, CH and
    LI (or their names) read German; None elsewhere (the campaign's language decides)."""
    return _GERMAN_COUNTRIES.get(" ".join((country or "").split()).upper())


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    primary = primary_language(language)
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(f"{DEFAULT_LANGUAGE}_{_DEFAULT_TERRITORY[DEFAULT_LANGUAGE]}")
    if locale.territory is None and primary in _DEFAULT_TERRITORY:
        return Locale(primary, _DEFAULT_TERRITORY[primary])
    return locale


@lru_cache(maxsize=64)
def _numeric_date_pattern(language: str) -> str:
    """The locale's short date with a four-digit year and two-digit day and month:
    dd.MM.yyyy in German, MM/dd/yyyy in US English (CLDR's own order and separators)."""
    pattern = get_date_format("short", locale=_locale(language)).pattern
    return _two_digit_day_and_month(re.sub(r"y+", "yyyy", pattern))


@lru_cache(maxsize=64)
def _day_month_pattern(language: str) -> str:
    """The locale's day and month without the year: dd.MM. in German, MM/dd in US English."""
    return _two_digit_day_and_month(_locale(language).datetime_skeletons["Md"].pattern)


def _two_digit_day_and_month(pattern: str) -> str:
    pattern = re.sub(r"(?<!M)M(?!M)", "MM", pattern)
    return re.sub(r"(?<!d)d(?!d)", "dd", pattern)


def format_date(day: date | None, language: str | None = None) -> str:
    """26.11.2026 in German, 11/26/2026 in English; "" for no day.

    `language` is a member's tag; without it, the operator's language.
    """
    if day is None:
        return ""
    language = language or operator_language()
    return babel_format_date(day, _numeric_date_pattern(language), locale=_locale(language))


def format_day_month(day: date, language: str | None = None) -> str:
    """26.11. in German, 11/26 in English: a date in a list where the year goes without saying."""
    language = language or operator_language()
    return babel_format_date(day, _day_month_pattern(language), locale=_locale(language))


def format_number(number: int | float, language: str | None = None) -> str:
    """1.211 in German, 1,211 in English."""
    return format_decimal(number, locale=_locale(language or operator_language()))


def moment(at: datetime | None) -> str:
    """A local time as the operator reads it: 26.11.2026 14:05 in German, 11/26/2026 14:05 in English."""
    return f"{format_date(at.date())} {at:%H:%M}" if at else ""


def counted(message: str, count: int, **fields) -> str:
    """An ngettext message for `count`, with {count} written for people (1.211 in German)."""
    return message.format(count=format_number(count), **fields)


def language_name(language: str, in_language: str | None = None) -> str:
    """"Deutsch" (or "German", said in English): a language's name for the operator."""
    display = _locale(in_language or operator_language())
    return Locale.parse(primary_language(language) or DEFAULT_LANGUAGE).get_language_name(display) or language
