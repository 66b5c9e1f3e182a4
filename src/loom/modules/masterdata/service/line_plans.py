"""Balanced plans published to a line: which operator sews which operations of a style.

A planning app (line balancing) publishes; the shop floor reads the line's current plan to judge
scans and to show who does what. Each publication is a new version; the latest one is current
until the next publication replaces it or a manager withdraws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import MAX_ID, TenantRepository
from loom.kernel.errors import Conflict, NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import (
    LinePlan,
    Operation,
    Operator,
    ProductionLine,
    RoutingStep,
    Style,
)
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.line_plan_views import (
    LinePlanView,
    PlanStationView,
    PlanTaskView,
    describe,
    get_owned,
)

MAX_TASKS = 1000  # entries of one plan: a typo guard (80 operations split 4 ways fit easily)
MAX_STATION_SEQ = 9999  # as for workstation positions
MAX_PARTS = 20  # an operation shared by more operators than this is a mistake
MAX_CYCLE_TIME_E4 = 600 * 10_000  # ten hours per piece


@dataclass(frozen=True)
class PlannedTask:
    """One operator's share of an operation at a station: they sew 1/``parts`` of it."""

    station_seq: int
    operator_id: int
    operation_id: int
    parts: int = 1


class LinePlanRepository(TenantRepository[LinePlan]):
    """The scope's enterprise's published line plans, every version."""

    model = LinePlan


def snapshot(plan: LinePlan) -> dict[str, Any]:
    """Return a plan's fields as the audit trail records them."""
    return {
        "line_id": plan.line_id,
        "style_id": plan.style_id,
        "version": plan.version,
        "source": plan.source,
        "cycle_time_e4": plan.cycle_time_e4,
        "tasks": plan.tasks,
    }


def _entry_problems(
    entries: Sequence[PlannedTask],
    operators: dict[int, Operator],
    routing: set[int],
    known_ops: set[int],
    line_id: int,
) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    if not entries:
        found.append(FieldProblem("entries", "must not be empty"))
    if len(entries) > MAX_TASKS:
        found.append(FieldProblem("entries", "at most %(n)s entries", {"n": MAX_TASKS}))
    station_operator: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        if not 1 <= entry.station_seq <= MAX_STATION_SEQ:
            found.append(FieldProblem(f"{where}.station_seq", "a position from 1 to 9999"))
        if not 1 <= entry.parts <= MAX_PARTS:
            found.append(FieldProblem(f"{where}.parts", "a number of parts from 1 to 20"))
        operator = operators.get(entry.operator_id)
        if operator is None:
            found.append(FieldProblem(f"{where}.operator_id", "no such operator"))
        elif operator.line_id != line_id:
            found.append(
                FieldProblem(
                    f"{where}.operator_id",
                    "operator %(code)s does not work on this line",
                    {"code": operator.code},
                )
            )
        if entry.operation_id not in known_ops:
            found.append(FieldProblem(f"{where}.operation_id", "no such operation"))
        elif entry.operation_id not in routing:
            found.append(
                FieldProblem(f"{where}.operation_id", "the operation is not on the style's routing")
            )
        # one operator per station: a station is one person's place on the line
        holder = station_operator.setdefault(entry.station_seq, entry.operator_id)
        if holder != entry.operator_id:
            found.append(
                FieldProblem(f"{where}.operator_id", "the station has another operator already")
            )
        key = (entry.station_seq, entry.operation_id)
        if key in seen:
            found.append(
                FieldProblem(
                    f"{where}.operation_id", "the operation is listed twice at this station"
                )
            )
        seen.add(key)
    return found


