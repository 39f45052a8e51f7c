"""Checked rows kept on disk between the check and the apply, a batch at a time.

A million checked rows as Python objects take over a gigabyte. A temporary table of the
campaign's database would not outlive the check: the console checks and applies in two
threads, each on its own connection. The files go when the preview holding them does.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import peewee

from shiptui.storage.bulk import copy_in, copy_lines, restaged
from shiptui.storage.database import database, is_postgres

BATCH = 5000
HANDOFF = "handoff"  # the name a check's scratch file is attached under (SQLite)


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


class CheckedChanges:
    """The rows a check will change, written once in the form its apply reads them.

    On SQLite they go to a table of a scratch file that the apply's connection ATTACHes
    and its statements read; on PostgreSQL to a file of COPY text that the apply sends to
    a TEMP table as it is. (Pickled, they were unpickled and inserted again by the apply:
    0.3 s of a 1.3 s import apply at 100,000 rows on SQLite.) Rows hold plain values:
    str, int, ISO dates, None. The files go when the preview holding them does.
    """

    def __init__(self, model: type[peewee.Model]) -> None:
        self._model = model  # a TEMP model: its table name and columns are used on both databases
        self._count = 0
        self._copy_text = CopyText() if is_postgres(database()) else None
        self._scratch: ScratchFile | None = None  # SQLite: made by the first rows

    def __len__(self) -> int:
        return self._count

    def extend(self, rows: list[tuple]) -> None:
        """Append `rows` (values in the model's field order)."""
        if not rows:
            return
        if self._copy_text is not None:
            self._copy_text.extend(rows)
        else:
            if self._scratch is None:
                fields = self._model._meta.sorted_fields
                columns = ", ".join(f'"{field.column_name}"' + (" INTEGER PRIMARY KEY" if field.primary_key else "")
                                    for field in fields)
                self._scratch = ScratchFile(f'CREATE TABLE "{self._model._meta.table_name}" ({columns});')
            placeholders = ", ".join("?" * len(rows[0]))
            # committed batch by batch: the apply's connection reads only what is committed
            with self._scratch.connection as scratch:
                scratch.executemany(f'INSERT INTO "{self._model._meta.table_name}" VALUES ({placeholders})', rows)
        self._count += len(rows)

    @contextmanager
    def staged(self, transaction: AbstractContextManager) -> Iterator[type[peewee.Model]]:
        """Inside `transaction` (entered here), the rows as a table to join with."""
        if self._copy_text is not None:
            with self._copy_text.staged(self._model, transaction):
                yield self._model
            return
        with self._scratch.attached(transaction):
            yield attached(self._model)


class ScratchFile:
    """A SQLite file of a check's rows (`connection`, usable from any thread) that the apply's
    connection ATTACHes as `handoff` and reads in its statements: a TEMP table would not
    outlive the check, as the console checks and applies on two connections. The file goes
    when this object does."""

    def __init__(self, schema: str) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="shiptui-")
        self._path = str(Path(self._folder.name) / "checked.sqlite")
        self.connection = scratch_database(schema, self._path)

    @contextmanager
    def attached(self, transaction: AbstractContextManager) -> Iterator[None]:
        """Inside `transaction` (entered here), the file's tables as `handoff.<table>`."""
        db = database()
        # before BEGIN: SQLite attaches no database inside a transaction
        db.execute_sql(f"ATTACH DATABASE ? AS {HANDOFF}", (self._path,))
        try:
            with transaction:
                yield
        finally:
            db.execute_sql(f"DETACH DATABASE {HANDOFF}")


class CopyText:
    """Rows as a file of COPY text (PostgreSQL), formatted once as they are checked and sent
    as they are by the apply."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")

    def extend(self, rows: Iterable[Sequence]) -> None:
        self._file.write(copy_lines(rows))

    def copy_into(self, model: type[peewee.Model], fields: Sequence[peewee.Field]) -> None:
        """The rows (values in `fields` order) into `model`'s table, in the caller's transaction."""
        self._file.seek(0)
        copy_in(model, fields, self._file)
        self._file.seek(0, 2)

    @contextmanager
    def staged(self, model: type[peewee.Model], transaction: AbstractContextManager) -> Iterator[None]:
        """Inside `transaction` (entered here), the rows (values in the field order of the
        TEMP `model`) in place of what its table held, analysed; emptied again after."""
        with transaction:
            with restaged(model):
                self.copy_into(model, model._meta.sorted_fields)
            yield
            model.delete().execute()


@cache
def attached(model: type[peewee.Model]) -> type[peewee.Model]:
    """`model` as the table of the attached scratch file."""
    meta = type("Meta", (), {"schema": HANDOFF, "table_name": model._meta.table_name, "temporary": False})
    return type(model.__name__, (model,), {"Meta": meta, "__module__": model.__module__})


def scratch_database(schema: str, path: str = "") -> sqlite3.Connection:
    """A SQLite file for a check's rows, with `schema`: indexed lookups without holding
    the rows in memory, and usable from the thread that applies them. Without a `path`
    the file is private, and SQLite deletes it when the connection closes."""
    connection = sqlite3.connect(path, check_same_thread=False)
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
