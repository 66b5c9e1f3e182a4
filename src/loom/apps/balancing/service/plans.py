"""Balancing plans: solve a style on a line, edit by hand, undo, rename, copy and delete.

Every change writes a revision and an audit event in the caller's transaction (flush only).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from loom.apps.balancing.codec import (
    assignment_json,
    assignment_of,
    figures_json,
    problem_of,
)
from loom.apps.balancing.models import BalancingPlan, BalancingRevision
from loom.apps.balancing.service.edits import Edit, apply
from loom.apps.balancing.service.inputs import PlanIn, build_problem, refuse
from loom.apps.balancing.solver.garment import evaluate, solve
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.service.checks import text_problems

TIME_LIMIT = 10.0  # seconds the solver may take for one plan
TARGET = "balancing_plan"


class PlanRepository(TenantRepository[BalancingPlan]):
    """The scope's enterprise's balancing plans."""

    model = BalancingPlan


class RevisionRepository(TenantRepository[BalancingRevision]):
    """The scope's enterprise's plan revisions."""

    model = BalancingRevision


def summary(figures: dict[str, Any]) -> dict[str, Any]:
    """Return the headline figures the audit trail and lists keep of an assignment."""
    return {
        "operators": figures["operators"],
        "bottleneck_e4": figures["bottleneck_e4"],
        "balance_efficiency": round(float(figures["balance_efficiency"]), 4),
        "output_per_hour": round(float(figures["output_per_hour"]), 2),
        "violations": len(figures.get("violations", [])),
    }


def snapshot(plan: BalancingPlan) -> dict[str, Any]:
    """Return a plan's fields as the audit trail records them."""
    return {
        "name": plan.name,
        "style_id": plan.style_id,
        "line_id": plan.line_id,
        "mode": plan.mode,
        "target_per_hour": plan.target_per_hour,
        "operators": plan.operators,
        "revision": plan.revision,
        "figures": summary(plan.figures),
    }


def _add_revision(
    session: Session, scope: Scope, plan: BalancingPlan, edit: dict[str, Any]
) -> None:
    RevisionRepository(session, scope).add(
        BalancingRevision(
            plan_id=plan.id,
            revision=plan.revision,
            edit=edit,
            assignment=plan.assignment,
            figures=plan.figures,
            created_by=scope.actor.label,
        )
    )


def create(
    session: Session, scope: Scope, data: PlanIn, *, time_limit: float = TIME_LIMIT
) -> BalancingPlan:
    """Solve a style (on a line, or with anonymous operators) and save the answer as a plan."""
    problem, problem_data = build_problem(session, scope, data)
    solution = solve(problem, time_limit=time_limit)
    if solution.assignment is None:
        field = "target_per_hour" if data.mode == "target" else "operators"
        raise ValidationFailed(
            "no assignment keeps every rule: %(reason)s",
            field=field,
            params={"reason": solution.message or solution.status},
        )
    figures = solution.figures or evaluate(problem, solution.assignment)
    stored = figures_json(figures)
    plan = BalancingPlan(
        name=data.name.strip(),
        style_id=data.style_id,
        line_id=data.line_id,
        mode=data.mode,
        target_per_hour=data.target_per_hour if data.mode == "target" else None,
        operators=data.operators if data.mode == "operators" else None,
        cycle_time_e4=problem.cycle_time_e4,
        problem=problem_data,
        assignment=assignment_json(solution.assignment),
        figures=stored,
        solved_figures=stored,
        revision=1,
        solver_status=solution.status,
        solver_optimal=solution.optimal,
        solver_lower_bound=solution.lower_bound,
        solver_seconds=round(solution.seconds, 3),
        created_by=scope.actor.label,
    )
    PlanRepository(session, scope).add(plan)
    _add_revision(session, scope, plan, {"op": "solve"})
    after = snapshot(plan) | {
        "solver": {
            "status": plan.solver_status,
            "optimal": plan.solver_optimal,
            "lower_bound": plan.solver_lower_bound,
        }
    }
    record_scoped(session, scope, "balancing.plan.created", TARGET, plan.id, after=after)
    return plan


def get(session: Session, scope: Scope, plan_id: int) -> BalancingPlan:
    """Return one plan (404 for another enterprise's)."""
    return PlanRepository(session, scope).get(plan_id)


def edit(session: Session, scope: Scope, plan_id: int, change: Edit) -> BalancingPlan:
    """Apply one hand edit, re-evaluate, and save the result as the plan's next revision."""
    plan = get(session, scope, plan_id)
    problem = problem_of(plan.problem)
    assignment = apply(problem, assignment_of(plan.assignment), change)
    before = {"revision": plan.revision, "figures": summary(plan.figures)}
    plan.assignment = assignment_json(assignment)
    plan.figures = figures_json(evaluate(problem, assignment))
    plan.revision += 1
    session.flush()
    _add_revision(session, scope, plan, change.as_json())
    after = {"revision": plan.revision, "edit": change.as_json(), "figures": summary(plan.figures)}
    record_scoped(
        session, scope, "balancing.plan.edited", TARGET, plan.id, before=before, after=after
    )
    return plan


