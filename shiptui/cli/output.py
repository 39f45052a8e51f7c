"""Printing for the CLI: tables for people, JSON for scripts, errors on stderr."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any, Iterable, Sequence

EXIT_REJECTED = 1

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
    items = [asdict(row) if is_dataclass(row) else row for row in rows]
    json.dump(items, sys.stdout, ensure_ascii=False, indent=2, default=_jsonable)
    sys.stdout.write("\n")


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    cells = [[safe(row[column]) for column in columns] for row in rows]
    widths = [
        max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)
    ]
    print("  ".join(column.upper().ljust(width) for column, width in zip(columns, widths)).rstrip())
    for line in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


def print_skipped(skipped: Iterable[Any]) -> None:
    for skip in skipped:
        print(f"  skipped {safe(skip.order_id)}: {safe(skip.reason)}")