def publish_line_plan(
    session: Session,
    scope: Scope,
    *,
    line_id: int,
    style_id: int,
    entries: Sequence[PlannedTask],
    source: str,
    cycle_time_e4: int | None,
) -> int:
    """Publish a plan to a line as its new current version; return the new plan's id."""
    org = scope.org_id
    line: ProductionLine | None = get_owned(session, ProductionLine, org, line_id)
    style: Style | None = get_owned(session, Style, org, style_id)
    found: list[FieldProblem] = []
    if line is None:
        found.append(FieldProblem("line_id", "no such line"))
    if style is None:
        found.append(FieldProblem("style_id", "no such style"))
    found.extend(text_problems("source", source, 200, required=False))
    if cycle_time_e4 is not None and not 0 < cycle_time_e4 <= MAX_CYCLE_TIME_E4:
        found.append(
            FieldProblem(
                "cycle_time_e4", "a cycle time from 1 to %(max)s", {"max": MAX_CYCLE_TIME_E4}
            )
        )
    operator_ids = {e.operator_id for e in entries if 0 < e.operator_id <= MAX_ID}
    operation_ids = {e.operation_id for e in entries if 0 < e.operation_id <= MAX_ID}
    operators = {
        o.id: o
        for o in session.scalars(
            select(Operator).where(Operator.org_id == org, Operator.id.in_(operator_ids))
        )
    }
    known_ops = set(
        session.scalars(
            select(Operation.id).where(Operation.org_id == org, Operation.id.in_(operation_ids))
        )
    )
    routing = (
        set(
            session.scalars(
                select(RoutingStep.operation_id).where(
                    RoutingStep.org_id == org, RoutingStep.style_id == style.id
                )
            )
        )
        if style is not None
        else known_ops  # no style: report only the style, not every operation again
    )
    found.extend(_entry_problems(entries, operators, routing, known_ops, line_id))
    raise_problems(found)
    # raise_problems stopped otherwise
    assert line is not None
    assert style is not None

    previous = _current_row(session, scope, line.id)
    last_version = session.scalar(
        select(func.max(LinePlan.version)).where(
            LinePlan.org_id == org, LinePlan.line_id == line.id
        )
    )
    if previous is not None:
        previous.current = False
    plan = LinePlan(
        org_id=org,
        line_id=line.id,
        style_id=style.id,
        version=(last_version or 0) + 1,
        source=source.strip(),
        cycle_time_e4=cycle_time_e4,
        tasks=[
            {
                "station_seq": e.station_seq,
                "operator_id": e.operator_id,
                "operation_id": e.operation_id,
                "parts": e.parts,
            }
            for e in sorted(entries, key=lambda e: (e.station_seq, e.operation_id))
        ],
        current=True,
        published_at=utcnow(),
        published_by=scope.actor.label,
    )
    try:
        # a savepoint: a concurrent publication to the same line took this version number
        with session.begin_nested():
            session.add(plan)
    except IntegrityError as exc:
        raise Conflict(
            "line %(code)s was published to at the same time; publish again",
            params={"code": line.code},
        ) from exc
    record_scoped(
        session,
        scope,
        "masterdata.line_plan.published",
        "line_plan",
        plan.id,
        before=snapshot(previous) if previous is not None else None,
        after=snapshot(plan),
    )
    return plan.id


def _current_row(session: Session, scope: Scope, line_id: int) -> LinePlan | None:
    stmt = (
        LinePlanRepository(session, scope)
        .select()
        .where(LinePlan.line_id == line_id, LinePlan.current.is_(True))
        .order_by(LinePlan.version.desc())
    )
    return session.scalars(stmt).first()


def withdraw_line_plan(session: Session, scope: Scope, line_id: int) -> int:
    """Withdraw a line's current plan (the line then runs without one); return its id."""
    line: ProductionLine | None = get_owned(session, ProductionLine, scope.org_id, line_id)
    if line is None:
        raise NotFound(
            "%(kind)s %(id)s not found", params={"kind": "ProductionLine", "id": line_id}
        )
    plan = _current_row(session, scope, line.id)
    if plan is None:
        raise NotFound("line %(code)s has no published plan", params={"code": line.code})
    # update by statement: a concurrent publication of the same line then loses nothing
    session.execute(
        update(LinePlan)
        .where(LinePlan.id == plan.id, LinePlan.org_id == scope.org_id)
        .values(current=False, withdrawn_at=utcnow(), withdrawn_by=scope.actor.label)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    record_scoped(
        session,
        scope,
        "masterdata.line_plan.withdrawn",
        "line_plan",
        plan.id,
        before=snapshot(plan),
    )
    return plan.id


def plan_versions(session: Session, scope: Scope, line_id: int) -> Sequence[LinePlan]:
    """Return every published version of a line's plan, newest first (404 for another's line)."""
    line: ProductionLine | None = get_owned(session, ProductionLine, scope.org_id, line_id)
    if line is None:
        raise NotFound(
            "%(kind)s %(id)s not found", params={"kind": "ProductionLine", "id": line_id}
        )
    stmt = (
        LinePlanRepository(session, scope)
        .select()
        .where(LinePlan.line_id == line.id)
        .order_by(LinePlan.version.desc())
    )
    return session.scalars(stmt).all()


def current_line_plan(session: Session, scope: Scope, line_id: int) -> LinePlanView | None:
    """Return a line's current plan with codes and names to show, or None without one."""
    plan = _current_row(session, scope, line_id)
    if plan is None:
        return None
    return describe(session, scope, plan)


def assignments_by_line(
    session: Session, org_id: int, line_ids: set[int]
) -> dict[int, tuple[int, frozenset[tuple[int, int]]]]:
    """Return {line id: (style id, {(operation id, operator id)})} of the lines' current plans.

    The shop floor's scan check calls this once per ingest batch, with the organisation the
    batch was authenticated for, so it takes the org id rather than a user's scope.
    """
    if not line_ids:
        return {}
    rows = session.execute(
        select(LinePlan.line_id, LinePlan.style_id, LinePlan.tasks).where(
            LinePlan.org_id == org_id,
            LinePlan.line_id.in_(line_ids),
            LinePlan.current.is_(True),
        )
    )
    return {
        line: (style, frozenset((t["operation_id"], t["operator_id"]) for t in tasks))
        for line, style, tasks in rows
    }


__all__ = [
    "LinePlanView",
    "PlanStationView",
    "PlanTaskView",
    "PlannedTask",
    "assignments_by_line",
    "current_line_plan",
    "describe",
    "plan_versions",
    "publish_line_plan",
    "withdraw_line_plan",
]
