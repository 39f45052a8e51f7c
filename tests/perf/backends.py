"""Where a benchmark runs (a temporary SQLite file, or the PostgreSQL database of --db) and
the bare baseline's writes there: sqlite3 executemany, or psycopg2 COPY into a temporary
table and one set-based statement. The bare baseline runs on tables without the search
triggers and trigram index, so a ratio shows what shiptui's own statements cost, the
search index included."""

from __future__ import annotations

import io
import sqlite3
from itertools import islice
from pathlib import Path
from typing import Iterable, Sequence

from shiptui.storage import close_database, open_database
from shiptui.storage.search import register_sqlite_functions

COPY_ROWS = 100_000


def add_db_argument(parser) -> None:
    parser.add_argument("--db", help="a postgresql:// URL (default: temporary SQLite files)")


class Backend:
    def __init__(self, url: str | None, folder: str):
        self.url = url
        self.folder = Path(folder)
        self.postgres = bool(url)
        self.name = "PostgreSQL" if self.postgres else "SQLite"
        self.bare_tool = "psycopg2 COPY" if self.postgres else "sqlite3 executemany"

    def fresh(self, name: str) -> str:
        """The location of an empty database (a PostgreSQL database is wiped)."""
        if self.postgres:
            import psycopg2

            with psycopg2.connect(self.url) as connection, connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
            connection.close()
            return self.url
        path = self.folder / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return str(path)

    def connect(self, location: str):
        """A plain driver connection (transactions begun and committed by the caller)."""
        if self.postgres:
            import psycopg2

            return psycopg2.connect(location)
        connection = sqlite3.connect(location, isolation_level=None)
        register_sqlite_functions(connection)  # the triggers keep search and sort columns
        connection.execute("PRAGMA journal_mode=wal")
        connection.execute("PRAGMA synchronous=normal")
        return connection

    def bare(self, location: str):
        """A connection to a database of shiptui's schema without its search triggers."""
        open_database(location)
        close_database()
        connection = self.connect(location)
        if self.postgres:
            with connection.cursor() as cursor:
                for trigger in ("orders_derived_insert", "orders_derived_update", "order_search_insert",
                                "order_search_update", "order_search_delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON orders")
            connection.commit()
        else:
            for (trigger,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                connection.execute(f"DROP TRIGGER {trigger}")
        return connection

    def begin(self, connection) -> None:
        if not self.postgres:
            connection.execute("BEGIN IMMEDIATE")

    def execute(self, connection, sql: str, parameters: Sequence = ()) -> list:
        """`sql` with ? placeholders; the rows it returns, if any."""
        if not self.postgres:
            return connection.execute(sql, parameters).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), parameters or None)
            return cursor.fetchall() if cursor.description else []

    def insert(self, connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Every row into `table`: executemany, or COPY a buffer at a time."""
        names = ", ".join(columns)
        if not self.postgres:
            connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
            return
        rows = iter(rows)
        with connection.cursor() as cursor:
            while chunk := list(islice(rows, COPY_ROWS)):
                text = "".join("\t".join(r"\N" if value is None else str(value) for value in row) + "\n" for row in chunk)
                cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", io.StringIO(text))

    def update_from(self, connection, table: str, key: str, columns: dict[str, str], rows: Iterable[Sequence],
                    where: str = "") -> None:
        """UPDATE `table` SET each column from the row whose first value is the `key`
        (`columns`: name -> SQL type). executemany on SQLite; on PostgreSQL COPY into a
        temporary table, ANALYZE, and one UPDATE … FROM."""
        names = list(columns)
        if not self.postgres:
            assignments = ", ".join(f"{name} = ?" for name in names[1:])
            connection.executemany(f"UPDATE {table} SET {assignments} WHERE {key} = ?{where}",
                                   ((*row[1:], row[0]) for row in rows))
            return
        self.execute(connection, "CREATE TEMP TABLE bare_rows ("
                     + ", ".join(f"{name} {kind}" for name, kind in columns.items()) + ")")
        self.insert(connection, "bare_rows", names, rows)
        self.execute(connection, "ANALYZE bare_rows")
        assignments = ", ".join(f"{name} = bare_rows.{name}" for name in names[1:])
        self.execute(connection, f"UPDATE {table} SET {assignments} FROM bare_rows WHERE {table}.{key} = bare_rows.{names[0]}{where}")
        self.execute(connection, "DROP TABLE bare_rows")

    def commit(self, connection) -> None:
        if self.postgres:
            connection.commit()
        else:
            connection.execute("COMMIT")
