"""Plans: run the planner on the open orders, store the result, adopt one as the current plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import Allocation, SchedulePlan
from loom.apps.scheduling.service.problem import Skipped, build_problem, problem_to_json
from loom.apps.scheduling.solver import model
from loom.apps.scheduling.solver.aps import dispatch_edd, schedule
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.figures import local_today

DEFAULT_TIME_LIMIT = 10
MAX_TIME_LIMIT = 120
#: the first days a plan may start on: its horizon must stay inside the calendar
EARLIEST_START = date(2000, 1, 1)
LATEST_START = date(2999, 12, 31)
#: the planner's random seed: the same problem gives the same plan
SEED = 1


def today() -> date:
    """Return today in Beijing time, the factories' day."""
    return local_today(utcnow())


class PlanRepository(TenantRepository[SchedulePlan]):
    """The scope's enterprise's plans and what-if scenarios."""

    model = SchedulePlan


def snapshot(plan: SchedulePlan) -> dict[str, Any]:
    """Return a plan's figures as the audit trail records them."""
    return {
        "name": plan.name,
        "kind": plan.kind,
        "status": plan.status,
        "start": plan.start.isoformat(),
        "weighted_tardiness": plan.weighted_tardiness,
        "late_days": plan.late_days,
        "changeovers": plan.changeovers,
        "unplanned": list(plan.unplanned),
        "scenario": dict(plan.scenario),
    }


def check_time_limit(time_limit: int) -> None:
    """Refuse a time limit outside 1 to 120 seconds, naming the field."""
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationFailed(
            "time_limit: seconds from 1 to %(n)s", field="time_limit", params={"n": MAX_TIME_LIMIT}
        )


def solve(
    problem: model.Problem,
    time_limit: int,
    initial: Mapping[int, Sequence[int]] | None = None,
) -> tuple[model.Plan, model.Plan]:
    """Return the planner's plan (improving ``initial`` if given) and the EDD baseline."""
    return schedule(problem, time_limit=time_limit, seed=SEED, initial=initial), dispatch_edd(
        problem
    )


def store(
    session: Session,
    scope: Scope,
    *,
    problem: model.Problem,
    any_category: frozenset[int],
    plan: model.Plan,
    baseline: model.Plan,
    name: str,
    time_limit: int,
    kind: str = "plan",
    base_plan_id: int | None = None,
    scenario: dict[str, Any] | None = None,
) -> SchedulePlan:
    """Store a solved plan as a draft with its allocations, and audit it."""
    orders = {o.id: o for o in problem.orders}
    row = SchedulePlan(
        org_id=scope.org_id,
        name=name.strip()[:200],
        kind=kind,
        status="draft",
        start=problem.start,
        time_limit=time_limit,
        base_plan_id=base_plan_id,
        scenario=scenario or {},
        inputs=problem_to_json(problem, any_category),
        method=plan.method[:40],
        seconds=round(plan.seconds, 3),
        weighted_tardiness=plan.weighted_tardiness,
        late_days=plan.late_days,
        changeovers=plan.changeovers,
        late_orders=sum(1 for a in plan.allocations if a.tardy_days > 0),
        edd_weighted_tardiness=baseline.weighted_tardiness,
        edd_late_days=baseline.late_days,
        edd_changeovers=baseline.changeovers,
        unplanned=list(plan.unplanned),
        created_by=scope.actor.label[:200],
    )
    session.add(row)
    session.flush()
    seq: dict[int, int] = {}
    for alloc in sorted(plan.allocations, key=lambda a: (a.line_id, a.start, a.finish)):
        order = orders[alloc.order_id]
        seq[alloc.line_id] = seq.get(alloc.line_id, 0) + 1
        session.add(
            Allocation(
                org_id=scope.org_id,
                plan_id=row.id,
                order_ref=order.id,
                # a what-if's rush order exists only in the scenario
                order_id=order.id if order.id > 0 else None,
                order_code=order.code[:40],
                style=order.style[:40],
                line_id=alloc.line_id,
                seq=seq[alloc.line_id],
                start=alloc.start,
                finish=alloc.finish,
                due=order.due,
                quantity=order.quantity,
                weight=order.weight,
                tardy_days=alloc.tardy_days,
                changeover=alloc.changeover,
                daily=[[day.isoformat(), pieces] for day, pieces in alloc.daily],
            )
        )
    session.flush()
    action = "scheduling.whatif.created" if kind == "whatif" else "scheduling.plan.created"
    record_scoped(session, scope, action, "plan", row.id, after=snapshot(row))
    return row


