"""The operation library (工序): standard minutes, machine type and skill grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, RoutingStep
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems

#: machine types, with the Chinese names the shop floor uses
MACHINE_TYPES = {
    "lockstitch": "平车",
    "overlock": "锁边/包缝",
    "coverstitch": "绷缝",
    "bartack": "套结",
    "button": "钉扣",
    "buttonhole": "锁眼",
    "manual": "手工",
    "pressing": "熨烫",
    "other": "其他",
}
MAX_SAM = Decimal("9999.9999")  # what Numeric(8, 4) holds
SAM_STEP = Decimal("0.0001")


@dataclass(frozen=True)
class OperationIn:
    """An operation as a user enters it; SAM in standard minutes per piece."""

    code: str
    name: str
    sam: Decimal
    machine_type: str
    skill_grade: int


class OperationRepository(TenantRepository[Operation]):
    """The scope's enterprise's operations."""

    model = Operation


def operation_problems(data: OperationIn) -> list[FieldProblem]:
    """Return every bad field of an operation."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("name", data.name, 200, required=True),
    ]
    sam = data.sam
    if not sam.is_finite() or not Decimal(0) < sam <= MAX_SAM:
        found.append(FieldProblem("sam", "standard minutes above 0 and at most 9999.9999"))
    elif sam != sam.quantize(SAM_STEP):
        found.append(FieldProblem("sam", "at most four decimals"))
    if data.machine_type not in MACHINE_TYPES:
        found.append(
            FieldProblem("machine_type", "one of %(kinds)s", {"kinds": ", ".join(MACHINE_TYPES)})
        )
    if not 1 <= data.skill_grade <= 5:
        found.append(FieldProblem("skill_grade", "a grade from 1 to 5"))
    return found


def snapshot(op: Operation) -> dict[str, Any]:
    """Return an operation's fields as the audit trail records them."""
    return {
        "code": op.code,
        "name": op.name,
        # four decimals always, so 1.5 and 1.5000 read as the same value
        "sam": f"{op.sam:.4f}",
        "machine_type": op.machine_type,
        "skill_grade": op.skill_grade,
    }


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = OperationRepository(session, scope).select().where(Operation.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(
            "code: operation %(code)s exists already", field="code", params={"code": code}
        )


def _fill(op: Operation, data: OperationIn) -> None:
    op.code = data.code.strip()
    op.name = data.name.strip()
    op.sam = data.sam.quantize(SAM_STEP)  # answers read the same before and after a reload
    op.machine_type = data.machine_type
    op.skill_grade = data.skill_grade


def create(session: Session, scope: Scope, data: OperationIn) -> Operation:
    """Add an operation to the scope's library; its code must be new there."""
    raise_problems(operation_problems(data))
    _check_code_free(session, scope, data.code.strip(), None)
    op = Operation(org_id=scope.org_id)
    _fill(op, data)
    session.add(op)
    session.flush()
    record_scoped(
        session, scope, "masterdata.operation.created", "operation", op.id, after=snapshot(op)
    )
    return op


def update(session: Session, scope: Scope, operation_id: int, data: OperationIn) -> Operation:
    """Replace an operation's fields; another enterprise's operation answers 404."""
    op = OperationRepository(session, scope).get(operation_id)
    raise_problems(operation_problems(data))
    _check_code_free(session, scope, data.code.strip(), op.id)
    before = snapshot(op)
    _fill(op, data)
    after = snapshot(op)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "masterdata.operation.updated",
            "operation",
            op.id,
            before=before,
            after=after,
        )
    return op


def delete(session: Session, scope: Scope, operation_id: int) -> None:
    """Delete an operation with its rate history, unless a routing still uses it."""
    repo = OperationRepository(session, scope)
    op = repo.get(operation_id)
    used = session.scalars(
        select(RoutingStep.style_id).where(RoutingStep.operation_id == op.id).limit(1)
    ).first()
    if used is not None:
        raise Conflict(
            "operation %(code)s is used in the routing of style %(style)s",
            params={"code": op.code, "style": used},
        )
    before = snapshot(op)
    repo.delete(op)
    record_scoped(
        session, scope, "masterdata.operation.deleted", "operation", operation_id, before=before
    )


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    machine_type: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[Operation]:
    """Return one page of operations by code, searched in code and name, by machine type."""
    repo = OperationRepository(session, scope)
    stmt = repo.select().order_by(Operation.code, Operation.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(or_(Operation.code.ilike(like), Operation.name.ilike(like)))
    if machine_type:
        if machine_type not in MACHINE_TYPES:
            raise ValidationFailed(
                "machine_type: one of %(kinds)s",
                field="machine_type",
                params={"kinds": ", ".join(MACHINE_TYPES)},
            )
        stmt = stmt.where(Operation.machine_type == machine_type)
    return repo.page(stmt, offset=offset, limit=limit)
