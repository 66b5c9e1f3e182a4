"""Production lines (产线): sewing, cutting or finishing, with their planned shift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine, Operator, ProductionLine, Workstation
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems

#: line kinds, with the Chinese names the shop floor uses
LINE_KINDS = {"sewing": "缝制", "cutting": "裁剪", "finishing": "后整"}
MAX_SHIFT_MINUTES = 1440  # a whole day


@dataclass(frozen=True)
class ProductionLineIn:
    """A production line as a user enters it; ``shift_minutes`` planned per day."""

    code: str
    name: str
    kind: str = "sewing"
    shift_minutes: int = 480
    active: bool = True


class LineRepository(TenantRepository[ProductionLine]):
    """The scope's enterprise's production lines."""

    model = ProductionLine


def line_problems(data: ProductionLineIn) -> list[FieldProblem]:
    """Return every bad field of a line."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("name", data.name, 200, required=True),
    ]
    if data.kind not in LINE_KINDS:
        found.append(FieldProblem("kind", "one of %(kinds)s", {"kinds": ", ".join(LINE_KINDS)}))
    if not 0 <= data.shift_minutes <= MAX_SHIFT_MINUTES:
        found.append(FieldProblem("shift_minutes", "minutes from 0 to 1440"))
    return found


def snapshot(line: ProductionLine) -> dict[str, Any]:
    """Return a line's fields as the audit trail records them."""
    return {
        "code": line.code,
        "name": line.name,
        "kind": line.kind,
        "shift_minutes": line.shift_minutes,
        "active": line.active,
    }


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = LineRepository(session, scope).select().where(ProductionLine.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict("code: line %(code)s exists already", field="code", params={"code": code})


def _fill(line: ProductionLine, data: ProductionLineIn) -> None:
    line.code = data.code.strip()
    line.name = data.name.strip()
    line.kind = data.kind
    line.shift_minutes = data.shift_minutes
    line.active = data.active


def create(session: Session, scope: Scope, data: ProductionLineIn) -> ProductionLine:
    """Create a line of the scope's enterprise; its code must be new there."""
    raise_problems(line_problems(data))
    _check_code_free(session, scope, data.code.strip(), None)
    line = ProductionLine(org_id=scope.org_id)
    _fill(line, data)
    session.add(line)
    session.flush()
    record_scoped(session, scope, "masterdata.line.created", "line", line.id, after=snapshot(line))
    return line


def update(session: Session, scope: Scope, line_id: int, data: ProductionLineIn) -> ProductionLine:
    """Replace a line's fields; another enterprise's line answers 404."""
    line = LineRepository(session, scope).get(line_id)
    raise_problems(line_problems(data))
    _check_code_free(session, scope, data.code.strip(), line.id)
    before = snapshot(line)
    _fill(line, data)
    after = snapshot(line)
    if after != before:
        session.flush()
        record_scoped(
            session, scope, "masterdata.line.updated", "line", line.id, before=before, after=after
        )
    return line


def usage(session: Session, line_id: int) -> dict[str, int]:
    """Return how many operators, workstations and machines belong to a line."""
    counts: dict[str, int] = {}
    for key, model in (
        ("operators", Operator),
        ("workstations", Workstation),
        ("machines", Machine),
    ):
        stmt = select(func.count()).select_from(model).where(model.line_id == line_id)
        counts[key] = session.scalar(stmt) or 0
    return counts


def delete(session: Session, scope: Scope, line_id: int) -> None:
    """Delete a line that no operator, workstation, machine or other record uses."""
    repo = LineRepository(session, scope)
    line = repo.get(line_id)
    used = usage(session, line.id)
    if any(used.values()):
        raise Conflict(
            "line %(code)s is still used by %(operators)s operator(s), "
            "%(workstations)s workstation(s) and %(machines)s machine(s)",
            params={"code": line.code, **used},
        )
    before = snapshot(line)
    try:
        # a savepoint: records of other modules (production orders) keep the line by key
        with session.begin_nested():
            repo.delete(line)
    except IntegrityError as exc:
        raise Conflict(
            "line %(code)s is still used by other records", params={"code": before["code"]}
        ) from exc
    record_scoped(session, scope, "masterdata.line.deleted", "line", line_id, before=before)


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    kind: str = "",
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[ProductionLine]:
    """Return one page of lines by code, searched in code and name, by kind and state."""
    repo = LineRepository(session, scope)
    stmt = repo.select().order_by(ProductionLine.code, ProductionLine.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(or_(ProductionLine.code.ilike(like), ProductionLine.name.ilike(like)))
    if kind:
        if kind not in LINE_KINDS:
            raise ValidationFailed(
                "kind: one of %(kinds)s", field="kind", params={"kinds": ", ".join(LINE_KINDS)}
            )
        stmt = stmt.where(ProductionLine.kind == kind)
    if active is not None:
        stmt = stmt.where(ProductionLine.active.is_(active))
    return repo.page(stmt, offset=offset, limit=limit)


def line_ids(session: Session, scope: Scope, wanted: set[int]) -> set[int]:
    """Return those of ``wanted`` that are lines of the scope's enterprise."""
    if not wanted:
        return set()
    stmt = LineRepository(session, scope).select().where(ProductionLine.id.in_(wanted))
    return {line.id for line in session.scalars(stmt)}
