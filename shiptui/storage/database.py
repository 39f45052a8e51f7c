"""Opening the database: SQLite by path (the default), PostgreSQL by URL."""

from __future__ import annotations

import os
from pathlib import Path

import peewee
from playhouse.db_url import parse as parse_url
from playhouse.postgres_ext import PostgresqlExtDatabase

from shiptui.config import redacted
from shiptui.errors import DatabaseUnavailable
from shiptui.i18n import _
from shiptui.storage import search
from shiptui.storage.driver_errors import TranslatesDriverErrors
from shiptui.storage.migrations import migrate
from shiptui.storage.models import database_proxy

# Several operators share one file: wait for the write lock instead of failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 60


class _Sqlite(TranslatesDriverErrors, peewee.SqliteDatabase):
    pass


class _Postgres(TranslatesDriverErrors, PostgresqlExtDatabase):
    pass


def _sqlite(path: str) -> peewee.SqliteDatabase:
    if path != ":memory:":
        file = Path(path).expanduser()
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o770)
        _create_without_other_permission(file)
        path = str(file)
    db = _Sqlite(
        path,
        timeout=SQLITE_BUSY_TIMEOUT_SECONDS,
        # IMMEDIATE: a write transaction takes the write lock when it begins, so two
        # writers queue on the busy timeout instead of deadlocking on lock upgrade.
        lock_type="IMMEDIATE",
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "synchronous": "normal",
            "temp_store": "file",  # bulk actions stage a million rows in temp tables: on disk, not in RAM
            "busy_timeout": SQLITE_BUSY_TIMEOUT_SECONDS * 1000,
        },
    )
    search.register_functions(db)
    return db


def _create_without_other_permission(file: Path) -> None:
    """SQLite makes a new database 0644 (less the umask), and its -wal and -shm like it:
    an empty file made here first is a new database that gives "other" nothing."""
    try:
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o660))
    except OSError:
        pass  # it exists; or SQLite says what is wrong with the path when it opens it


def _postgres(url: str) -> PostgresqlExtDatabase:
    try:
        import psycopg2  # noqa: F401  (checked here to give an operator a clear message)
    except ImportError:
        raise DatabaseUnavailable(
            _("PostgreSQL support is not installed: pip install 'shiptui[postgres]'")
        ) from None
    params = parse_url(url)
    # The Ext flavour for its server-side cursors: listings stream (see bulk.stream).
    return _Postgres(params.pop("database"), **params)


def connect(location: str) -> peewee.Database:
    """A database handle for a path or URL (not yet opened)."""
    if location.startswith(("postgresql://", "postgres://")):
        return _postgres(location)
    if location.startswith("sqlite:///"):
        return _sqlite(location[len("sqlite:///") :])
    if "://" in location:
        raise DatabaseUnavailable(
            _("unsupported database URL {url}: give a file path, "
              "sqlite:///PATH or postgresql://USER@HOST/DB").format(url=repr(redacted(location)))
        )
    return _sqlite(location)


def open_database(location: str) -> peewee.Database:
    """Open the database at `location`, migrate its schema, and make it the current one."""
    db = connect(location)
    try:
        db.connect(reuse_if_open=True)
        database_proxy.initialize(db)
        migrate(db)
    except peewee.DatabaseError as error:
        raise DatabaseUnavailable(_("cannot open the database at {location}: {error}").format(
            location=redacted(location), error=error)) from None
    return db


def close_database() -> None:
    """Close the calling thread's connection (peewee keeps one per thread); a worker
    thread calls it when done."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def database() -> peewee.Database:
    """The database opened by `open_database`."""
    if database_proxy.obj is None:
        raise DatabaseUnavailable(_("no database is open"))
    return database_proxy.obj


def is_postgres(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)
