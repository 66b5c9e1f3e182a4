"""Reading the registry's Excel sheet: every problem of every row, or clean rows.

The first worksheet is read. Its first non-blank row holds the headers (Chinese, or the English
field names); each later non-blank row is one enterprise. Unknown columns (a 备注, or the 错误
column of a returned error workbook) are ignored, so a corrected error workbook can be uploaded
as it is. Nothing is written anywhere: the caller imports the rows only if ``errors`` is empty.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

import openpyxl

from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry.creditcode import normalise
from loom.modules.programme.registry.fields import (
    COLUMNS,
    EXAMPLE_CREDIT_CODE,
    CellError,
    CellProblem,
    Column,
    RegistryRow,
    cell_text,
    is_blank,
    match_header,
)

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportResult",
    "SheetRejected",
    "check_package",
    "find_header",
    "open_rows",
    "parse_workbook",
]

MAX_BYTES: Final = 5 * 1024 * 1024
MAX_ROWS: Final = 10_000
# a 5 MB upload can still inflate enormously (a zip bomb); real sheets stay far below this
_MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024

SheetRow = tuple[int, tuple[object, ...]]
#: sheet column index -> (the header as written in the file, the column it names)
ColumnMap = dict[int, tuple[str, Column]]


class SheetRejected(ValueError):
    """The whole file is refused (not a workbook, too large, no headers); ``str`` is for users."""


@dataclass(frozen=True)
class ImportResult:
    """The clean rows, and every problem found; import only when ``errors`` is empty."""

    rows: tuple[RegistryRow, ...]
    errors: tuple[CellError, ...]

    @property
    def ok(self) -> bool:
        """True when the file can be imported as a whole."""
        return not self.errors


def parse_workbook(data: bytes, existing_codes: Collection[str]) -> ImportResult:
    """Read an uploaded registry workbook; raise ``SheetRejected`` if it cannot be read at all.

    ``existing_codes`` are the credit codes already in the registry: a row repeating one is an
    error, as is a code repeated within the file (reported on every repeat, naming the first).
    """
    with open_rows(data) as rows:
        header_row, headers = find_header(rows)
        columns, errors = _columns(header_row, headers)
        clean = _data_rows(rows, columns, {normalise(code) for code in existing_codes}, errors)
    errors.sort(key=lambda e: (e.row, _position(columns, e.column)))
    return ImportResult(tuple(clean), tuple(errors))


@contextmanager
def open_rows(data: bytes) -> Iterator[Iterator[SheetRow]]:
    """The first worksheet's rows as (Excel row number, values), read lazily; refuses bad files."""
    check_package(data)
    try:
        # data_only: a formula cell counts with the value Excel last computed for it
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on a malformed package
        raise SheetRejected(msg.NOT_XLSX) from exc
    try:
        if not book.worksheets:
            raise SheetRejected(msg.EMPTY_SHEET)
        yield _numbered(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def check_package(data: bytes) -> None:
    """Refuse what is not an .xlsx package, or is too large packed or unpacked."""
    if len(data) > MAX_BYTES:
        raise SheetRejected(msg.TOO_LARGE.format(limit_mb=MAX_BYTES // (1024 * 1024)))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except zipfile.BadZipFile as exc:
        # .xls, .csv and password-protected .xlsx files are not zip packages
        raise SheetRejected(msg.NOT_XLSX) from exc
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise SheetRejected(msg.NOT_XLSX)
    if sum(member.file_size for member in members) > _MAX_UNPACKED_BYTES:
        raise SheetRejected(msg.TOO_LARGE.format(limit_mb=MAX_BYTES // (1024 * 1024)))


def _numbered(source: Iterator[tuple[object, ...]]) -> Iterator[SheetRow]:
    number = 0
    while True:
        try:
            values = next(source)
        except StopIteration:
            return
        except Exception as exc:  # a malformed sheet fails only when its rows are read
            raise SheetRejected(msg.NOT_XLSX) from exc
        number += 1
        yield number, values


def find_header(rows: Iterator[SheetRow]) -> SheetRow:
    """The first non-blank row: the headers; refuses an empty sheet."""
    for number, values in rows:
        if not all(is_blank(value) for value in values):
            return number, values
    raise SheetRejected(msg.EMPTY_SHEET)


def _columns(header_row: int, headers: tuple[object, ...]) -> tuple[ColumnMap, list[CellError]]:
    columns: ColumnMap = {}
    errors: list[CellError] = []
    seen: set[str] = set()
    for index, value in enumerate(headers):
        column = match_header(value)
        if column is None:
            continue
        written = cell_text(value)
        if column.key in seen:
            errors.append(
                CellError(header_row, written, msg.DUPLICATE_COLUMN.format(header=written))
            )
            continue
        seen.add(column.key)
        columns[index] = (written, column)
    if not columns:
        raise SheetRejected(msg.NO_HEADER)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            missing = msg.MISSING_COLUMN.format(header=column.header)
            errors.append(CellError(header_row, column.header, missing))
    return columns, errors


def _data_rows(
    rows: Iterator[SheetRow], columns: ColumnMap, known: set[str], errors: list[CellError]
) -> list[RegistryRow]:
    clean: list[RegistryRow] = []
    first_seen: dict[str, int] = {}
    count = 0
    for number, values in rows:
        cells = {index: values[index] if index < len(values) else None for index in columns}
        # only known columns decide blankness: a note or an old 错误 text is not an enterprise
        if all(is_blank(value) for value in cells.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise SheetRejected(msg.TOO_MANY_ROWS.format(limit=MAX_ROWS))
        found: list[CellError] = []
        parsed: dict[str, object] = {}
        for index, (written, column) in columns.items():
            try:
                parsed[column.key] = _parse_cell(column, cells[index])
            except CellProblem as problem:
                found.append(CellError(number, written, str(problem)))
            else:
                if column.key == "credit_code":
                    code = str(parsed["credit_code"])
                    if duplicate := _duplicate(code, number, known, first_seen):
                        found.append(CellError(number, written, duplicate))
        errors.extend(found)
        row = None if found else _row(parsed, number)
        if row is not None:
            clean.append(row)
    return clean


def _parse_cell(column: Column, value: object) -> object:
    if is_blank(value):
        if column.required:
            raise CellProblem(msg.REQUIRED)
        return column.default
    return column.parse(value)


def _duplicate(code: str, number: int, known: set[str], first_seen: dict[str, int]) -> str:
    if code == EXAMPLE_CREDIT_CODE:
        return msg.EXAMPLE_ROW
    if code in known:
        return msg.CODE_EXISTS
    first = first_seen.setdefault(code, number)
    return msg.CODE_DUPLICATE_IN_FILE.format(row=first) if first != number else ""


def _row(parsed: dict[str, object], number: int) -> RegistryRow | None:
    values: dict[str, object] = {}
    for column in COLUMNS:
        if column.key in parsed:
            values[column.key] = parsed[column.key]
        elif column.required:
            return None  # its column is missing, which is already reported once
        else:
            values[column.key] = column.default
    return RegistryRow(**values, source_row=number)  # type: ignore[arg-type]


def _position(columns: ColumnMap, written: str) -> int:
    # header-level problems about a missing column sort after every present column
    for index, (header, _column) in columns.items():
        if header == written:
            return index
    return 1_000_000
