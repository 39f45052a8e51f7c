"""Reading the CSV files operators bring: whatever Excel or a shipping tool saved.

A file is checked before any row is used: not a workbook, not binary, not empty; its
encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252) and delimiter
(comma, semicolon, tab) are detected and told. Rows are then streamed, each with the
file line it starts on, so a 50 MB file is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sqlite3
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, TextIO, overload

from shiptui.errors import RejectedInput
from shiptui.i18n import N_, _, format_number, ngettext
from shiptui.services.csv.staging import BATCH, fetched_in_batches, scratch_database

DELIMITERS = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab")}
_CHUNK = 1 << 20
_WORKBOOK_MAGIC = {
    b"PK\x03\x04": N_("this is an Excel workbook (.xlsx) or another zip archive, not a CSV file"),
    b"\xd0\xcf\x11\xe0": N_("this is an old Excel workbook (.xls), not a CSV file"),
    b"%PDF": N_("this is a PDF document, not a CSV file"),
}
_UTF8_LETTER = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_SAVE_AS_CSV = N_("save it from the spreadsheet as CSV (File > Save As > CSV UTF-8) and choose that file")

_MAX_CELL = 1 << 20
csv.field_size_limit(_MAX_CELL)  # a longer cell rejects the file by its line (see _records)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, a row or a cell, in the operator's words."""

    line: int  # file line the row starts on (1 = first line); 0 = the file as a whole
    column: str  # header of the column as written in the file; "" = the whole row
    value: str
    reason: str
    fix: str
    column_index: int = -1  # 0-based; -1 when no single column is meant

    def where(self) -> str:
        if not self.line:
            return _("file")
        if self.column_index < 0:
            return _("line {line}").format(line=self.line)
        return _("line {line}, column {column} ({header})").format(
            line=self.line, column=column_letter(self.column_index), header=repr(self.column))

    def message(self) -> str:
        value = f" {self.value!r}:" if self.value else ""
        fix = f"; {self.fix}" if self.fix else ""
        return f"{self.where()}:{value} {self.reason}{fix}"


class Problems:
    """The problems a check finds, in (line, column) order whatever order they were found in.

    A file where every one of a million rows is wrong must not hold a million Problems: up
    to `kept` stay in memory; past that all of them go to a scratch file on disk, and only
    the first `kept` (what a preview lists and a message shows) are read back. Iterating
    gives every problem, from disk if need be (the saved error table); indexing and slicing
    reach the first `kept` only.
    """

    def __init__(self, kept: int = 1000) -> None:
        self._kept = kept
        self._found: list[Problem] = []  # all of them until `kept` is passed, then a batch waiting
        self._count = 0
        self._disk: sqlite3.Connection | None = None
        self._first: list[Problem] | None = None  # the first `kept`, in order (read back once)
        self._lines: int | None = None  # how many lines have one (counted once)

    def append(self, problem: Problem) -> None:
        self._found.append(problem)
        self._count += 1
        self._first = self._lines = None
        on_disk = self._disk is not None
        if (on_disk and len(self._found) >= BATCH) or (not on_disk and self._count > self._kept):
            self._spill()

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Problem: ...
    @overload
    def __getitem__(self, index: slice) -> list[Problem]: ...

    def __getitem__(self, index):
        return self._first_kept()[index]

    def __iter__(self) -> Iterator[Problem]:
        if self._disk is None:
            yield from self._first_kept()
            return
        self._spill()
        for batch in fetched_in_batches(self._disk.execute(f"SELECT {_PROBLEM_COLUMNS} FROM problem {_IN_ORDER}")):
            yield from (Problem(*values) for values in batch)

    def lines(self) -> int:
        """How many lines of the file have a problem."""
        if self._lines is None:
            if self._disk is None:
                self._lines = len({problem.line for problem in self._found if problem.line})
            else:
                self._spill()
                self._lines = self._disk.execute("SELECT count(DISTINCT line) FROM problem WHERE line > 0").fetchone()[0]
        return self._lines

    def _first_kept(self) -> list[Problem]:
        if self._first is None:
            if self._disk is None:  # a stable sort: problems of one cell stay in the order found
                self._first = sorted(self._found, key=lambda problem: (problem.line, problem.column_index))
            else:
                self._spill()
                self._first = [Problem(*values) for values in self._disk.execute(
                    f"SELECT {_PROBLEM_COLUMNS} FROM problem {_IN_ORDER} LIMIT ?", (self._kept,))]
        return self._first

    def _spill(self) -> None:
        if self._disk is None:
            self._disk = scratch_database(f"CREATE TABLE problem ({_PROBLEM_COLUMNS});")
        self._disk.executemany(
            "INSERT INTO problem VALUES (?, ?, ?, ?, ?, ?)",
            ((p.line, p.column, p.value, p.reason, p.fix, p.column_index) for p in self._found))
        self._found = []


