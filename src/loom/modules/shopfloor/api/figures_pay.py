"""JSON API of piece-rate pay: a month's statement, an operator's days, a day's operations.

Money and minutes are given as exact decimal strings (``pay``) and as the stored integers in
ten-thousandths (``pay_e4``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.base import utcnow
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.figures import local_today, plain_e4
from loom.modules.shopfloor.service import figures, pay

router = APIRouter()
DB = Depends(get_db, scope="function")
PAY = "shopfloor.pay.read"
#: ids the INTEGER columns can hold; PostgreSQL would fail on larger ones instead of answering
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
MONTH = Query("", max_length=20, description="a month YYYY-MM; this month if empty")


class TotalsOut(BaseModel):
    """Pieces, earned minutes and pay over some days."""

    days: int
    done_qty: int
    earned_minutes: str
    earned_e4: int
    pay: str
    pay_e4: int


def totals_out(t: pay.Totals) -> TotalsOut:
    """Return the JSON shape of totals."""
    return TotalsOut(
        days=t.days,
        done_qty=t.done_qty,
        earned_minutes=plain_e4(t.earned_e4),
        earned_e4=t.earned_e4,
        pay=plain_e4(t.earnings_e4),
        pay_e4=t.earnings_e4,
    )


class OperatorMonthOut(BaseModel):
    """One operator's month."""

    operator_id: int
    code: str
    name: str
    totals: TotalsOut


class StatementOut(BaseModel):
    """One page of a month's statement and the month's totals over every operator."""

    month: str
    items: list[OperatorMonthOut]
    total: int
    offset: int
    limit: int
    next_offset: int | None
    totals: TotalsOut


@router.get("/pay", response_model=StatementOut)
def pay_statement(
    month: str = MONTH,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(PAY),
    db: Session = DB,
) -> Any:
    """Return the month's piece-rate pay by operator (operators without scans are left out)."""
    first = pay.parse_month(month, local_today(utcnow()))
    found = pay.statement(db, scope, first, q=q, offset=offset, limit=limit)
    page = found.page
    return StatementOut(
        month=first.strftime("%Y-%m"),
        items=[
            OperatorMonthOut(
                operator_id=i.operator_id, code=i.code, name=i.name, totals=totals_out(i.totals)
            )
            for i in page.items
        ],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
        totals=totals_out(found.totals),
    )


class PayDayOut(BaseModel):
    """One local day of an operator's month."""

    day: date
    done_qty: int
    earned_minutes: str
    earned_e4: int
    pay: str
    pay_e4: int
    rework_qty: int
    defect_qty: int


class OperatorPayOut(BaseModel):
    """An operator's month, day by day."""

    operator_id: int
    month: str
    days: list[PayDayOut]
    totals: TotalsOut


@router.get("/operators/{operator_id}/pay", response_model=OperatorPayOut)
def operator_pay(
    operator_id: RowId, month: str = MONTH, scope: Scope = require(PAY), db: Session = DB
) -> Any:
    """Return one operator's pay for each day of a month, and the month's totals."""
    first = pay.parse_month(month, local_today(utcnow()))
    days = pay.days_of(db, scope, operator_id, first)
    return OperatorPayOut(
        operator_id=operator_id,
        month=first.strftime("%Y-%m"),
        days=[
            PayDayOut(
                day=d.day,
                done_qty=d.done_qty,
                earned_minutes=plain_e4(d.earned_e4),
                earned_e4=d.earned_e4,
                pay=plain_e4(d.earnings_e4),
                pay_e4=d.earnings_e4,
                rework_qty=d.rework_qty,
                defect_qty=d.defect_qty,
            )
            for d in days
        ],
        totals=totals_out(pay.total_of(days)),
    )


class PayLineOut(BaseModel):
    """One operation at one rate on a day: pieces × rate = amount."""

    operation_id: int
    code: str
    name: str
    qty: int
    rate: str
    rate_e4: int
    amount: str
    amount_e4: int


class PayDetailOut(BaseModel):
    """An operator's day by operation."""

    operator_id: int
    day: date
    lines: list[PayLineOut]
    pay: str
    pay_e4: int


@router.get("/operators/{operator_id}/pay/days/{day}", response_model=PayDetailOut)
def operator_pay_day(
    operator_id: RowId,
    day: Annotated[str, Path(max_length=20)],
    scope: Scope = require(PAY),
    db: Session = DB,
) -> Any:
    """Return one operator's day: each operation with its pieces, rate and amount."""
    when = figures.parse_day(day, local_today(utcnow()), field="day")
    lines = pay.day_detail(db, scope, operator_id, when)
    total = sum(line.amount_e4 for line in lines)
    return PayDetailOut(
        operator_id=operator_id,
        day=when,
        lines=[
            PayLineOut(
                operation_id=line.operation_id,
                code=line.code,
                name=line.name,
                qty=line.qty,
                rate=plain_e4(line.rate_e4, 4),
                rate_e4=line.rate_e4,
                amount=plain_e4(line.amount_e4),
                amount_e4=line.amount_e4,
            )
            for line in lines
        ],
        pay=plain_e4(total),
        pay_e4=total,
    )
