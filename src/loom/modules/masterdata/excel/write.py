"""Writing the master-data workbook: exports with data, and empty templates to fill in."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.masterdata.excel.cells import msgid
from loom.modules.masterdata.excel.layout import SheetSpec

Record = Mapping[str, object]
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="FFDDEBF7")
#: what each column asks for, shown on the template's instructions sheet
HINTS = {
    "styles.code": msgid("Unique style code, up to 40 characters."),
    "styles.colours": msgid("Colours separated by commas, for example 白, 蓝."),
    "styles.sizes": msgid("Sizes in order, separated by commas, for example S, M, L."),
    "operations.sam": msgid("Your own standard minutes per piece, above 0, four decimals at most."),
    "operations.machine_type": msgid("One of the machine types listed below."),
    "operations.skill_grade": msgid("A grade from 1 to 5."),
    "operations.rate": msgid("CNY per piece; with a rate, give the date it takes effect."),
    "routings.seq": msgid("The position of the operation in the style's routing, 1 first."),
    "routings.predecessors": msgid(
        "Operation codes of this routing that must be done first, separated by commas."
    ),
    "bom.kind": msgid("fabric or trim."),
    "bom.size": msgid("One row per material and size; every size of the style needs a row."),
    "bom.consumption": msgid("Consumption of one piece of this size, in the unit."),
}


def _cell_value(value: object) -> str | int | float | date | None:
    # Decimals go out as numbers Excel can sum; lists as the comma-separated text we read back
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def _sheet(
    book: openpyxl.Workbook,
    spec: SheetSpec,
    locale: str,
    records: Sequence[Record],
    choices: Mapping[str, Sequence[str]],
) -> Worksheet:
    sheet: Worksheet = book.create_sheet(spec.title(locale))
    sheet.freeze_panes = "A2"
    for position, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(1, position, column.zh if locale == "zh_CN" else column.en)
        cell.font, cell.fill = _BOLD, _HEAD_FILL
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column.width
        options = choices.get(column.key)
        if options:
            # a drop-down on the column; Excel limits the inline list to 255 characters
            check = DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
            check.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(check)
        if column.key == "effective_from":
            for row in range(2, len(records) + 2):
                sheet.cell(row, position).number_format = "yyyy-mm-dd"
    for row, record in enumerate(records, start=2):
        for position, column in enumerate(spec.columns, start=1):
            value = _cell_value(record.get(column.key))
            if value is not None and value != "":
                sheet.cell(row, position, value)
    return sheet


def write_workbook(
    sheets: Sequence[tuple[SheetSpec, Sequence[Record]]],
    locale: str,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """Return a workbook with one sheet per (spec, records), headers in ``locale``."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for spec, records in sheets:
        _sheet(book, spec, locale, records, choices or {})
    return _save(book)


def template_workbook(
    specs: Sequence[SheetSpec],
    locale: str,
    gettext: Callable[[str], str],
    choices: Mapping[str, Sequence[str]],
    labels: Mapping[str, Sequence[tuple[str, str]]],
) -> bytes:
    """Return empty sheets to fill in, and an instructions sheet; it holds no time data."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for spec in specs:
        _sheet(book, spec, locale, [], choices)
    notes = book.create_sheet(gettext(msgid("Instructions")))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 24
    notes.column_dimensions["C"].width = 70
    notes.append(
        [gettext(msgid("Sheet")), gettext(msgid("Column")), gettext(msgid("What to enter"))]
    )
    for cell in notes[1]:
        cell.font = _BOLD
    for spec in specs:
        for column in spec.columns:
            header = column.zh if locale == "zh_CN" else column.en
            hint = HINTS.get(f"{spec.key}.{column.key}", "")
            required = gettext(msgid("required")) if column.required else ""
            text = " ".join(part for part in (required, gettext(hint) if hint else "") if part)
            notes.append([spec.title(locale), header, text])
    for key, pairs in labels.items():
        notes.append([])
        notes.append([key])
        for value, label in pairs:
            notes.append(["", value, label])
    return _save(book)


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
