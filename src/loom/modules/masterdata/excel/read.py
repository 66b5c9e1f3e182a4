"""Reading an uploaded master-data workbook into typed cells, naming every unreadable one.

Each worksheet whose title names a known sheet is read: its first non-blank row holds the
headers, each later non-blank row is one record. Unknown sheets and columns are ignored.
Nothing is checked against the database here; the service does that with these rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final

import openpyxl
from openpyxl.utils import get_column_letter

from loom.modules.masterdata.excel.cells import (
    NOT_XLSX,
    CellError,
    CellProblem,
    SheetRejected,
    check_package,
    date_of,
    decimal_of,
    int_of,
    is_blank,
    list_of,
    msgid,
    text_of,
)
from loom.modules.masterdata.excel.layout import SheetSpec, match_column, match_sheet

MAX_ROWS: Final = 10_000
#: how each column's cells are read; any other column is text
PARSERS: Final[Mapping[str, Callable[[object], object]]] = {
    "sam": decimal_of,
    "rate": decimal_of,
    "consumption": decimal_of,
    "skill_grade": int_of,
    "seq": int_of,
    "effective_from": date_of,
    "colours": list_of,
    "sizes": list_of,
    "predecessors": list_of,
}
REQUIRED = msgid("a value is required here")


@dataclass(frozen=True)
class SheetRow:
    """One record: its Excel row number, the readable values, and the keys that were not."""

    number: int
    values: Mapping[str, object]
    bad: frozenset[str]

    def text(self, key: str) -> str:
        """Return a text value, empty when blank or unreadable."""
        value = self.values.get(key)
        return value if isinstance(value, str) else ""


@dataclass
class ParsedSheet:
    """One known sheet as found in the file: its title, columns and records."""

    spec: SheetSpec
    title: str
    header_row: int
    #: column key -> (letter, header as written)
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)

    def error(
        self, row: int, key: str, template: str, params: Mapping[str, object] | None = None
    ) -> CellError:
        """Return a problem at ``row`` in the column of ``key``."""
        letter, header = self.columns.get(key, ("", self.spec.column(key).zh))
        return CellError(self.title, row, letter, header, template, dict(params or {}))


@dataclass
class ParsedBook:
    """The known sheets of an upload, and every problem met while reading them."""

    sheets: dict[str, ParsedSheet] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)


def parse_workbook(data: bytes) -> ParsedBook:
    """Read an upload; raise ``SheetRejected`` when it is no workbook or has no known sheet."""
    check_package(data)
    try:
        # data_only: a formula cell counts with the value Excel last computed for it
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on a malformed package
        raise SheetRejected(NOT_XLSX) from exc
    parsed = ParsedBook()
    try:
        for worksheet in book.worksheets:
            spec = match_sheet(worksheet.title)
            if spec is None:
                continue
            if spec.key in parsed.sheets:
                raise SheetRejected(
                    msgid("The workbook has two sheets for %(sheet)s."), {"sheet": worksheet.title}
                )
            sheet = _read_sheet(spec, worksheet.title, _rows(worksheet), parsed.errors)
            if sheet is not None:
                parsed.sheets[spec.key] = sheet
    finally:
        book.close()
    if not parsed.sheets and not parsed.errors:
        raise SheetRejected(
            msgid("No sheet of the workbook is named 款式, 工序, 工艺路线 or 物料清单.")
        )
    return parsed


def _rows(worksheet: object) -> Iterator[tuple[int, tuple[object, ...]]]:
    rows = worksheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a malformed sheet fails only when its rows are read
            raise SheetRejected(NOT_XLSX) from exc
        number += 1
        yield number, tuple(values)


def _read_sheet(
    spec: SheetSpec,
    title: str,
    rows: Iterator[tuple[int, tuple[object, ...]]],
    errors: list[CellError],
) -> ParsedSheet | None:
    for number, values in rows:
        if not all(is_blank(v) for v in values):
            sheet = ParsedSheet(spec, title, number)
            index = _header(sheet, values, errors)
            _records(sheet, index, rows, errors)
            return sheet
    return None  # an empty sheet: nothing to import from it


def _header(
    sheet: ParsedSheet, values: tuple[object, ...], errors: list[CellError]
) -> dict[int, str]:
    index: dict[int, str] = {}
    for position, value in enumerate(values):
        column = match_column(sheet.spec, text_of(value))
        if column is None:
            continue
        letter = get_column_letter(position + 1)
        if column.key in sheet.columns:
            errors.append(
                CellError(
                    sheet.title,
                    sheet.header_row,
                    letter,
                    text_of(value),
                    msgid("this column appears twice"),
                )
            )
            continue
        sheet.columns[column.key] = (letter, text_of(value))
        index[position] = column.key
    for column in sheet.spec.columns:
        if column.required and column.key not in sheet.columns:
            errors.append(
                CellError(
                    sheet.title,
                    sheet.header_row,
                    "",
                    column.zh,
                    msgid("the column %(header)s is missing"),
                    {"header": column.zh},
                )
            )
    return index


def _records(
    sheet: ParsedSheet,
    index: dict[int, str],
    rows: Iterator[tuple[int, tuple[object, ...]]],
    errors: list[CellError],
) -> None:
    for number, values in rows:
        cells = {key: values[pos] if pos < len(values) else None for pos, key in index.items()}
        # only known columns decide blankness: a note beside the table is not a record
        if all(is_blank(value) for value in cells.values()):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise SheetRejected(
                msgid("The sheet %(sheet)s has more than %(limit)s rows."),
                {"sheet": sheet.title, "limit": MAX_ROWS},
            )
        parsed: dict[str, object] = {}
        bad: set[str] = set()
        for key, value in cells.items():
            try:
                parsed[key] = _cell(sheet.spec, key, value)
            except CellProblem as problem:
                bad.add(key)
                errors.append(sheet.error(number, key, problem.template, problem.params))
        sheet.rows.append(SheetRow(number, parsed, frozenset(bad)))


def _cell(spec: SheetSpec, key: str, value: object) -> object:
    parser = PARSERS.get(key, text_of)
    if is_blank(value):
        if spec.column(key).required:
            raise CellProblem(REQUIRED)
        return [] if parser is list_of else None if parser is not text_of else ""
    return parser(value)
