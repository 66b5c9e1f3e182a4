"""Excel workbooks of the brain: one sheet per table, headed rows, numbers kept as numbers.

Hidden cells are written as the note given (e.g. "fewer than 3 enterprises"), never as a
number, so a spreadsheet cannot sum its way back to them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.brain.service.views import CellView

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="FFDDEBF7")

Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def cell_value(cell: CellView, hidden: str, places: int = 4) -> object:
    """Return what a spreadsheet cell holds: the figure, the note when hidden, or nothing."""
    if cell.suppressed:
        return hidden
    return "" if cell.value is None else round(cell.value, places)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """Return an .xlsx file with one sheet per (title, headings, rows)."""
    book = openpyxl.Workbook()
    first = book.active
    assert isinstance(first, Worksheet)  # a new workbook starts with one worksheet
    book.remove(first)
    for title, headings, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(headings))
        for cell in sheet[1]:
            cell.font = _BOLD
            cell.fill = _HEAD_FILL
        sheet.freeze_panes = "B2"
        for row in rows:
            sheet.append(list(row))
        for index, heading in enumerate(headings, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(heading) * 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
