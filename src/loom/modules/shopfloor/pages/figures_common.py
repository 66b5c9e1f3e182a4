"""Shared helpers of the figures pages (dashboard, pay, quarantine): paths, texts, workbooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO

from fastapi import Depends, Request
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context

BASE = "/apps/shopfloor"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Gettext = Callable[..., str]


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


def translator(request: Request) -> Gettext:
    """Return the page's gettext, for texts made outside templates (charts, workbooks)."""
    gettext: Gettext = page_context(request)["_"]
    return gettext


def sheet(book: Workbook, title: str, header: Sequence[str], widths: Sequence[int]) -> Worksheet:
    """Add a worksheet with a bold, frozen header row and the given column widths."""
    made = book.create_sheet(title[:31])
    assert isinstance(made, Worksheet)
    made.append(list(header))
    for cell in made[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        made.column_dimensions[get_column_letter(index)].width = width
    made.freeze_panes = "A2"
    return made


def saved(book: Workbook) -> bytes:
    """Return the workbook as .xlsx bytes."""
    out = BytesIO()
    book.save(out)
    return out.getvalue()
