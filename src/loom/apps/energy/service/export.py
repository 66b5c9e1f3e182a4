"""Excel workbooks of the energy app: one sheet of headed rows, numbers kept as numbers."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="FFDDEBF7")


def workbook(title: str, headings: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Return an .xlsx file with one sheet: headings frozen on top, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = title[:31]
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(list(row))
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(heading) * 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
