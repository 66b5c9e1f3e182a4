"""Piece-rate pay pages: the month's statement, one operator's days, a day's operations, Excel.

Amounts are formatted from the stored ten-thousandths and written to Excel as exact decimals.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from openpyxl import Workbook
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import MAX_ID
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.shopfloor.engine.figures import decimal_e4, grouped_e4, local_today, month_window
from loom.modules.shopfloor.pages.figures_common import (
    DB,
    PAGE_SIZE,
    XLSX,
    Gettext,
    msgid,
    saved,
    sheet,
    translator,
)
from loom.modules.shopfloor.service import figures, pay
from loom.modules.shopfloor.service.figures import Operators

router = APIRouter()
PAY = "shopfloor.pay.read"
MONTH = Query("", max_length=20)
OperatorId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: Excel shows at least fen and at most the stored ten-thousandths
MONEY_FORMAT = "#,##0.00##"


def _month(text: str) -> date:
    """Return the month asked for, this (local) month when empty."""
    return pay.parse_month(text, local_today(utcnow()))


def _months(first: date) -> dict[str, str]:
    """Return the month and its neighbours as ``YYYY-MM`` for the links."""
    _, following = month_window(first)
    previous = (first - timedelta(days=1)).replace(day=1)
    return {
        "month": first.strftime("%Y-%m"),
        "previous_month": previous.strftime("%Y-%m"),
        "next_month": following.strftime("%Y-%m"),
    }


@router.get("/pay")
def statement(
    request: Request,
    month: str = MONTH,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    scope: Scope = require(PAY),
    db: Session = DB,
) -> Response:
    """Show the month's pay by operator with the month's totals."""
    first = _month(month)
    found = pay.statement(db, scope, first, q=q, offset=offset, limit=PAGE_SIZE)
    context = {"statement": found, "q": q, "money": grouped_e4, **_months(first)}
    return render(request, "shopfloor/pay_statement.html", context)


@router.get("/pay/operators/{operator_id}")
def operator_month(
    request: Request,
    operator_id: OperatorId,
    month: str = MONTH,
    day: str = Query("", max_length=20),
    scope: Scope = require(PAY),
    db: Session = DB,
) -> Response:
    """Show one operator's days of the month; ``day`` opens that day's operations."""
    first = _month(month)
    person = Operators(db, scope).get(operator_id)
    days = pay.days_of(db, scope, operator_id, first)
    opened = figures.parse_day(day, first, field="day") if day.strip() else None
    context = {
        "operator": person,
        "days": days,
        "totals": pay.total_of(days),
        "opened": opened,
        "lines": pay.day_detail(db, scope, operator_id, opened) if opened else [],
        "money": grouped_e4,
        **_months(first),
    }
    return render(request, "shopfloor/pay_operator.html", context)


@router.get("/pay/operators/{operator_id}/days/{day}")
def operator_day(
    request: Request,
    operator_id: OperatorId,
    day: Annotated[str, Path(max_length=20)],
    scope: Scope = require(PAY),
    db: Session = DB,
) -> Response:
    """Return the fragment of one day's operations × pieces × rate (loaded when opened)."""
    when = figures.parse_day(day, local_today(utcnow()), field="day")
    lines = pay.day_detail(db, scope, operator_id, when)
    return render(request, "shopfloor/pay_day.html", {"lines": lines, "money": grouped_e4})


def workbook(
    first: date,
    operators: list[pay.OperatorMonth],
    totals: pay.Totals,
    days: list[tuple[Any, pay.PayDay]],
    gettext: Gettext,
) -> bytes:
    """Return the statement as a workbook: month totals per operator, then every day."""
    book = Workbook()
    book.remove(book.worksheets[0])
    head = [msgid("Badge code"), msgid("Operator"), msgid("Days worked"), msgid("Pieces done")]
    head += [msgid("Earned minutes"), msgid("Pay (CNY)")]
    summary = sheet(
        book,
        gettext(msgid("Pay statement %(month)s"), month=first.strftime("%Y-%m")),
        [gettext(h) for h in head],
        (12, 20, 10, 12, 16, 16),
    )
    for row in operators:
        t = row.totals
        summary.append(
            [
                row.code,
                row.name,
                t.days,
                t.done_qty,
                decimal_e4(t.earned_e4),
                decimal_e4(t.earnings_e4),
            ]
        )
    summary.append(
        [
            gettext(msgid("Total")),
            "",
            totals.days,
            totals.done_qty,
            decimal_e4(totals.earned_e4),
            decimal_e4(totals.earnings_e4),
        ]
    )
    for row_cells in summary.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row_cells:
            cell.number_format = MONEY_FORMAT
    head = [msgid("Badge code"), msgid("Operator"), msgid("Day"), msgid("Pieces done")]
    head += [msgid("Earned minutes"), msgid("Pay (CNY)"), msgid("Rework"), msgid("Defects")]
    by_day = sheet(
        book, gettext(msgid("By day")), [gettext(h) for h in head], (12, 20, 12, 12, 16, 16, 10, 10)
    )
    for person, d in days:
        by_day.append(
            [
                person.code,
                person.name,
                d.day,
                d.done_qty,
                decimal_e4(d.earned_e4),
                decimal_e4(d.earnings_e4),
                d.rework_qty,
                d.defect_qty,
            ]
        )
        by_day.cell(row=by_day.max_row, column=3).number_format = "yyyy-mm-dd"
        for column in (5, 6):
            by_day.cell(row=by_day.max_row, column=column).number_format = MONEY_FORMAT
    return saved(book)


@router.get("/pay.xlsx")
def export(
    request: Request, month: str = MONTH, scope: Scope = require(PAY), db: Session = DB
) -> Response:
    """Download the month's statement as an Excel workbook (every operator, every day)."""
    first = _month(month)
    operators: list[pay.OperatorMonth] = []
    offset = 0
    while True:  # the statement's pages, all of them: an export is never cut short
        found = pay.statement(db, scope, first, offset=offset, limit=200)
        operators.extend(found.page.items)
        if not found.page.has_next:
            break
        offset += len(found.page.items)
    days = pay.all_days(db, scope, first)
    content = workbook(first, operators, found.totals, list(days), translator(request))
    name = f"pay-{first.strftime('%Y-%m')}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=XLSX, headers=headers)
