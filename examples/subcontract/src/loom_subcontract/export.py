"""Excel export of a job list (openpyxl; no database or web code here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from loom_subcontract.i18n import msgid
from loom_subcontract.summaries import JobSummary

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (msgid of the header, width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    (msgid("ID"), 8),
    (msgid("Partner"), 28),
    (msgid("Process"), 14),
    (msgid("Style or order"), 20),
    (msgid("Sent on"), 12),
    (msgid("Due on"), 12),
    (msgid("Status"), 10),
    (msgid("Pieces sent"), 12),
    (msgid("Received"), 12),
    (msgid("Defective"), 12),
    (msgid("Outstanding"), 12),
    (msgid("Overdue"), 10),
    (msgid("Note"), 40),
)


def jobs_workbook(jobs: Sequence[JobSummary], gettext: Callable[..., str]) -> bytes:
    """Return an .xlsx file with one header row and one row per job."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = gettext("Sub-contracting")
    sheet.append([gettext(title) for title, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for job in jobs:
        sheet.append(
            [
                job.id,
                job.partner,
                gettext(job.process.value),
                job.reference,
                job.sent_on,
                job.due_on,
                gettext(job.status.value),
                job.qty_sent,
                job.received,
                job.defective,
                job.outstanding,
                gettext(msgid("yes")) if job.overdue else "",
                job.note,
            ]
        )
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = BytesIO()
    book.save(out)
    return out.getvalue()
