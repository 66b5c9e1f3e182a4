"""Inline (roving) and end-of-line inspections: pieces checked, defects by code, and the
operator each defect is traced to through the shop floor's scans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.quality.models import KINDS, DefectType, Inspection, InspectionDefect
from loom.apps.quality.service import catalogue, trace
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import MAX_ID, TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, Operator, ProductionLine
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.models import Bundle

#: rows of defects one inspection may list: a typo guard, not a rule
MAX_DEFECT_ROWS = 50
#: pieces one inspection may count: a typo guard (a day's end-of-line output is far less)
MAX_PIECES = 100_000
#: an inspection dated further back than this is a typo
BACKDATE_LIMIT = timedelta(days=366)


class InspectionRepository(TenantRepository[Inspection]):
    """The scope's enterprise's inline and end-of-line inspections."""

    model = Inspection


@dataclass(frozen=True)
class DefectCount:
    """Defects of one catalogue code; at the end of the line, optionally the operation blamed."""

    code: str
    qty: int
    operation_id: int | None = None


@dataclass(frozen=True)
class InspectionIn:
    """An inspection as the inspector records it.

    ``defective_pieces`` None counts each defect on a piece of its own (at most the pieces
    checked); ``inspected_at`` None is now.
    """

    kind: str
    line_id: int | None
    pieces_checked: int
    defects: tuple[DefectCount, ...] = ()
    operation_id: int | None = None
    operator_id: int | None = None
    bundle_no: int | None = None
    defective_pieces: int | None = None
    inspected_at: datetime | None = None
    note: str = ""


@dataclass
class Resolved:
    """What an inspection's references turned out to be."""

    line: ProductionLine | None = None
    operation: Operation | None = None
    operator: Operator | None = None
    bundle: Bundle | None = None
    defects: dict[str, DefectType] = field(default_factory=dict)
    operations: dict[int, Operation] = field(default_factory=dict)


def _get(session: Session, scope: Scope, model: Any, row_id: int | None) -> Any:
    if row_id is None or not 0 < row_id <= MAX_ID:
        return None
    stmt = select(model).where(model.org_id == scope.org_id, model.id == row_id)
    return session.scalars(stmt).first()


def resolve(
    session: Session, scope: Scope, data: InspectionIn, now: datetime | None = None
) -> tuple[Resolved, list[FieldProblem]]:
    """Look the references up and return them with every bad field of the inspection."""
    now = now or utcnow()
    found: list[FieldProblem] = [*text_problems("note", data.note, 500, required=False)]
    got = Resolved()
    if data.kind not in KINDS:
        found.append(FieldProblem("kind", "one of %(kinds)s", {"kinds": ", ".join(KINDS)}))
    got.line = _get(session, scope, ProductionLine, data.line_id)
    if data.line_id is None:
        found.append(FieldProblem("line_id", "must not be empty"))
    elif got.line is None:
        found.append(FieldProblem("line_id", "no such line"))
    got.operation = _get(session, scope, Operation, data.operation_id)
    if data.operation_id is None and data.kind == "inline":
        found.append(FieldProblem("operation_id", "an inline inspection names its operation"))
    elif data.operation_id is not None and got.operation is None:
        found.append(FieldProblem("operation_id", "no such operation"))
    got.operator = _get(session, scope, Operator, data.operator_id)
    if data.operator_id is not None and got.operator is None:
        found.append(FieldProblem("operator_id", "no such operator"))
    if data.bundle_no is not None:
        stmt = select(Bundle).where(Bundle.org_id == scope.org_id, Bundle.number == data.bundle_no)
        got.bundle = session.scalars(stmt).first() if 0 < data.bundle_no <= MAX_ID else None
        if got.bundle is None:
            found.append(FieldProblem("bundle_no", "no bundle with this number"))
    found += _count_problems(data, got.bundle)
    if data.inspected_at is not None:
        if data.inspected_at > now + timedelta(minutes=5):
            found.append(FieldProblem("inspected_at", "cannot be in the future"))
        elif data.inspected_at < now - BACKDATE_LIMIT:
            found.append(FieldProblem("inspected_at", "at most a year ago"))
    found += _defect_problems(session, scope, data, got)
    return got, found


def _count_problems(data: InspectionIn, bundle: Bundle | None) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if not 0 < data.pieces_checked <= MAX_PIECES:
        found.append(
            FieldProblem("pieces_checked", "a whole number from 1 to %(max)s", {"max": MAX_PIECES})
        )
    elif bundle is not None and data.pieces_checked > bundle.qty:
        found.append(
            FieldProblem(
                "pieces_checked",
                "at most the %(qty)s pieces of bundle %(number)s",
                {"qty": bundle.qty, "number": bundle.number},
            )
        )
    total = sum(max(d.qty, 0) for d in data.defects)
    if data.defective_pieces is not None:
        if not 0 <= data.defective_pieces <= max(data.pieces_checked, 0):
            found.append(FieldProblem("defective_pieces", "at most the pieces checked"))
        elif data.defective_pieces > total:
            found.append(FieldProblem("defective_pieces", "at most the defects found"))
        elif total > 0 and data.defective_pieces == 0:
            found.append(FieldProblem("defective_pieces", "at least one piece has the defects"))
    return found


