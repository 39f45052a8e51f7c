"""Checked rows kept on disk between the check and the apply, a batch at a time.

A million checked rows as Python objects take over a gigabyte. A temporary table would not
outlive the check: the console checks and applies in two threads, each on its own
connection. The file goes when the preview holding it does.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Iterator

BATCH = 5000


class RowSpill:
    """An append-only list of row tuples on disk, read back a batch at a time."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._batch: list[tuple] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, row: tuple) -> None:
        self._batch.append(row)
        self._count += 1
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._file.seek(0, 2)
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
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
