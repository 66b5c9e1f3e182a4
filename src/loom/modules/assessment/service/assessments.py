"""Assessments: self-assessments by enterprises, on-site ones by assessors, before and after."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.engine import ScoreResult, score
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.service.rulesets import compiled_rules, get_ruleset

KINDS = ("self", "onsite")
PHASES = ("before", "after")


class AssessmentRepository(TenantRepository[Assessment]):
    """Assessments the scope's organisation owns or takes part in (as assessor)."""

    model = Assessment

    def listing(
        self, *, kind: str = "", phase: str = "", q: str = "", offset: int = 0, limit: int = 50
    ) -> Page[Assessment]:
        """Return assessments, newest first, filtered by kind, phase and title."""
        stmt = self.select()
        if kind:
            stmt = stmt.where(Assessment.kind == kind)
        if phase:
            stmt = stmt.where(Assessment.phase == phase)
        if q.strip():
            stmt = stmt.where(Assessment.title.ilike(f"%{q.strip()}%"))
        stmt = stmt.order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        return self.page(stmt, offset=offset, limit=limit)


def _check_choice(value: str, choices: tuple[str, ...], field: str) -> None:
    if value not in choices:
        raise ValidationFailed(
            "%(field)s: one of %(choices)s",
            field=field,
            params={"field": field, "choices": ", ".join(choices)},
        )


def _snapshot(a: Assessment) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "phase": a.phase,
        "status": a.status,
        "title": a.title,
        "assessed_on": a.assessed_on,
        "score": a.score,
        "level": a.level,
    }


def create(
    session: Session,
    scope: Scope,
    *,
    phase: str,
    assessed_on: date,
    title: str = "",
    ruleset: str | None = None,
    enterprise_org_id: int | None = None,
) -> Assessment:
    """Start a self-assessment, or (for assessors) an on-site one of an enterprise."""
    _check_choice(phase, PHASES, "phase")
    rules = get_ruleset(session, ruleset)
    if scope.org_kind == OrgKind.ASSESSOR:
        if enterprise_org_id is None:
            raise ValidationFailed("enterprise: choose the enterprise assessed", field="enterprise")
        target = session.get(Organisation, enterprise_org_id)
        if target is None or target.kind != OrgKind.ENTERPRISE:
            raise NotFound("enterprise not found", field="enterprise")
        kind, owner, assessor = "onsite", target.id, scope.org_id
    elif scope.org_kind == OrgKind.ENTERPRISE:
        kind, owner, assessor = "self", scope.org_id, None
    else:
        raise PermissionDenied("only enterprises and assessors record assessments")
    assessment = Assessment(
        org_id=owner,
        assessor_org_id=assessor,
        kind=kind,
        phase=phase,
        assessed_on=assessed_on,
        title=title.strip()[:200],
        ruleset_id=rules.id,
        questionnaire={"standard": rules.standard, "answers": {}, "scenes": {}},
        created_by=scope.actor.label,
    )
    session.add(assessment)
    session.flush()
    record_scoped(
        session,
        scope,
        "assessment.assessment.created",
        "assessment",
        assessment.id,
        after={**_snapshot(assessment), "ruleset": rules.code, "org_id": owner},
    )
    return assessment


def get(session: Session, scope: Scope, assessment_id: int) -> Assessment:
    """Return an assessment the scope's organisation owns or assesses (404 otherwise)."""
    return AssessmentRepository(session, scope).get(assessment_id)


def editable(session: Session, scope: Scope, assessment_id: int) -> Assessment:
    """Return a draft the scope's organisation writes, or refuse (403/409)."""
    a = get(session, scope, assessment_id)
    # The author edits: the enterprise its self-assessments, the assessor its on-site ones.
    author = a.assessor_org_id if a.kind == "onsite" else a.org_id
    if author != scope.org_id:
        raise PermissionDenied("only the organisation that writes this assessment may change it")
    if a.status != "draft":
        raise Conflict(
            "this assessment is submitted; start a new one to change answers", field="status"
        )
    return a


def save_answers(
    session: Session,
    scope: Scope,
    assessment_id: int,
    answers: dict[str, Any],
    scenes: dict[str, Any],
    note: str | None = None,
) -> Assessment:
    """Store draft answers as given; they are checked when the assessment is submitted."""
    a = editable(session, scope, assessment_id)
    before = dict(a.questionnaire)
    a.questionnaire = {"standard": before.get("standard"), "answers": answers, "scenes": scenes}
    if note is not None:
        a.note = note[:2000]
    session.flush()
    record_scoped(
        session,
        scope,
        "assessment.answers.saved",
        "assessment",
        a.id,
        before=before,
        after=a.questionnaire,
    )
    return a


def preview(session: Session, assessment: Assessment, ruleset: str | None = None) -> ScoreResult:
    """Score an assessment's answers under its own or another rule set, storing nothing."""
    row = get_ruleset(session, ruleset) if ruleset else _ruleset_row(session, assessment)
    questionnaire = dict(assessment.questionnaire)
    questionnaire["standard"] = row.standard
    return score(questionnaire, compiled_rules(row))


def _ruleset_row(session: Session, assessment: Assessment) -> Any:
    from loom.modules.assessment.models import RuleSetVersion

    row = session.get(RuleSetVersion, assessment.ruleset_id)
    if row is None:
        raise NotFound("rule set not found", field="ruleset")
    return row


def submit(session: Session, scope: Scope, assessment_id: int) -> Assessment:
    """Score and freeze the answers; every problem is listed and nothing is stored on error."""
    a = editable(session, scope, assessment_id)
    result = preview(session, a)  # raises InvalidQuestionnaire (422) listing all problems
    a.result = result.to_dict()  # type: ignore[assignment]
    a.score = result.score
    a.level = result.level
    a.status = "submitted"
    a.submitted_at = utcnow()
    session.flush()
    record_scoped(
        session,
        scope,
        "assessment.assessment.submitted",
        "assessment",
        a.id,
        after={"score": a.score, "level": a.level, "ruleset": _ruleset_row(session, a).code},
    )
    return a


def delete_draft(session: Session, scope: Scope, assessment_id: int) -> None:
    """Delete a draft; submitted assessments are records and stay."""
    a = editable(session, scope, assessment_id)
    snapshot = _snapshot(a)
    session.delete(a)
    session.flush()
    record_scoped(
        session,
        scope,
        "assessment.assessment.deleted",
        "assessment",
        assessment_id,
        before=snapshot,
    )


def enterprises(session: Session) -> list[Organisation]:
    """Return the enterprises an assessor may assess on site."""
    stmt = select(Organisation).where(
        Organisation.kind == OrgKind.ENTERPRISE, Organisation.is_active.is_(True)
    )
    return list(session.scalars(stmt.order_by(Organisation.name)))
