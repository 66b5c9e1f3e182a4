"""Writing registry workbooks: the import template, an export, the marked-up copy of an upload."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry.fields import (
    COLUMNS,
    EXAMPLE_CREDIT_CODE,
    SECTORS,
    SIZES,
    CellError,
    RegistryRow,
    cell_text,
    sheet_values,
    towns,
)
from loom.modules.programme.registry.sheet import (
    MAX_ROWS,
    SheetRejected,
    check_package,
    find_header,
)

__all__ = ["error_workbook", "export_workbook", "template_workbook"]

_HIGHLIGHT: Final = "FFFFC7CE"  # Excel's own light red for "bad" cells
_AUTHOR: Final = "Loom"
_HEADER_FILL: Final = PatternFill("solid", fgColor="FFDDEBF7")
_REQUIRED_FILL: Final = PatternFill("solid", fgColor="FFFCE4D6")
_BOLD: Final = Font(bold=True)
_RED: Final = Font(color="FFC00000")
_TEXT_COLUMNS: Final = frozenset({"credit_code", "contact_phone"})
_FORMATS: Final = {"employees": "0", "revenue_wan": "0.00"}


def template_workbook() -> bytes:
    """An empty registry sheet with one example row, dropdowns and a 填写说明 sheet."""
    example = RegistryRow(
        name=msg.EXAMPLE_NAME,
        credit_code=EXAMPLE_CREDIT_CODE,
        sector="apparel",
        sub_sector=msg.EXAMPLE_SUB_SECTOR,
        size="below",
        town=towns()[0],
        employees=120,
        revenue_wan=Decimal("1850.50"),
        cloud=True,
        contact_name=msg.EXAMPLE_CONTACT,
        contact_phone="0574-87000000",
    )
    return _save(_registry_book([example]))


def export_workbook(rows: Iterable[RegistryRow]) -> bytes:
    """The registry as a sheet ``parse_workbook`` reads back to the same rows."""
    return _save(_registry_book(rows))


def _registry_book(rows: Iterable[RegistryRow]) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = msg.DATA_SHEET
    for index, column in enumerate(COLUMNS, start=1):
        cell = _put(sheet, 1, index, column.header)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in _TEXT_COLUMNS:
            # so that codes and phone numbers typed later stay text, not numbers
            sheet.column_dimensions[letter].number_format = "@"
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(COLUMNS, sheet_values(row), strict=True), 1):
            cell = _put(sheet, count + 1, index, value)
            if column.key in _TEXT_COLUMNS:
                cell.number_format = "@"
            elif column.key in _FORMATS:
                cell.number_format = _FORMATS[column.key]
    sheet.freeze_panes = "A2"
    _add_validations(sheet, last_row=max(MAX_ROWS, count) + 1)
    _add_help(book)
    return book


def _add_validations(sheet: Worksheet, last_row: int) -> None:
    choices = {
        "sector": SECTORS.values(),
        "size": SIZES.values(),
        "town": towns(),
        "cloud": ("是", "否"),
    }
    for index, column in enumerate(COLUMNS, start=1):
        cells = f"{get_column_letter(index)}2:{get_column_letter(index)}{last_row}"
        if column.key in choices:
            # an inline list must stay under Excel's 255 characters; these do by far
            formula = '"' + ",".join(choices[column.key]) + '"'
            rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        elif column.key == "employees":
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        elif column.key == "revenue_wan":
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        else:
            continue
        rule.error = msg.DROPDOWN_ERROR
        rule.errorTitle = msg.DROPDOWN_ERROR_TITLE
        rule.showErrorMessage = True
        rule.add(cells)
        sheet.add_data_validation(rule)


def _add_help(book: Workbook) -> None:
    sheet = book.create_sheet(msg.HELP_SHEET)
    _put(sheet, 1, 1, msg.HELP_INTRO).font = _BOLD
    for index, header in enumerate(msg.HELP_HEADERS, start=1):
        _put(sheet, 3, index, header).font = _BOLD
    sectors = "、".join(SECTORS.values())
    for offset, column in enumerate(COLUMNS):
        mark = msg.REQUIRED_MARK if column.required else msg.OPTIONAL_MARK
        note = msg.COLUMN_HELP[column.key].format(sectors=sectors)
        for index, value in enumerate((column.header, mark, note), start=1):
            _put(sheet, 4 + offset, index, value)
    for letter, width in (("A", 18), ("B", 10), ("C", 60)):
        sheet.column_dimensions[letter].width = width


def error_workbook(original: bytes, errors: Iterable[CellError]) -> bytes:
    """The upload with bad cells marked, a 错误 column, and a 错误 sheet of every problem."""
    check_package(original)
    try:
        # not read-only and not data_only: the user gets back their formulas and formatting
        book = openpyxl.load_workbook(io.BytesIO(original))
    except Exception as exc:  # openpyxl raises many unrelated types on a malformed package
        raise SheetRejected(msg.NOT_XLSX) from exc
    sheet = book.worksheets[0]
    if not isinstance(sheet, Worksheet):
        raise SheetRejected(msg.NOT_XLSX)
    header_row, headers = find_header(
        (number, values) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
    )
    positions: dict[str, int] = {}
    for index, value in enumerate(headers, start=1):
        positions.setdefault(cell_text(value), index)
    # a merged cell cannot be marked or written: split every merge at or below the headers
    for merged in list(sheet.merged_cells.ranges):
        if merged.max_row >= header_row:
            sheet.unmerge_cells(merged.coord)
    _clear_old_marks(sheet, header_row)
    error_column = positions.get(msg.ERROR_COLUMN) or _last_used(headers) + 1
    header_cell = _put(sheet, header_row, error_column, msg.ERROR_COLUMN)
    header_cell.font = Font(bold=True, color="FFC00000")
    ordered = sorted(errors, key=lambda e: (e.row, positions.get(e.column, 1_000_000)))
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in ordered:
        at = positions.get(error.column)
        if at is not None and error.row >= header_row:
            _mark(_cell(sheet, error.row, at), error.message)
        if error.row > header_row:
            by_row[error.row].append(f"{error.column}：{error.message}")
    for number, texts in by_row.items():
        _put(sheet, number, error_column, msg.MESSAGE_SEPARATOR.join(texts)).font = _RED
    sheet.column_dimensions[get_column_letter(error_column)].width = 60
    _error_sheet(book, ordered)
    return _save(book)


def _last_used(headers: tuple[object, ...]) -> int:
    used = [index for index, value in enumerate(headers, start=1) if cell_text(value)]
    return used[-1] if used else 0


def _clear_old_marks(sheet: Worksheet, header_row: int) -> None:
    # a corrected error workbook comes back: last time's marks must not outlive their problems
    error_column: int | None = None
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell, Cell):
                continue
            if cell.row == header_row and cell.value == msg.ERROR_COLUMN:
                error_column = cell.column
            if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == _HIGHLIGHT:
                cell.fill = PatternFill()
            if cell.comment is not None and cell.comment.author == _AUTHOR:
                cell.comment = None
    if error_column is not None:
        for number in range(header_row + 1, sheet.max_row + 1):
            sheet.cell(number, error_column).value = None


def _mark(cell: Cell, message: str) -> None:
    cell.fill = PatternFill("solid", fgColor=_HIGHLIGHT)
    text = message if cell.comment is None else f"{cell.comment.text}\n{message}"
    cell.comment = Comment(text, _AUTHOR, width=260, height=80)


def _error_sheet(book: Workbook, errors: list[CellError]) -> None:
    # replace a sheet of the same name, unless it is the data sheet itself
    for old in book.worksheets[1:]:
        if old.title == msg.ERROR_SHEET:
            book.remove(old)
    sheet = book.create_sheet(msg.ERROR_SHEET)
    _put(sheet, 1, 1, msg.ERROR_SHEET_NOTE.format(count=len(errors))).font = _BOLD
    for index, header in enumerate(msg.ERROR_SHEET_HEADERS, start=1):
        _put(sheet, 2, index, header).font = _BOLD
    for number, error in enumerate(errors, start=3):
        _put(sheet, number, 1, error.row)
        _put(sheet, number, 2, error.column)
        _put(sheet, number, 3, error.message).alignment = Alignment(wrap_text=True)
    for letter, width in (("A", 8), ("B", 22), ("C", 80)):
        sheet.column_dimensions[letter].width = width


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell), "merged cells are split before anything is written"
    return cell


def _put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    cell = _cell(sheet, row, column)
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str) and value.startswith("="):
        # text from users must never become a formula in a file others open (CSV/formula
        # injection); openpyxl would otherwise write "=..." as one
        cell.data_type = "s"
    return cell


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
