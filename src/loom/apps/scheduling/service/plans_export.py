"""Excel export of a plan: one row per order with its line, dates and lateness."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import openpyxl
from openpyxl.styles import Font, PatternFill

from loom.apps.scheduling.models.plans import Allocation, SchedulePlan

LATE_FILL = PatternFill("solid", start_color="F8D7DA")


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


#: column headers, in order
HEADERS = (
    msgid("Line"),
    msgid("Position"),
    msgid("Order"),
    msgid("Style"),
    msgid("Pieces"),
    msgid("Start"),
    msgid("Finish"),
    msgid("Due date"),
    msgid("Days late"),
    msgid("Weight"),
    msgid("Changeover"),
)


def plan_workbook(
    plan: SchedulePlan,
    allocations: Sequence[Allocation],
    line_codes: dict[int, str],
    gettext: Callable[..., str],
) -> bytes:
    """Return the plan as an .xlsx workbook, late orders shaded, in the page's language."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = gettext("Production plan")[:31]
    sheet.append([gettext(h) for h in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes, no = gettext("yes"), gettext("no")
    for a in allocations:
        sheet.append(
            [
                line_codes.get(a.line_id, str(a.line_id)),
                a.seq,
                a.order_code,
                a.style,
                a.quantity,
                a.start,
                a.finish,
                a.due,
                a.tardy_days,
                a.weight,
                yes if a.changeover else no,
            ]
        )
        if a.tardy_days > 0:
            for cell in sheet[sheet.max_row]:
                cell.fill = LATE_FILL
    for column, width in zip(
        "ABCDEFGHIJK", (10, 8, 16, 14, 10, 12, 12, 12, 10, 8, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=8):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    summary = book.create_sheet(gettext("Plan figures")[:31])
    for label, value in (
        (gettext("Plan name"), plan.name),
        (gettext("First day of the plan"), plan.start),
        (gettext("Weighted tardiness"), plan.weighted_tardiness),
        (gettext("Late days"), plan.late_days),
        (gettext("Changeovers"), plan.changeovers),
        (gettext("Weighted tardiness of the EDD baseline"), plan.edd_weighted_tardiness),
    ):
        summary.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
