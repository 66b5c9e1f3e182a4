"""Piece-rate pay statements from ``OperatorDay``, and one day's detail from the raw events.

Definitions: piece-rate pay per day = ``OperatorDay.earnings_e4`` / 10⁴ CNY, the pieces done
(kind ``done``) at the rate valid at scan time; pay per month = the sum of the month's local
(Beijing) days. A day's detail lists the applied ``done`` events of one operator on one local
day grouped by operation and rate: the only query here that reads ``shopfloor_event``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from loom.kernel.db.repository import MAX_PAGE_SIZE, Page
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operator
from loom.modules.shopfloor.engine.figures import month_window
from loom.modules.shopfloor.models import OperatorDay, OperatorDayOperation
from loom.modules.shopfloor.service.figures import Operators, operation_names


def parse_month(text: str, default: date) -> date:
    """Return the first day of a month written ``YYYY-MM`` (``default``'s month when empty)."""
    raw = text.strip()
    if not raw:
        return default.replace(day=1)
    try:
        if len(raw) != 7:
            raise ValueError(raw)
        return date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise ValidationFailed(
            "month: a month written YYYY-MM, got %(value)s",
            field="month",
            params={"value": raw[:20]},
        ) from None


@dataclass(frozen=True)
class Totals:
    """Pieces, earned minutes (e4) and pay (e4) over some days."""

    done_qty: int = 0
    earned_e4: int = 0
    earnings_e4: int = 0
    days: int = 0


@dataclass(frozen=True)
class OperatorMonth:
    """One operator's month on the statement."""

    operator_id: int
    code: str
    name: str
    totals: Totals


@dataclass(frozen=True)
class Statement:
    """A month's statement: one page of operators and the month's totals over all of them."""

    month: date
    page: Page[OperatorMonth]
    totals: Totals


@dataclass(frozen=True)
class PayDay:
    """One local day of an operator's month."""

    day: date
    done_qty: int
    earned_e4: int
    earnings_e4: int
    rework_qty: int
    defect_qty: int


@dataclass(frozen=True)
class PayLine:
    """One operation at one rate on one day: pieces × rate = amount, all exact."""

    operation_id: int
    code: str
    name: str
    rate_e4: int
    qty: int

    @property
    def amount_e4(self) -> int:
        """Return pieces × rate in ten-thousandths of a CNY."""
        return self.qty * self.rate_e4


def _in_month(month: date) -> ColumnElement[bool]:
    """Return the condition selecting the operator-days of ``month``."""
    first, following = month_window(month)
    return and_(OperatorDay.day >= first, OperatorDay.day < following)


def statement(
    session: Session,
    scope: Scope,
    month: date,
    *,
    q: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Statement:
    """Return the month's operators with pay (by badge code, searched in code and name)."""
    sums = (
        func.sum(OperatorDay.done_qty),
        func.sum(OperatorDay.earned_e4),
        func.sum(OperatorDay.earnings_e4),
        func.count(),
    )
    rows = (
        select(Operator.id, Operator.code, Operator.name, *sums)
        .join(OperatorDay, OperatorDay.operator_id == Operator.id)
        .where(
            Operator.org_id == scope.org_id,
            OperatorDay.org_id == scope.org_id,
            _in_month(month),
        )
        .group_by(Operator.id, Operator.code, Operator.name)
    )
    term = q.strip()
    if term:
        like = f"%{term}%"
        rows = rows.where(or_(Operator.code.ilike(like), Operator.name.ilike(like)))
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    grouped = rows.subquery()
    found = session.execute(
        select(
            func.count(),
            func.sum(grouped.c[3]),
            func.sum(grouped.c[4]),
            func.sum(grouped.c[5]),
            func.sum(grouped.c[6]),
        ).select_from(grouped)
    ).one()
    items = [
        OperatorMonth(oid, code, name, Totals(int(d), int(e), int(p), int(n)))
        for oid, code, name, d, e, p, n in session.execute(
            rows.order_by(Operator.code, Operator.id).offset(offset).limit(limit)
        )
    ]
    totals = Totals(*(int(v or 0) for v in found[1:]))
    page = Page(items=items, total=int(found[0] or 0), offset=offset, limit=limit)
    return Statement(month=month, page=page, totals=totals)


def days_of(session: Session, scope: Scope, operator_id: int, month: date) -> list[PayDay]:
    """Return an operator's days of the month with pieces or pay (another's operator: 404)."""
    Operators(session, scope).get(operator_id)
    stmt = (
        select(OperatorDay)
        .where(
            OperatorDay.org_id == scope.org_id,
            OperatorDay.operator_id == operator_id,
            _in_month(month),
        )
        .order_by(OperatorDay.day)
    )
    return [
        PayDay(r.day, r.done_qty, r.earned_e4, r.earnings_e4, r.rework_qty, r.defect_qty)
        for r in session.scalars(stmt)
    ]


def total_of(days: Sequence[PayDay]) -> Totals:
    """Return the totals of some days."""
    return Totals(
        done_qty=sum(d.done_qty for d in days),
        earned_e4=sum(d.earned_e4 for d in days),
        earnings_e4=sum(d.earnings_e4 for d in days),
        days=len(days),
    )


def all_days(session: Session, scope: Scope, month: date) -> list[tuple[Operator, PayDay]]:
    """Return every operator's days of the month, by badge code and day (the Excel export)."""
    stmt = (
        select(Operator, OperatorDay)
        .join(OperatorDay, OperatorDay.operator_id == Operator.id)
        .where(
            Operator.org_id == scope.org_id,
            OperatorDay.org_id == scope.org_id,
            _in_month(month),
        )
        .order_by(Operator.code, Operator.id, OperatorDay.day)
    )
    return [
        (person, PayDay(r.day, r.done_qty, r.earned_e4, r.earnings_e4, r.rework_qty, r.defect_qty))
        for person, r in session.execute(stmt)
    ]


def day_detail(session: Session, scope: Scope, operator_id: int, day: date) -> list[PayLine]:
    """Return one operator's applied ``done`` scans of one local day by operation and rate.

    The one query of the figures that reads ``shopfloor_event``: for a single operator and a
    single day it is bounded, and an index on ``(org_id, operator_id, ts)`` makes it a range
    read. Another enterprise's operator raises NotFound.
    """
    Operators(session, scope).get(operator_id)
    stmt = select(
        OperatorDayOperation.operation_id,
        OperatorDayOperation.rate_e4,
        OperatorDayOperation.done_qty,
    ).where(
        OperatorDayOperation.org_id == scope.org_id,
        OperatorDayOperation.operator_id == operator_id,
        OperatorDayOperation.day == day,
        OperatorDayOperation.done_qty > 0,
    )
    rows = [(int(op), int(rate), int(qty)) for op, rate, qty in session.execute(stmt)]
    names = operation_names(session, scope, {op for op, _, _ in rows})
    lines = [
        PayLine(op, names.get(op, ("", ""))[0], names.get(op, ("", ""))[1], rate, qty)
        for op, rate, qty in rows
    ]
    return sorted(lines, key=lambda line: (line.code, line.operation_id, line.rate_e4))
