"""Checked rows kept on disk between the check and the apply, a batch at a time.

A million checked rows as Python objects take over a gigabyte. A temporary table of the
campaign's database would not outlive the check: the console checks and applies in two
threads, each on its own connection. The files go when the preview holding them does.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from itertools import islice
from typing import Iterable, Iterator

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
