"""Publish a valid plan to its line, where scan checks and the dashboard read it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.balancing.i18n import msgid
from loom.apps.balancing.models import BalancingPlan
from loom.apps.balancing.service.plans import TARGET, get, summary
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import LinePlan
from loom.modules.masterdata.service.line_plans import PlannedTask, publish_line_plan


def publish_problems(plan: BalancingPlan) -> list[tuple[str, str]]:
    """Return why a plan cannot be published, as (field, English msgid); empty when it can."""
    found: list[tuple[str, str]] = []
    if plan.line_id is None:
        found.append(("line_id", msgid("the plan has no production line")))
    if plan.figures.get("violations"):
        found.append(("violations", msgid("the plan breaks rules: fix the violations first")))
    stations = plan.assignment["stations"]
    if not stations or any(not s["tasks"] for s in stations):
        found.append(("stations", msgid("every station needs at least one operation")))
    if any(s["worker_id"] is None for s in stations):
        found.append(("stations", msgid("every station needs a named operator")))
    return found


def entries_of(plan: BalancingPlan) -> list[PlannedTask]:
    """Return the plan's stations as the line's planned tasks, stations numbered from 1."""
    return [
        PlannedTask(
            station_seq=seq,
            operator_id=int(station["worker_id"]),
            operation_id=int(task),
            parts=int(parts),
        )
        for seq, station in enumerate(plan.assignment["stations"], start=1)
        for task, parts in station["tasks"]
    ]


def publish(session: Session, scope: Scope, plan_id: int) -> BalancingPlan:
    """Publish the plan's current revision as its line's new plan version.

    The line is told the pace the plan was made for: the cycle time of the target output,
    or, for a plan by number of operators, the bottleneck load it reaches.
    """
    plan = get(session, scope, plan_id)
    problems = publish_problems(plan)
    if problems:
        field, message = problems[0]
        raise ValidationFailed(
            message,
            details=[{"field": f, "message": m} for f, m in problems],
            field=field,
        )
    assert plan.line_id is not None  # publish_problems refuses a plan without a line
    pace = plan.cycle_time_e4 or int(plan.figures["bottleneck_e4"]) or None
    line_plan_id = publish_line_plan(
        session,
        scope,
        line_id=plan.line_id,
        style_id=plan.style_id,
        entries=entries_of(plan),
        source=f"balancing plan {plan.id}",
        cycle_time_e4=pace,
    )
    # the line's version counter belongs to master data: read back what it gave this plan
    version = session.scalar(
        select(LinePlan.version).where(LinePlan.org_id == scope.org_id, LinePlan.id == line_plan_id)
    )
    before = {
        "published_version": plan.published_version,
        "published_revision": plan.published_revision,
    }
    plan.published_at = utcnow()
    plan.published_by = scope.actor.label
    plan.published_version = version
    plan.published_revision = plan.revision
    session.flush()
    after = {
        "line_id": plan.line_id,
        "line_plan_id": line_plan_id,
        "published_version": version,
        "published_revision": plan.revision,
        "figures": summary(plan.figures),
    }
    record_scoped(
        session, scope, "balancing.plan.published", TARGET, plan.id, before=before, after=after
    )
    return plan
