"""The CSV round trip: the Fulfillment Distribution List out, tracking and orders in.

Import is a flow of steps the CLI runs at once and the TUI one screen at a time:
open_csv (file checks, encoding, delimiter) -> initial_mapping (remembered, automatic,
chosen) -> check_*_file (a preview; writes nothing) -> apply_*_import (one transaction).
"""

from __future__ import annotations

import csv
from pathlib import Path

from shiptui.services.csv.export import neutralized
from shiptui.services.csv.mapping import Mapping
from shiptui.services.csv.reading import CsvFile, Problem, column_letter
from shiptui.services.files import replacing

ERROR_COLUMNS = ["Line", "Order ID", "Column", "Value", "Problem", "What to do"]


def problem_cells(problem: Problem) -> list[str]:
    """The row of the error table: Line, Column, Value, Problem, What to do."""
    column = f"{column_letter(problem.column_index)} {problem.column}" if problem.column_index >= 0 else ""
    return [str(problem.line or ""), column, problem.value, problem.reason, problem.fix]


def errors_path(input_path: Path) -> Path:
    """Where the errors of a file are saved: next to it."""
    return input_path.with_name(f"{input_path.stem}-errors.csv")


def order_ids_of_lines(table: CsvFile, mapping: Mapping, problems: list[Problem]) -> dict[int, str]:
    """The Order ID of each row a problem is on (read again: only when the errors are saved)."""
    column = mapping.columns.get("order_id")
    lines = {problem.line for problem in problems if problem.line}
    if column is None or not lines:
        return {}
    return {
        row.line: row.cells[column]
        for row in table.rows()
        if row.line in lines and column < len(row.cells)
    }


def save_problems(problems: list[Problem], path: Path, order_ids: dict[int, str] | None = None) -> Path:
    """Write the error table as CSV (UTF-8 with BOM, for Excel), safely (files.replacing),
    with the Order ID of each problem's row where `order_ids` (line -> Order ID) knows it."""
    order_ids = order_ids or {}
    with replacing(path, encoding="utf-8-sig") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ERROR_COLUMNS)
        for problem in problems:
            line, *rest = problem_cells(problem)
            # a rejected value may be a formula: it must not run when the errors are opened
            writer.writerow([neutralized(cell) for cell in (line, order_ids.get(problem.line, ""), *rest)])
    return Path(path)
