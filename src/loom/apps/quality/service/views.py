"""Read models of inspections: the searched list, one inspection with its trace, names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from loom.apps.quality.models import KINDS, DefectType, Inspection, InspectionDefect
from loom.apps.quality.service import catalogue, trace
from loom.apps.quality.service.inspections import InspectionRepository, defects_of
from loom.kernel.db.repository import Page
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, Operator, ProductionLine
from loom.modules.shopfloor.models import Bundle, ProductionOrder


@dataclass(frozen=True)
class Names:
    """Codes and names of the lines, operations, operators, bundles and orders shown."""

    lines: dict[int, ProductionLine]
    operations: dict[int, Operation]
    operators: dict[int, Operator]
    bundles: dict[int, Bundle]
    orders: dict[int, ProductionOrder]

    def line(self, line_id: int | None) -> str:
        """Return a line's code, or a dash."""
        row = self.lines.get(line_id or 0)
        return row.code if row is not None else "—"

    def operation(self, operation_id: int | None) -> str:
        """Return "CODE name" of an operation, "#id" for a deleted one, or a dash."""
        if operation_id is None:
            return "—"
        row = self.operations.get(operation_id)
        return f"{row.code} {row.name}" if row is not None else f"#{operation_id}"

    def operator(self, operator_id: int | None) -> str:
        """Return "CODE name" of an operator, "#id" for a deleted one, or a dash."""
        if operator_id is None:
            return "—"
        row = self.operators.get(operator_id)
        return f"{row.code} {row.name}" if row is not None else f"#{operator_id}"

    def bundle(self, bundle_id: int | None) -> str:
        """Return a bundle's ticket number, or a dash."""
        row = self.bundles.get(bundle_id or 0)
        return str(row.number) if row is not None else "—"

    def order(self, order_id: int | None) -> str:
        """Return an order's number, or a dash."""
        row = self.orders.get(order_id or 0)
        return row.number if row is not None else "—"


def _rows(session: Session, scope: Scope, model: Any, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    found: dict[int, Any] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stmt = select(model).where(model.org_id == scope.org_id, model.id.in_(chunk))
        found.update({row.id: row for row in session.scalars(stmt)})
    return found


def names(
    session: Session,
    scope: Scope,
    *,
    lines: Iterable[int | None] = (),
    operations: Iterable[int | None] = (),
    operators: Iterable[int | None] = (),
    bundles: Iterable[int | None] = (),
    orders: Iterable[int | None] = (),
) -> Names:
    """Return the named rows of the enterprise for the ids given."""
    return Names(
        lines=_rows(session, scope, ProductionLine, lines),
        operations=_rows(session, scope, Operation, operations),
        operators=_rows(session, scope, Operator, operators),
        bundles=_rows(session, scope, Bundle, bundles),
        orders=_rows(session, scope, ProductionOrder, orders),
    )


def names_of(session: Session, scope: Scope, rows: Sequence[Inspection]) -> Names:
    """Return the names an inspection list shows."""
    return names(
        session,
        scope,
        lines=[r.line_id for r in rows],
        operations=[r.operation_id for r in rows],
        operators=[r.operator_id for r in rows],
        bundles=[r.bundle_id for r in rows],
        orders=[r.order_id for r in rows],
    )


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    kind: str = "",
    line_id: int | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Inspection]:
    """Return one page of inspections, the latest first.

    ``q`` finds an operator by badge code or name, or a bundle by its ticket number.
    """
    repo = InspectionRepository(session, scope)
    stmt = repo.select()
    if kind in KINDS:
        stmt = stmt.where(Inspection.kind == kind)
    if line_id is not None:
        stmt = stmt.where(Inspection.line_id == line_id)
    if day_from is not None:
        stmt = stmt.where(Inspection.day >= day_from)
    if day_to is not None:
        stmt = stmt.where(Inspection.day <= day_to)
    term = q.strip()
    if term:
        like = f"%{term}%"
        people = select(Operator.id).where(
            Operator.org_id == scope.org_id,
            or_(Operator.code.ilike(like), Operator.name.ilike(like)),
        )
        matches = [Inspection.operator_id.in_(people)]
        if term.isdigit() and len(term) < 10:
            bundles = select(Bundle.id).where(
                Bundle.org_id == scope.org_id, Bundle.number == int(term)
            )
            matches.append(Inspection.bundle_id.in_(bundles))
        stmt = stmt.where(or_(*matches))
    stmt = stmt.order_by(Inspection.inspected_at.desc(), Inspection.id.desc())
    return repo.page(stmt, offset=offset, limit=limit)


@dataclass(frozen=True)
class DefectLine:
    """One defect row of an inspection with its catalogue entry and whom it is traced to."""

    row: InspectionDefect
    defect: DefectType | None


@dataclass(frozen=True)
class Detail:
    """An inspection with its defects, names, and the bundle's scans (operation → operator)."""

    inspection: Inspection
    defects: list[DefectLine]
    names: Names
    scans: list[tuple[int, int]]


def detail(session: Session, scope: Scope, inspection_id: int) -> Detail:
    """Return one inspection of the enterprise (another's answers NotFound)."""
    row = InspectionRepository(session, scope).get(inspection_id)
    rows = defects_of(session, scope, [row.id])
    catalogue_rows = {d.id: d for d in catalogue.all_defects(session, scope)}
    scans = (
        sorted(trace.operators_of_bundle(session, scope, row.bundle_id).items())
        if row.bundle_id is not None
        else []
    )
    shown = names(
        session,
        scope,
        lines=[row.line_id],
        operations=[row.operation_id, *(d.operation_id for d in rows), *(op for op, _ in scans)],
        operators=[row.operator_id, *(d.operator_id for d in rows), *(who for _, who in scans)],
        bundles=[row.bundle_id],
        orders=[row.order_id],
    )
    lines = [DefectLine(d, catalogue_rows.get(d.defect_id)) for d in rows]
    return Detail(row, lines, shown, scans)


def defect_counts(session: Session, scope: Scope, ids: list[int]) -> dict[int, dict[str, int]]:
    """Return {inspection id: {defect code: count}} for a list page."""
    codes = {d.id: d.code for d in catalogue.all_defects(session, scope)}
    found: dict[int, dict[str, int]] = {}
    for d in defects_of(session, scope, ids):
        per = found.setdefault(d.inspection_id, {})
        code = codes.get(d.defect_id, "?")
        per[code] = per.get(code, 0) + d.qty
    return found
