"""The database driver's errors that an operator can meet (a lock held too long, a server
gone) raised as shiptui's errors, and one way to tell any reported error in words."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import peewee

from shiptui.config import redacted
from shiptui.errors import DatabaseLocked, DatabaseUnavailable, ShiptuiError
from shiptui.i18n import _

# SQLite's words for a busy timeout run out; PostgreSQL's lock_not_available (lock_timeout).
_SQLITE_LOCKED = ("database is locked", "database table is locked", "database schema is locked")
_PG_LOCKED = "55P03"
# PostgreSQL's connection exceptions (08...), and the server shutting down or starting (57P...).
_PG_UNREACHABLE = ("08", "57P")


def _translated(error: peewee.PeeweeException) -> ShiptuiError | None:
    driver = getattr(error, "orig", error)  # the driver's own exception, kept by peewee
    text = " ".join(str(driver).split())
    code = getattr(driver, "pgcode", None) or ""
    if code == _PG_LOCKED or any(words in text for words in _SQLITE_LOCKED):
        return DatabaseLocked(
            _("the database stayed locked by another operator for too long: nothing was changed, try again"))
    from_postgres = type(driver).__module__.startswith("psycopg2")
    # psycopg2 gives no code when the server cannot be reached or the connection broke.
    if from_postgres and (not code or code.startswith(_PG_UNREACHABLE)):
        return DatabaseUnavailable(
            _("the database server cannot be reached ({error}): nothing was changed, try again when it is back").format(
                error=redacted(text)))
    return None


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except (peewee.OperationalError, peewee.InterfaceError) as error:
        translated = _translated(error)
        if translated is None:
            raise
        raise translated from error


class TranslatesDriverErrors:
    """A peewee Database (mixed in first) whose statements raise DatabaseLocked and
    DatabaseUnavailable where the driver says the lock waited too long or the server is gone."""

    def execute_sql(self, *args, **kwargs):
        with translated_errors():
            return super().execute_sql(*args, **kwargs)

    def begin(self, *args, **kwargs):
        with translated_errors():
            return super().begin(*args, **kwargs)

    def commit(self, *args, **kwargs):
        with translated_errors():
            return super().commit(*args, **kwargs)


def describe(error: Exception) -> str:
    """An error shiptui reports in words (its own, or one the database gave), for the operator."""
    if isinstance(error, ShiptuiError):
        return redacted(str(error))
    return redacted(_("database error, nothing was changed: {error}").format(error=error).strip())
