"""Checked rows kept on disk between the check and the apply, a batch at a time.

A million checked rows as Python objects take over a gigabyte. A temporary table of the
campaign's database would not outlive the check: the console checks and applies in two
threads, each on its own connection. The files go when the preview holding them does.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import tempfile
from itertools import islice
from typing import Iterable, Iterator

import peewee

from shiptui.storage.database import database, is_postgres

BATCH = 5000


class RowSpill:
    """An append-only list of row tuples on disk, read back a batch at a time."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._batch: list[tuple] = []
        self._flushed = 0

    def __len__(self) -> int:
        return self._flushed + len(self._batch)

    def append(self, row: tuple) -> None:  # called per row of a file: as little as it can
        batch = self._batch
        batch.append(row)
        if len(batch) >= BATCH:
            self._flush()

    def extend(self, rows: list[tuple]) -> None:
        """Append `rows` (a check gathers a batch's rows in a list: one call per batch, not per row)."""
        batch = self._batch
        batch.extend(rows)
        if len(batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._file.seek(0, 2)
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._flushed += len(self._batch)
            self._batch = []

    def batches(self) -> Iterator[list[tuple]]:
        """The rows in the order appended, `BATCH` at a time."""
        self._flush()
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return


def scratch_database(schema: str) -> sqlite3.Connection:
    """A private SQLite file for a check's rows, with `schema`: indexed lookups without
    holding the rows in memory, and usable from the thread that applies them. SQLite
    deletes the file when the connection closes."""
    connection = sqlite3.connect("", check_same_thread=False)
    connection.executescript("PRAGMA journal_mode = off; PRAGMA synchronous = off;" + schema)
    return connection


def in_batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    """`items`, `size` at a time."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def fetched_in_batches(cursor: sqlite3.Cursor) -> Iterator[list[tuple]]:
    """The rows of an executed query, `BATCH` at a time."""
    while rows := cursor.fetchmany(BATCH):
        yield rows


class KeyList(peewee.Source):
    """Keys (Order IDs, emails, SKUs) as a table `keys` of one column, `keys.value`, sent as
    one parameter: a JSON array read by json_each on SQLite, a text[] unnested on
    PostgreSQL. A check looks up its rows a batch at a time; a staged table costs each
    batch a write (and on PostgreSQL an ANALYZE) that outweighs the lookup.

    Join it first (`.from_(keys).join(Model, JOIN.CROSS)`): SQLite keeps a CROSS JOIN's
    order, so each key is looked up by index instead of every stored row being scanned
    once per batch. A key with a NUL names nothing stored (PostgreSQL text cannot hold
    one) and is left out."""

    def __init__(self, keys: Iterable[str]):
        super().__init__(alias="keys")
        kept = [key for key in keys if "\x00" not in key]
        db = database()
        if is_postgres(db):
            self._function = peewee.SQL(f"unnest({db.param}::text[]) AS keys (value)", [kept])
        else:
            self._function = peewee.SQL(f"json_each({db.param}) AS keys", [json.dumps(kept)])
        self.value = peewee.SQL("keys.value")

    def __sql__(self, ctx):
        return ctx.sql(self._function)


def fetched_by_keys(query: peewee.Select) -> list[tuple]:
    """The rows of a query that joins a KeyList first. PostgreSQL plans it with
    random_page_cost 1.1 (for this transaction only): at the default 4, a disk seek per
    page, 5,000 index look-ups seem dearer than a hash of every order of the campaign,
    once per batch (at 100,000 orders 207 ms a batch against 28 ms by the index)."""
    db = database()
    if not is_postgres(db):
        return db.execute(query).fetchall()
    with db.atomic():
        db.execute_sql("SET LOCAL random_page_cost = 1.1")
        return db.execute(query).fetchall()
