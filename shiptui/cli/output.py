"""Printing for the CLI: tables for people, JSON for scripts, errors on stderr."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, Iterable, Sequence

EXIT_REJECTED = 1

# A table's column widths come from its first rows, so a listing of a million orders is
# printed as it is read; a longer cell further down only pushes its own line out.
WIDTH_SAMPLE_ROWS = 1000

# Control characters would be run by the terminal, not shown: print them escaped.
_CONTROL = {codepoint: f"\\x{codepoint:02x}" for codepoint in (*range(0, 32), 127)}


def safe(text: Any) -> str:
    return str(text if text is not None else "").translate(_CONTROL)


def fail(message: str) -> int:
    print(f"shiptui: {safe(message)}", file=sys.stderr)
    return EXIT_REJECTED


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(rows: Iterable[Any]) -> None:
    """A JSON array (as json.dump with indent=2 writes it), written item by item as the rows come."""
    out = sys.stdout
    opening = "[\n  "
    for row in rows:
        item = json.dumps(
            asdict(row) if is_dataclass(row) else row, ensure_ascii=False, indent=2, default=_jsonable
        )
        out.write(opening + item.replace("\n", "\n  "))  # JSON strings hold no raw newline
        opening = ",\n  "
    out.write("[]\n" if opening == "[\n  " else "\n]\n")


def print_table(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    """Rows under upper-case headers, columns as wide as in the first rows, printed as they come."""
    rows = iter(rows)
    first = [[safe(row[column]) for column in columns] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    widths = [
        max([len(column)] + [len(line[i]) for line in first]) for i, column in enumerate(columns)
    ]
    print("  ".join(column.upper().ljust(width) for column, width in zip(columns, widths)).rstrip())
    rest = ([safe(row[column]) for column in columns] for row in rows)
    for line in chain(first, rest):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


def print_skipped(skipped: Iterable[Any]) -> None:
    for skip in skipped:
        print(f"  skipped {safe(skip.order_id)}: {safe(skip.reason)}")