def _defect_problems(
    session: Session, scope: Scope, data: InspectionIn, got: Resolved
) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if len(data.defects) > MAX_DEFECT_ROWS:
        found.append(FieldProblem("defects", "at most %(n)s entries", {"n": MAX_DEFECT_ROWS}))
        return found
    got.defects = catalogue.by_code(session, scope, [d.code for d in data.defects])
    seen: set[tuple[str, int | None]] = set()
    for i, d in enumerate(data.defects):
        where = f"defects[{i}]"
        code = d.code.strip().upper()
        entry = got.defects.get(code)
        if entry is None:
            found.append(
                FieldProblem(
                    f"{where}.code", "no defect %(code)s in the catalogue", {"code": code[:20]}
                )
            )
        elif not entry.active:
            found.append(
                FieldProblem(f"{where}.code", "defect %(code)s is deactivated", {"code": code})
            )
        if not 0 < d.qty <= MAX_PIECES:
            found.append(
                FieldProblem(
                    f"{where}.qty", "a whole number from 1 to %(max)s", {"max": MAX_PIECES}
                )
            )
        if d.operation_id is not None:
            op = _get(session, scope, Operation, d.operation_id)
            if op is None:
                found.append(FieldProblem(f"{where}.operation_id", "no such operation"))
            else:
                got.operations[op.id] = op
        if (code, d.operation_id) in seen:
            found.append(
                FieldProblem(f"{where}.code", "%(value)s is listed twice", {"value": code})
            )
        seen.add((code, d.operation_id))
    return found


def snapshot(
    row: Inspection, defects: list[InspectionDefect], codes: dict[int, str]
) -> dict[str, Any]:
    """Return an inspection as the audit trail records it."""
    return {
        "kind": row.kind,
        "inspected_at": row.inspected_at.isoformat(),
        "line_id": row.line_id,
        "operation_id": row.operation_id,
        "operator_id": row.operator_id,
        "operator_source": row.operator_source,
        "bundle_id": row.bundle_id,
        "pieces_checked": row.pieces_checked,
        "defects_total": row.defects_total,
        "defective_pieces": row.defective_pieces,
        "defects": [
            {
                "code": codes.get(d.defect_id, str(d.defect_id)),
                "qty": d.qty,
                "operation_id": d.operation_id,
                "operator_id": d.operator_id,
            }
            for d in defects
        ],
        "note": row.note,
    }


def create(
    session: Session, scope: Scope, data: InspectionIn, now: datetime | None = None
) -> Inspection:
    """Record an inspection; each defect is traced to the operator the scans name."""
    now = now or utcnow()
    got, problems = resolve(session, scope, data, now)
    raise_problems(problems)
    assert got.line is not None  # resolve() named the field otherwise
    when = data.inspected_at or now
    total = sum(d.qty for d in data.defects)
    bundle_id = got.bundle.id if got.bundle is not None else None
    operator_id, source = data.operator_id, "entered" if data.operator_id else ""
    if operator_id is None and data.kind == "inline":
        operator_id = trace.operator_of(session, scope, bundle_id, data.operation_id)
        source = "scan" if operator_id is not None else ""
    row = Inspection(
        org_id=scope.org_id,
        kind=data.kind,
        inspected_at=when,
        day=local_day(when),
        line_id=got.line.id,
        operation_id=data.operation_id,
        operator_id=operator_id,
        operator_source=source,
        bundle_id=bundle_id,
        order_id=got.bundle.order_id if got.bundle is not None else None,
        pieces_checked=data.pieces_checked,
        defects_total=total,
        defective_pieces=(
            data.defective_pieces
            if data.defective_pieces is not None
            else min(total, data.pieces_checked)
        ),
        inspector=scope.actor.label[:200],
        note=data.note.strip(),
    )
    session.add(row)
    session.flush()
    scanned = trace.traced(session, scope, bundle_id, [d.operation_id for d in data.defects])
    rows: list[InspectionDefect] = []
    for d in data.defects:
        entry = got.defects[d.code.strip().upper()]
        if data.kind == "inline":
            op, who = row.operation_id, row.operator_id
        else:
            op = d.operation_id
            who = scanned.get(op) if op is not None else None
        rows.append(
            InspectionDefect(
                org_id=scope.org_id,
                inspection_id=row.id,
                defect_id=entry.id,
                operation_id=op,
                operator_id=who,
                qty=d.qty,
            )
        )
    session.add_all(rows)
    session.flush()
    codes = {entry.id: entry.code for entry in got.defects.values()}
    record_scoped(
        session,
        scope,
        "quality.inspection.created",
        "inspection",
        row.id,
        after=snapshot(row, rows, codes),
    )
    return row


def defects_of(session: Session, scope: Scope, inspection_ids: list[int]) -> list[InspectionDefect]:
    """Return the defect rows of the inspections."""
    if not inspection_ids:
        return []
    stmt = select(InspectionDefect).where(
        InspectionDefect.org_id == scope.org_id,
        InspectionDefect.inspection_id.in_(inspection_ids),
    )
    return list(session.scalars(stmt.order_by(InspectionDefect.id)))


def delete(session: Session, scope: Scope, inspection_id: int) -> None:
    """Delete an inspection with its defect rows."""
    repo = InspectionRepository(session, scope)
    row = repo.get(inspection_id)
    rows = defects_of(session, scope, [row.id])
    codes = {d.id: d.code for d in catalogue.all_defects(session, scope)}
    before = snapshot(row, rows, codes)
    for d in rows:
        session.delete(d)
    session.flush()
    repo.delete(row)
    record_scoped(
        session, scope, "quality.inspection.deleted", "inspection", inspection_id, before=before
    )
