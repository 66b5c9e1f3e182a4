"""Piece rates (工价): versions with effective dates, only ever added, never edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.engine import rate_valid_on
from loom.modules.masterdata.models import PieceRate
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.operations import OperationRepository

MAX_RATE = Decimal("999999.9999")  # what Numeric(10, 4) holds
RATE_STEP = Decimal("0.0001")


@dataclass(frozen=True)
class RateIn:
    """A new rate version: CNY per piece from ``effective_from`` on."""

    rate: Decimal
    effective_from: date
    note: str = ""


class RateRepository(TenantRepository[PieceRate]):
    """The scope's enterprise's piece-rate versions."""

    model = PieceRate


def versions(session: Session, scope: Scope, operation_id: int) -> Sequence[PieceRate]:
    """Return an operation's rate versions, oldest first (404 for another's operation)."""
    op = OperationRepository(session, scope).get(operation_id)
    stmt = (
        RateRepository(session, scope)
        .select()
        .where(PieceRate.operation_id == op.id)
        .order_by(PieceRate.effective_from)
    )
    return session.scalars(stmt).all()


def rate_problems(data: RateIn, latest: date | None) -> list[FieldProblem]:
    """Return every bad field of a new version, given the latest existing effective date."""
    found = text_problems("note", data.note, 500, required=False)
    rate = data.rate
    if not rate.is_finite() or not Decimal(0) < rate <= MAX_RATE:
        found.append(FieldProblem("rate", "an amount in CNY above 0 and at most 999999.9999"))
    elif rate != rate.quantize(RATE_STEP):
        found.append(FieldProblem("rate", "at most four decimals"))
    if latest is not None and data.effective_from <= latest:
        # an earlier date would rewrite what was paid since then: history is only appended to
        found.append(
            FieldProblem(
                "effective_from",
                "must be after %(latest)s, the latest version's date",
                {"latest": latest.isoformat()},
            )
        )
    return found


def add_version(session: Session, scope: Scope, operation_id: int, data: RateIn) -> PieceRate:
    """Add a rate version to an operation, effective after every existing one."""
    existing = versions(session, scope, operation_id)
    latest = existing[-1].effective_from if existing else None
    raise_problems(rate_problems(data, latest))
    row = PieceRate(
        org_id=scope.org_id,
        operation_id=operation_id,
        rate=data.rate.quantize(RATE_STEP),
        effective_from=data.effective_from,
        note=data.note.strip(),
        created_by=scope.actor.label[:200],
    )
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "masterdata.rate.added",
        "operation",
        operation_id,
        before=None if not existing else _snap(existing[-1]),
        after=_snap(row),
    )
    return row


def _snap(row: PieceRate) -> dict[str, str]:
    return {"rate": f"{row.rate:.4f}", "effective_from": row.effective_from.isoformat()}


def rate_on(session: Session, scope: Scope, operation_id: int, day: date) -> PieceRate:
    """Return the version valid on ``day``, or raise NotFound when none was in force yet."""
    rows = versions(session, scope, operation_id)
    found = rate_valid_on(((r.effective_from, r) for r in rows), day)
    if found is None:
        raise NotFound(
            "No piece rate of operation %(id)s is in force on %(day)s",
            params={"id": operation_id, "day": day.isoformat()},
        )
    return found