_PROBLEM_COLUMNS = "line, header, value, reason, fix, column_index"  # Problem's fields, in order
_IN_ORDER = "ORDER BY line, column_index, rowid"  # rowid: the order found, as a stable sort keeps it


class CheckedRows:
    """What checking a file's rows found (a mixin of the previews): nothing is written unless `ok`."""

    problems: Problems

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rejected_rows(self) -> int:
        return self.problems.lines()


class RejectedFile(RejectedInput):
    """A file with problems: nothing was written. Carries every problem found."""

    def __init__(self, path: Path | str, problems: list[Problem] | Problems):
        self.path = Path(path)
        self.problems = problems
        shown = "\n  ".join(problem.message() for problem in problems[:5])
        more = "\n  " + _("... and {count} more").format(count=format_number(len(problems) - 5)) if len(problems) > 5 else ""
        super().__init__(
            ngettext("{file} was rejected, nothing was changed ({count} problem):",
                     "{file} was rejected, nothing was changed ({count} problems):", len(problems)).format(
                file=self.path.name, count=format_number(len(problems)))
            + f"\n  {shown}{more}"
        )


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column: A, B, ... Z, AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class Row(NamedTuple):  # a tuple: made for every row of a 100k-row file
    line: int
    cells: list[str]  # trimmed, and one leading ' taken off (see rows)


@dataclass
class CsvFile:
    path: Path
    codec: str
    encoding: str  # as told to the operator
    delimiter: str
    headers: list[str]
    header_line: int
    size: int

    def described(self) -> str:
        return ngettext("{encoding}, {delimiter}-separated, {count} column",
                        "{encoding}, {delimiter}-separated, {count} columns", len(self.headers)).format(
            encoding=self.encoding, delimiter=_(DELIMITERS[self.delimiter]), count=len(self.headers))

    def samples(self, per_column: int = 3, rows: int = 200) -> list[list[str]]:
        """A few different non-empty values of each column, from the first rows."""
        found: list[list[str]] = [[] for _ in self.headers]
        try:
            for count, row in enumerate(self.rows()):
                for index, cell in enumerate(row.cells[: len(found)]):
                    if cell and len(found[index]) < per_column and cell not in found[index]:
                        found[index].append(cell)
                if count >= rows or all(len(values) >= per_column for values in found):
                    break
        except RejectedFile:
            pass  # samples are a hint: checking the rows names the line that is wrong
        return found

    def rows(self, progress=None) -> Iterator[Row]:
        """Data rows after the header; blank rows (also rows of empty cells) left out.

        `progress(fraction)` is called now and then with the share of the file read.
        """
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.codec, newline="")
            count = 0
            for start, cells in _records(self.path, text, self.delimiter):
                if start <= self.header_line:
                    continue
                # Spaces around a cell go, and one leading ' (Excel's text marker, and
                # the mark the export puts before a cell a spreadsheet would run): looked
                # for cell by cell only in a row that has a ' at all.
                cleaned = list(map(str.strip, cells))
                if "'" in "".join(cleaned):
                    cleaned = [c[1:] if c[:1] == "'" else c for c in cleaned]
                count += 1
                if progress is not None and count % 5000 == 0:
                    progress(min(1.0, raw.tell() / max(1, self.size)))
                if any(cleaned):
                    yield Row(start, cleaned)
            if progress is not None:
                progress(1.0)


