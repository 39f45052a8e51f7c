"""Printing for the CLI: tables for people, JSON for scripts, errors on stderr."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, Iterable, Mapping, Sequence

from shiptui.i18n import _, format_number, ngettext
from shiptui.services.actions import Skips
from shiptui.text import UNSAFE, clean as safe

EXIT_REJECTED = 1

__all__ = [
    "EXIT_REJECTED", "fail", "print_json", "print_skipped", "print_table", "safe",
]

# A table's column widths come from its first rows, so a listing of a million orders is
# printed as it is read; a longer cell further down only pushes its own line out.
WIDTH_SAMPLE_ROWS = 1000


def fail(message: str) -> int:
    print(f"shiptui: {safe(message)}", file=sys.stderr)
    return EXIT_REJECTED


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _json_escape(match: re.Match[str]) -> str:
    character = match.group()
    return character if character == "\n" else f"\\u{ord(character):04x}"  # \n: between items


def print_json(rows: Iterable[Any]) -> None:
    """A JSON array (as json.dump with indent=2 writes it), written item by item as the rows come."""
    out = sys.stdout
    opening = "[\n  "
    for row in rows:
        item = json.dumps(
            asdict(row) if is_dataclass(row) else row, ensure_ascii=False, indent=2, default=_jsonable
        )
        # json escapes the C0 controls in strings; the other unsafe characters can only stand
        # inside strings, where a \u escape is the same character to a reader and inert on a terminal.
        item = UNSAFE.sub(_json_escape, item)
        out.write(opening + item.replace("\n", "\n  "))  # JSON strings hold no raw newline
        opening = ",\n  "
    out.write("[]\n" if opening == "[\n  " else "\n]\n")


def print_table(rows: Iterable[dict[str, Any]], columns: Sequence[str] | Mapping[str, str]) -> None:
    """Rows under upper-case headers, columns as wide as in the first rows, printed as they come.

    `columns`: the rows' keys, or the keys with the headers people read (translated).
    """
    headers = list(columns.values()) if isinstance(columns, Mapping) else list(columns)
    columns = list(columns)
    rows = iter(rows)
    first = [[safe(row[column]) for column in columns] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    widths = [
        max([len(header)] + [len(line[i]) for line in first]) for i, header in enumerate(headers)
    ]
    print("  ".join(header.upper().ljust(width) for header, width in zip(headers, widths)).rstrip())
    rest = ([safe(row[column]) for column in columns] for row in rows)
    for line in chain(first, rest):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


def print_skipped(skipped: Skips) -> None:
    """What was skipped, reason by reason: the first ones named, the rest counted (a ship
    of a whole campaign may skip 100,000s)."""
    for category in skipped.counts:
        for skip in skipped.named(category):
            print("  " + _("skipped {order_id}: {reason}").format(order_id=safe(skip.order_id), reason=safe(skip.reason)))
        if more := skipped.unnamed(category):
            print("  " + ngettext("… and {count} more skipped: {category}", "… and {count} more skipped: {category}",
                                  more).format(count=format_number(more), category=category.shown()))