def undo(session: Session, scope: Scope, plan_id: int) -> BalancingPlan:
    """Drop the plan's newest revision and return to the one before it."""
    plan = get(session, scope, plan_id)
    if plan.revision <= 1:
        raise Conflict("there is no edit to undo", field="revision")
    revisions = RevisionRepository(session, scope)
    stmt = revisions.select().where(
        BalancingRevision.plan_id == plan.id, BalancingRevision.revision >= plan.revision - 1
    )
    rows = {r.revision: r for r in session.scalars(stmt)}
    previous = rows[plan.revision - 1]
    before = {"revision": plan.revision, "figures": summary(plan.figures)}
    if plan.revision in rows:
        revisions.delete(rows[plan.revision])
    plan.assignment = previous.assignment
    plan.figures = previous.figures
    plan.revision = previous.revision
    session.flush()
    after = {"revision": plan.revision, "figures": summary(plan.figures)}
    record_scoped(
        session, scope, "balancing.plan.undone", TARGET, plan.id, before=before, after=after
    )
    return plan


def rename(session: Session, scope: Scope, plan_id: int, name: str) -> BalancingPlan:
    """Save the plan under another name."""
    plan = get(session, scope, plan_id)
    refuse(text_problems("name", name, 200, required=True))
    if name.strip() != plan.name:
        before = {"name": plan.name}
        plan.name = name.strip()
        session.flush()
        record_scoped(
            session,
            scope,
            "balancing.plan.renamed",
            TARGET,
            plan.id,
            before=before,
            after={"name": plan.name},
        )
    return plan


def copy(session: Session, scope: Scope, plan_id: int, name: str) -> BalancingPlan:
    """Save the plan's current assignment as a new plan, to edit a variant and compare."""
    source = get(session, scope, plan_id)
    refuse(text_problems("name", name, 200, required=True))
    plan = BalancingPlan(
        name=name.strip(),
        style_id=source.style_id,
        line_id=source.line_id,
        mode=source.mode,
        target_per_hour=source.target_per_hour,
        operators=source.operators,
        cycle_time_e4=source.cycle_time_e4,
        problem=source.problem,
        assignment=source.assignment,
        figures=source.figures,
        solved_figures=source.solved_figures,
        revision=1,
        solver_status=source.solver_status,
        solver_optimal=source.solver_optimal,
        solver_lower_bound=source.solver_lower_bound,
        solver_seconds=source.solver_seconds,
        created_by=scope.actor.label,
    )
    PlanRepository(session, scope).add(plan)
    _add_revision(session, scope, plan, {"op": "copy", "from_plan": source.id})
    after = snapshot(plan) | {"copied_from": source.id}
    record_scoped(session, scope, "balancing.plan.created", TARGET, plan.id, after=after)
    return plan


def delete(session: Session, scope: Scope, plan_id: int) -> None:
    """Delete a plan and its revisions; what was published to the line stays there."""
    plans = PlanRepository(session, scope)
    plan = plans.get(plan_id)
    before = snapshot(plan)
    revisions = RevisionRepository(session, scope)
    # revisions first: their composite key to the plan must never dangle, even mid-flush
    for row in session.scalars(revisions.select().where(BalancingRevision.plan_id == plan.id)):
        revisions.delete(row)
    plans.delete(plan)
    record_scoped(session, scope, "balancing.plan.deleted", TARGET, plan_id, before=before)


def revisions_of(session: Session, scope: Scope, plan_id: int) -> list[BalancingRevision]:
    """Return a plan's revisions, newest first."""
    plan = get(session, scope, plan_id)
    stmt = (
        RevisionRepository(session, scope)
        .select()
        .where(BalancingRevision.plan_id == plan.id)
        .order_by(BalancingRevision.revision.desc())
    )
    return list(session.scalars(stmt))


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    style_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[BalancingPlan]:
    """Return one page of plans, newest first, searched in the plan's name and style."""
    repo = PlanRepository(session, scope)
    stmt = repo.select().order_by(BalancingPlan.created_at.desc(), BalancingPlan.id.desc())
    term = q.strip()
    if term:
        like = f"%{term}%"
        styles = select(Style.id).where(
            Style.org_id == scope.org_id, or_(Style.code.ilike(like), Style.name.ilike(like))
        )
        stmt = stmt.where(or_(BalancingPlan.name.ilike(like), BalancingPlan.style_id.in_(styles)))
    if style_id is not None:
        stmt = stmt.where(BalancingPlan.style_id == style_id)
    return repo.page(stmt, offset=offset, limit=limit)


def count(session: Session, scope: Scope) -> int:
    """Return how many plans the enterprise has."""
    stmt = select(func.count()).select_from(PlanRepository(session, scope).select().subquery())
    return session.scalar(stmt) or 0