def _records(path: Path, text: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells); a record csv cannot read rejects the file
    by its line instead of escaping as an exception."""
    reader = csv.reader(text, delimiter=delimiter)
    line_before = 0
    try:
        # (the consumer's own exceptions do not come in here: only the reader's)
        for cells in reader:
            yield line_before + 1, cells
            line_before = reader.line_num
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _reject(
                path,
                _("a cell of this row is longer than {size} MiB: no list of orders "
                  "holds such a cell (a quote that is never closed runs to the end of the file)").format(
                    size=_MAX_CELL // (1 << 20)),
                _("close the quote, or remove the cell"), line=line_before + 1,
            ) from None
        raise _reject(path, _("this row cannot be read as CSV ({error})").format(error=error),
                      line=line_before + 1) from None
    except UnicodeDecodeError as error:  # the file changed since its encoding was checked
        raise _reject(path, _("this row is not {encoding} text ({reason})").format(
            encoding=error.encoding, reason=error.reason), line=line_before + 1) from None


def _reject(path: Path, reason: str, fix: str | None = None, *, line: int = 0) -> RejectedFile:
    return RejectedFile(path, [Problem(line, "", "", reason, _(_SAVE_AS_CSV) if fix is None else fix)])


def _detect_codec(path: Path) -> tuple[str, str]:
    """(codec, name to show); raises RejectedFile for a file that is not text."""
    with path.open("rb") as raw:
        head = raw.read(_CHUNK)
        for magic, what in _WORKBOOK_MAGIC.items():
            if head.startswith(magic):
                raise _reject(path, _(what))
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            _check_utf16(path, raw, head)
            return "utf-16", "UTF-16"
        with_bom = head.startswith(codecs.BOM_UTF8)
        utf8 = codecs.getincrementaldecoder("utf-8")()
        cp1252_ok, utf8_ok, mixed = True, True, False
        chunk = head
        while chunk:
            # UTF-8's two-to-four-byte letters (ü is C3 BC) seldom occur in Windows-1252 text
            mixed = mixed or _UTF8_LETTER.search(chunk) is not None
            if b"\x00" in chunk:
                raise _reject(path, _("this is a binary file (it holds NUL bytes), not a CSV file"))
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if not utf8_ok and cp1252_ok:
                try:
                    chunk.decode("cp1252")
                except UnicodeDecodeError:
                    cp1252_ok = False
            chunk = raw.read(_CHUNK)
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
        if utf8_ok:
            return ("utf-8-sig", "UTF-8 with BOM") if with_bom else ("utf-8", "UTF-8")
        if cp1252_ok and mixed:
            raise _reject(
                path,
                _("this file mixes two encodings (UTF-8 and Windows-1252): its accented letters "
                  "would be read wrong"),
                _("open it in the spreadsheet and save it again as CSV UTF-8"),
            )
        if cp1252_ok and not with_bom:
            return "cp1252", "Windows-1252"
        raise _reject(
            path,
            _("this file is not text in UTF-8 or Windows-1252 (some bytes mean nothing in either)"),
        )


def _check_utf16(path: Path, raw, head: bytes) -> None:
    """Decode the whole file once, so that a broken UTF-16 file is refused by its line
    before any row is used (the UTF-8 and Windows-1252 checks read it all too)."""
    if b"\x00" not in head:
        # Delimiters and line ends are ASCII, which UTF-16 writes with a zero byte.
        raise _reject(path, _("this file starts with a UTF-16 byte order mark, but the text after it "
                              "is not UTF-16"), _("open it in the spreadsheet and save it again as CSV UTF-8"))
    codec = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    decoder = codecs.getincrementaldecoder(codec)()
    line, after_cr = 1, False
    chunk = head[2:]
    while True:
        final = not chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            before = error.object[: error.start].decode(codec, "replace")
            broken = _("the file ends in the middle of a character (an odd number of bytes): "
                       "it was cut off") if error.reason == "truncated data" else _(
                       "this line holds bytes that are not UTF-16 text ({reason}, "
                       "e.g. half of a character pair)").format(reason=error.reason)
            raise _reject(path, broken, _("open it in the spreadsheet and save it again as CSV UTF-8"),
                          line=line + _line_breaks(before, after_cr)[0]) from None
        breaks, after_cr = _line_breaks(text, after_cr)
        line += breaks
        if final:
            return
        chunk = raw.read(_CHUNK)


def _line_breaks(text: str, after_cr: bool) -> tuple[int, bool]:
    """How many lines `text` ends (CRLF, LF or CR, as csv counts), and whether it ends in
    CR (whose LF may start the next piece)."""
    count = text.count("\n") + text.count("\r") - text.count("\r\n")
    if after_cr and text.startswith("\n"):
        count -= 1
    return count, text.endswith("\r")


def _detect_delimiter(header_text: str) -> str:
    counts = {delimiter: header_text.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def open_csv(path: str | Path) -> CsvFile:
    """Check a file and read its header; raises RejectedFile saying what is wrong."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise RejectedInput(_("{path} is a directory: give the path of a .csv file in it").format(path=path))
    if not path.is_file():
        raise RejectedInput(_("{path}: no such file (give the path of a .csv file)").format(path=path))
    try:
        return _open(path)
    except OSError as error:
        raise RejectedInput(_("cannot read {file}: {reason}").format(file=path, reason=error.strerror or error)) from None


