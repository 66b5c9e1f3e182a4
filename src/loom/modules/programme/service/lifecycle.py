"""Project lifecycle: every transition checked by the engine, recorded and audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.errors import PermissionDenied, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.engine import (
    Plan,
    ProjectAction,
    ProjectFacts,
    allowed_actions,
    apply,
    is_overdue,
    permission_for,
)
from loom.modules.programme.models import Enterprise, Project, Transition
from loom.modules.programme.service.onsite import (
    Evaluation,
    add_evaluation,
    latest_evaluation,
    onsite_results,
)
from loom.modules.programme.service.plans import active_plan, batch_deadline
from loom.modules.programme.service.projects import child, get, investment_total, snapshot

#: actions the bureau (the project's owner) takes; the others belong to a party
OWNER_ACTIONS = frozenset(
    {
        ProjectAction.APPROVE,
        ProjectAction.BEGIN_REVIEW,
        ProjectAction.ACCEPT,
        ProjectAction.REQUIRE_RECTIFICATION,
        ProjectAction.WITHDRAW,
        ProjectAction.DESIGNATE_REGIONAL_SAMPLE,
        ProjectAction.DESIGNATE_MUNICIPAL_SAMPLE,
        ProjectAction.DESIGNATE_BENCHMARK,
    }
)


def facts(session: Session, project: Project, today: date) -> ProjectFacts:
    """Return what the lifecycle rules need to know about a project today."""
    results = onsite_results(session, project)
    after = results.get("after")
    evaluation = latest_evaluation(session, project)
    plan = active_plan(session, project.org_id)
    return ProjectFacts(
        has_contractor=project.contractor_org_id is not None,
        has_plan=bool(project.plan),
        onsite_after_level=after.level if after is not None else None,
        has_before_assessment="before" in results,
        acceptance_decided=evaluation is not None and evaluation.decision == "pass",
        batch_deadline=batch_deadline(plan, project.batch),
        today=today,
        contract_signed=project.contract_signed_on is not None,
        has_investment=investment_total(session, project) > 0,
    )


def overdue(session: Session, project: Project, today: date) -> bool:
    """Return whether the project missed its batch's deadline."""
    return bool(overdue_among(session, [project], today))


def overdue_among(session: Session, projects: Iterable[Project], today: date) -> set[int]:
    """Return the ids of the projects that missed their batch's deadline.

    The plan is read once per owning bureau, not once per project (a listing shows 25).
    """
    plans: dict[int, Plan] = {}
    late = set()
    for project in projects:
        if project.org_id not in plans:
            plans[project.org_id] = active_plan(session, project.org_id)
        deadline = batch_deadline(plans[project.org_id], project.batch)
        if is_overdue(project.status, deadline, today):
            late.add(project.id)
    return late


def actions_for(session: Session, scope: Scope, project: Project) -> list[ProjectAction]:
    """Return the actions the caller may take on the project now (for buttons)."""
    return [
        action
        for action in allowed_actions(project.status, frozenset(project.honours))
        if _may(scope, project, action)
    ]


def _may(scope: Scope, project: Project, action: ProjectAction) -> bool:
    if not scope.can(permission_for(action)):
        return False
    if action in OWNER_ACTIONS:
        return project.org_id == scope.org_id
    return scope.org_id in (project.org_id, project.enterprise_org_id, project.contractor_org_id)


def transition(
    session: Session,
    scope: Scope,
    project_id: int,
    action_name: str,
    *,
    reason: str = "",
    today: date | None = None,
    when: datetime | None = None,
) -> Project:
    """Take one lifecycle step, refusing it with every reason when a rule does not hold.

    ``when`` dates the step (default now): only the demo seed replays a past programme.
    """
    project = get(session, scope, project_id)
    try:
        action = ProjectAction(action_name)
    except ValueError:
        raise ValidationFailed(
            "action: unknown action %(action)s", field="action", params={"action": action_name}
        ) from None
    if not _may(scope, project, action):
        raise PermissionDenied(
            "you may not %(action)s this project", params={"action": action.value}
        )
    return _step(session, scope, project, action, reason, today or date.today(), when)


def _step(
    session: Session,
    scope: Scope,
    project: Project,
    action: ProjectAction,
    reason: str,
    today: date,
    when: datetime | None = None,
) -> Project:
    before = snapshot(project)
    plan = active_plan(session, project.org_id)
    # IllegalTransition is a 409 that lists every broken rule, in English and Chinese
    status, honours = apply(
        project.status,
        frozenset(project.honours),
        action,
        facts(session, project, today),
        reason=reason,
        acceptance_min_level=plan.acceptance_min_level,
    )
    session.add(
        child(
            project,
            Transition,
            action=action.value,
            from_status=project.status,
            to_status=str(status),
            reason=reason.strip()[:1000],
            actor=scope.actor.label,
            actor_org_id=scope.org_id,
            at=when or utcnow(),
        )
    )
    project.status = str(status)
    project.honours = sorted(str(h) for h in honours)
    project.status_changed_at = when or utcnow()
    if action == ProjectAction.ACCEPT:
        _record_level(session, project, today)
    session.flush()
    record_scoped(
        session,
        scope,
        f"programme.project.{action.value}",
        "project",
        project.id,
        before=before,
        after={**snapshot(project), "reason": reason.strip()},
    )
    return project


def _record_level(session: Session, project: Project, today: date) -> None:
    # Acceptance makes the on-site level the registry's known level of the enterprise.
    after = onsite_results(session, project).get("after")
    enterprise = session.get(Enterprise, project.enterprise_id)
    if after is not None and enterprise is not None:
        enterprise.digital_level = after.level
        enterprise.level_source = "onsite"
        enterprise.level_on = after.assessed_on


def decide(
    session: Session,
    scope: Scope,
    project_id: int,
    evaluation: Evaluation,
    today: date | None = None,
    when: datetime | None = None,
) -> Project:
    """Record the expert evaluation and accept the project or send it back for rectification."""
    project = get(session, scope, project_id)
    action = (
        ProjectAction.ACCEPT
        if evaluation.decision == "pass"
        else ProjectAction.REQUIRE_RECTIFICATION
    )
    if not _may(scope, project, action):
        raise PermissionDenied("only the bureau decides acceptance")
    add_evaluation(session, scope, project, evaluation)
    return _step(session, scope, project, action, evaluation.reasons, today or date.today(), when)


def history(session: Session, project: Project) -> list[Transition]:
    """Return the project's transitions, oldest first."""
    stmt = select(Transition).where(Transition.project_id == project.id).order_by(Transition.id)
    return list(session.scalars(stmt))
