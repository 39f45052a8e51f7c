"""The CSV round trip: the Fulfillment Distribution List out, tracking and orders in.

Import is a flow of steps the CLI runs at once and the TUI one screen at a time:
open_csv (file checks, encoding, delimiter) -> initial_mapping (remembered, automatic,
chosen) -> check_*_file (a preview; writes nothing) -> apply_*_import (one transaction).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable, Iterable

from shiptui.services.csv.export import neutralized
from shiptui.services.csv.mapping import Mapping
from shiptui.services.csv.reading import CsvFile, Problem, Row, column_letter
from shiptui.services.files import replacing

ERROR_COLUMNS = ["Line", "Order ID", "Column", "Value", "Problem", "What to do"]


def problem_cells(problem: Problem) -> list[str]:
    """The row of the error table: Line, Column, Value, Problem, What to do."""
    column = f"{column_letter(problem.column_index)} {problem.column}" if problem.column_index >= 0 else ""
    return [str(problem.line or ""), column, problem.value, problem.reason, problem.fix]


def errors_path(input_path: Path) -> Path:
    """Where the errors of a file are saved: next to it."""
    return input_path.with_name(f"{input_path.stem}-errors.csv")


def order_ids_of_lines(table: CsvFile, mapping: Mapping) -> Callable[[int], str]:
    """The Order ID on a line of the file, asked for in rising line order (as save_problems
    does): the file is read again once, beside the problems, and never held whole."""
    column = mapping.columns.get("order_id")
    rows = table.rows() if column is not None else iter(())
    row: Row | None = None

    def order_id(line: int) -> str:
        nonlocal row
        while row is None or row.line < line:
            if (row := next(rows, None)) is None:
                return ""
        return row.cells[column] if row.line == line and column < len(row.cells) else ""

    return order_id


def save_problems(problems: Iterable[Problem], path: Path, order_id_of: Callable[[int], str] | None = None) -> Path:
    """Write the error table as CSV (UTF-8 with BOM, for Excel), safely (files.replacing),
    with the Order ID of each problem's row where `order_id_of(line)` knows it."""
    with replacing(path, encoding="utf-8-sig") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ERROR_COLUMNS)
        for problem in problems:
            line, *rest = problem_cells(problem)
            order_id = order_id_of(problem.line) if order_id_of and problem.line else ""
            # a rejected value may be a formula: it must not run when the errors are opened
            writer.writerow([neutralized(cell) for cell in (line, order_id, *rest)])
    return Path(path)