def _open(path: Path) -> CsvFile:
    size = path.stat().st_size
    if size == 0:
        raise _reject(path, _("the file is empty"), _("choose the file you saved the list in"))
    codec, encoding = _detect_codec(path)
    with path.open("r", encoding=codec, newline="") as text:
        header_line, header_text = 0, ""
        for number, physical in enumerate(text, start=1):
            if physical.strip():
                header_line, header_text = number, physical
                break
        if not header_line:
            raise _reject(path, _("the file holds only blank lines"), _("choose the file you saved the list in"))
    delimiter = _detect_delimiter(header_text)
    table = CsvFile(path, codec, encoding, delimiter, [], header_line - 1, size)
    # Read the header as csv does (a quoted header may span lines), then look for a row.
    with path.open("r", encoding=codec, newline="") as text:
        records = _records(path, text, delimiter)
        headers = None
        for start, cells in records:
            if start < header_line:
                continue
            headers = [cell.strip() for cell in cells]
            break
        next_start = next(records, (0, None))[0]
    table.headers = headers or []
    table.header_line = next_start - 1 if next_start else header_line
    _check_headers(table)
    if next(table.rows(), None) is None:
        raise _reject(
            path,
            _("the file has a header but no rows"),
            _("fill in the rows under the header, or choose the file that has them"),
        )
    return table


def _check_headers(table: CsvFile) -> None:
    seen: dict[str, int] = {}
    problems = []
    for index, header in enumerate(table.headers):
        if not header:
            continue
        key = header.casefold()
        if key in seen:
            problems.append(Problem(
                table.header_line, header, header,
                _("this header is also the header of column {column}").format(column=column_letter(seen[key])),
                _("rename or delete one of the two columns"), index,
            ))
        else:
            seen[key] = index
    if problems:
        raise RejectedFile(table.path, problems)


# C0 controls but tab, CR and LF, and DEL: no cell means them, a terminal runs them,
# and PostgreSQL refuses NUL. One rule whatever the encoding (UTF-16 can hold NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def well_formed(rows: list[Row], table: CsvFile, problems: Problems) -> Iterator[Row]:
    """The rows with a cell per header and no control character; each other one is a problem
    (see ragged, control_characters)."""
    width = len(table.headers)
    # one search of the rows' cells joined: a row holds a control character only in a damaged file
    controlled = _CONTROL.search("\t".join(chain.from_iterable(row.cells for row in rows)))
    for row in rows:
        if len(row.cells) != width and (bad := ragged(row, table)):
            problems.append(bad)
        elif controlled and (controls := control_characters(row, table)):
            problems.extend(controls)
        else:
            yield row


def control_characters(row: Row, table: CsvFile) -> list[Problem]:
    """A problem for each cell of `row` that holds a control character."""
    if not _CONTROL.search("\t".join(row.cells)):  # one search per row in the usual case
        return []
    return [
        Problem(
            row.line, table.headers[index] if index < len(table.headers) else "",
            _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", cell),
            _("this cell holds the control character {character}, which is not text").format(
                character=repr(_CONTROL.search(cell).group())),
            _("delete it from the cell (the file may be damaged or saved by the wrong program)"), index,
        )
        for index, cell in enumerate(row.cells)
        if _CONTROL.search(cell)
    ]


def ragged(row: Row, table: CsvFile) -> Problem | None:
    """A row with another number of cells than the header (a stray or missing delimiter)."""
    # Even an extra empty cell is refused: a stray delimiter shifts the cells after it.
    if len(row.cells) == len(table.headers):
        return None
    name = _(DELIMITERS[table.delimiter])
    return Problem(
        row.line, "", "",
        _("this row has {cells} cells but the header has {headers}").format(
            cells=len(row.cells), headers=len(table.headers)),
        _("a {delimiter} is missing or extra in this row: put quotes around a cell that "
          "contains a {delimiter}").format(delimiter=name),
    )