def run_plan(
    session: Session,
    scope: Scope,
    *,
    start: date,
    time_limit: int = DEFAULT_TIME_LIMIT,
    name: str = "",
) -> tuple[SchedulePlan, list[Skipped]]:
    """Plan the open orders from ``start``, store the draft; return it and the orders left out."""
    check_time_limit(time_limit)
    if len(name.strip()) > 200:
        raise ValidationFailed(
            "name: at most %(limit)s characters", field="name", params={"limit": 200}
        )
    if not EARLIEST_START <= start <= LATEST_START:
        raise ValidationFailed(
            "start: a date from %(first)s to %(last)s",
            field="start",
            params={"first": EARLIEST_START.isoformat(), "last": LATEST_START.isoformat()},
        )
    built = build_problem(session, scope, start)
    if not built.problem.lines:
        raise ValidationFailed(
            "start: no active sewing line to plan on; add one in the master data", field="start"
        )
    plan, baseline = solve(built.problem, time_limit)
    # a plain plan's scenario lists the open orders it left out, for its page
    left_out = [
        {"order_id": s.order_id, "number": s.number, "reason": s.reason} for s in built.skipped
    ]
    row = store(
        session,
        scope,
        problem=built.problem,
        any_category=built.any_category,
        plan=plan,
        baseline=baseline,
        name=name or start.isoformat(),
        time_limit=time_limit,
        scenario={"skipped": left_out} if left_out else None,
    )
    return row, built.skipped


def current(session: Session, scope: Scope) -> SchedulePlan | None:
    """Return the adopted plan, if any."""
    stmt = PlanRepository(session, scope).select().where(SchedulePlan.status == "adopted")
    return session.scalars(stmt).first()


def adopt(session: Session, scope: Scope, plan_id: int) -> SchedulePlan:
    """Make a draft plan (or what-if) the current plan; the previous one is superseded."""
    plan = PlanRepository(session, scope).get(plan_id)
    if plan.status != "draft":
        raise Conflict(
            "plan %(id)s is %(status)s: only a draft can be adopted",
            params={"id": plan.id, "status": plan.status},
        )
    previous = current(session, scope)
    if previous is not None:
        before = snapshot(previous)
        previous.status = "superseded"
        session.flush()
        record_scoped(
            session,
            scope,
            "scheduling.plan.superseded",
            "plan",
            previous.id,
            before=before,
            after=snapshot(previous),
        )
    before = snapshot(plan)
    plan.status = "adopted"
    session.flush()
    record_scoped(
        session,
        scope,
        "scheduling.plan.adopted",
        "plan",
        plan.id,
        before=before,
        after=snapshot(plan),
    )
    return plan


def discard(session: Session, scope: Scope, plan_id: int) -> None:
    """Delete a draft plan or what-if with its allocations; the adopted plan stays."""
    repo = PlanRepository(session, scope)
    plan = repo.get(plan_id)
    if plan.status == "adopted":
        raise Conflict(
            "plan %(id)s is the current plan and cannot be discarded", params={"id": plan.id}
        )
    before = snapshot(plan)
    repo.delete(plan)
    record_scoped(session, scope, "scheduling.plan.discarded", "plan", plan_id, before=before)


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    kind: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[SchedulePlan]:
    """Return one page of plans, newest first, searched in the name, by kind."""
    repo = PlanRepository(session, scope)
    stmt = repo.select().order_by(SchedulePlan.id.desc())
    if q.strip():
        stmt = stmt.where(SchedulePlan.name.ilike(f"%{q.strip()}%"))
    if kind:
        stmt = stmt.where(SchedulePlan.kind == kind)
    return repo.page(stmt, offset=offset, limit=limit)


def allocations_of(session: Session, scope: Scope, plan_id: int) -> Sequence[Allocation]:
    """Return a plan's allocations by line and position (another tenant's plan: 404)."""
    PlanRepository(session, scope).get(plan_id)
    stmt = (
        select(Allocation)
        .where(Allocation.org_id == scope.org_id, Allocation.plan_id == plan_id)
        .order_by(Allocation.line_id, Allocation.seq)
    )
    return session.scalars(stmt).all()


def solver_plan(row: SchedulePlan, allocations: Sequence[Allocation]) -> model.Plan:
    """Rebuild the solver's plan from a stored plan, for load charts and comparisons."""
    return model.Plan(
        allocations=tuple(
            model.Allocation(
                order_id=a.order_ref,
                line_id=a.line_id,
                start=a.start,
                finish=a.finish,
                daily=tuple((date.fromisoformat(d), int(n)) for d, n in a.daily),
                tardy_days=a.tardy_days,
                changeover=a.changeover,
            )
            for a in sorted(allocations, key=lambda a: (a.line_id, a.seq))
        ),
        unplanned=tuple(row.unplanned),
        weighted_tardiness=row.weighted_tardiness,
        late_days=row.late_days,
        changeovers=row.changeovers,
        seconds=row.seconds,
        method=row.method,
    )


def adopted_order_windows(session: Session, scope: Scope) -> dict[int, tuple[date, date]]:
    """Return production order id → (first, last) sewing day in the adopted plan."""
    stmt = (
        select(Allocation.order_id, Allocation.start, Allocation.finish)
        .join(
            SchedulePlan,
            (SchedulePlan.id == Allocation.plan_id) & (SchedulePlan.org_id == Allocation.org_id),
        )
        .where(
            Allocation.org_id == scope.org_id,
            SchedulePlan.status == "adopted",
            Allocation.order_id.is_not(None),
        )
    )
    return {oid: (start, finish) for oid, start, finish in session.execute(stmt) if oid is not None}
