"""Monthly revenue (营业收入) the enterprise enters, for energy per 100 CNY of revenue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.energy.models import EnergyRevenue
from loom.apps.energy.service.numbers import from_e4, refuse, to_e4
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import FieldProblem, text_problems

EARLIEST_MONTH = date(2000, 1, 1)


@dataclass(frozen=True)
class RevenueIn:
    """One month's revenue in CNY as typed (None when blank or not a number)."""

    month: date | None
    amount: Decimal | None
    note: str = ""


class RevenueRepository(TenantRepository[EnergyRevenue]):
    """The scope's enterprise's monthly revenue."""

    model = EnergyRevenue


def snapshot(row: EnergyRevenue) -> dict[str, Any]:
    """Return a month's revenue as the audit trail records it."""
    return {
        "month": row.month.isoformat()[:7],
        "amount": str(from_e4(row.amount_e4)),
        "note": row.note,
    }


def save(session: Session, scope: Scope, data: RevenueIn, today: date) -> EnergyRevenue:
    """Set a month's revenue (replacing the figure stored for that month)."""
    found: list[FieldProblem] = []
    if data.month is None:
        found.append(FieldProblem("month", "a month such as 2026-03 is expected here"))
    elif not EARLIEST_MONTH <= data.month <= today.replace(day=1):
        found.append(FieldProblem("month", "a month from 2000 to this month"))
    amount, bad = to_e4("amount", data.amount)
    found += bad + text_problems("note", data.note, 200, required=False)
    refuse(found)
    assert data.month is not None
    assert amount is not None
    repo = RevenueRepository(session, scope)
    row = session.scalars(repo.select().where(EnergyRevenue.month == data.month)).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = EnergyRevenue(org_id=scope.org_id, month=data.month)
        session.add(row)
    row.amount_e4 = amount
    row.note = data.note.strip()
    session.flush()
    if snapshot(row) != before:
        action = "energy.revenue.created" if before is None else "energy.revenue.updated"
        record_scoped(session, scope, action, "revenue", row.id, before=before, after=snapshot(row))
    return row


def delete(session: Session, scope: Scope, revenue_id: int) -> None:
    """Delete one month's revenue."""
    repo = RevenueRepository(session, scope)
    row = repo.get(revenue_id)
    before = snapshot(row)
    repo.delete(row)
    record_scoped(session, scope, "energy.revenue.deleted", "revenue", revenue_id, before=before)


def page_of(
    session: Session, scope: Scope, *, q: str = "", offset: int = 0, limit: int = 24
) -> Page[EnergyRevenue]:
    """Return one page of months, newest first; ``q`` narrows to a year or month ("2025")."""
    repo = RevenueRepository(session, scope)
    stmt = repo.select().order_by(EnergyRevenue.month.desc())
    term = q.strip()
    if term.isdigit() and len(term) == 4:
        year = int(term)
        stmt = stmt.where(
            EnergyRevenue.month >= date(year, 1, 1), EnergyRevenue.month <= date(year, 12, 1)
        )
    return repo.page(stmt, offset=offset, limit=limit)


def by_month(session: Session, scope: Scope) -> dict[date, Decimal]:
    """Return every month's revenue in CNY."""
    repo = RevenueRepository(session, scope)
    return {row.month: Decimal(row.amount_e4) / 10_000 for row in session.scalars(repo.select())}
