"""The CSV round trip: the Fulfillment Distribution List out, tracking and orders in.

Import is a flow of steps the CLI runs at once and the TUI one screen at a time:
open_csv (file checks, encoding, delimiter) -> initial_mapping (remembered, automatic,
chosen) -> check_*_file (a preview; writes nothing) -> apply_*_import (one transaction).
"""

from __future__ import annotations

import csv
from pathlib import Path

from shiptui.services.csv.export import neutralized
from shiptui.services.csv.reading import Problem, column_letter
from shiptui.services.files import replacing

ERROR_COLUMNS = ["Line", "Column", "Value", "Problem", "What to do"]


def problem_cells(problem: Problem) -> list[str]:
    """The row of the error table: Line, Column, Value, Problem, What to do."""
    column = f"{column_letter(problem.column_index)} {problem.column}" if problem.column_index >= 0 else ""
    return [str(problem.line or ""), column, problem.value, problem.reason, problem.fix]


def errors_path(input_path: Path) -> Path:
    """Where the errors of a file are saved: next to it."""
    return input_path.with_name(f"{input_path.stem}-errors.csv")


def save_problems(problems: list[Problem], path: Path) -> Path:
    """Write the error table as CSV (UTF-8 with BOM, for Excel), safely (files.replacing)."""
    with replacing(path, encoding="utf-8-sig") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(ERROR_COLUMNS)
        # a rejected value may be a formula: it must not run when the errors are opened
        writer.writerows([neutralized(cell) for cell in problem_cells(problem)] for problem in problems)
    return Path(path)
