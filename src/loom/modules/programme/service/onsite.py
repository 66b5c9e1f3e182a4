"""On-site assessments recorded on projects, and the expert evaluation behind acceptance."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.models import Assessment, RuleSetVersion
from loom.modules.programme.models import Acceptance, OnsiteResult, Project
from loom.modules.programme.service.projects import child, get

PHASES = ("before", "after")


def record_onsite(
    session: Session, scope: Scope, project_id: int, assessment_id: int
) -> OnsiteResult:
    """Copy a submitted on-site assessment's level onto the project (by its assessor).

    The assessment lives in the enterprise's tenant and the assessor takes part in it; the
    project is the bureau's and the assessor takes part in it too. Copying the result is the
    explicit, audited act that lets the bureau see the level without reading the enterprise's
    questionnaire.
    """
    project = get(session, scope, project_id)
    if project.assessor_org_id != scope.org_id:
        raise PermissionDenied("only the project's assessor records on-site assessments")
    assessment = session.scalars(select(Assessment).where(Assessment.id == assessment_id)).first()
    if assessment is None or assessment.assessor_org_id != scope.org_id:
        raise NotFound(
            "Assessment %(id)s not found", field="assessment", params={"id": assessment_id}
        )
    if assessment.kind != "onsite" or assessment.status != "submitted" or assessment.level is None:
        raise ValidationFailed(
            "assessment: only a submitted on-site assessment can be recorded", field="assessment"
        )
    if project.enterprise_org_id is None or assessment.org_id != project.enterprise_org_id:
        raise ValidationFailed(
            "assessment: it is about another enterprise than the project's", field="assessment"
        )
    ruleset = session.get(RuleSetVersion, assessment.ruleset_id)
    existing = session.scalars(
        select(OnsiteResult).where(
            OnsiteResult.project_id == project.id, OnsiteResult.phase == assessment.phase
        )
    ).first()
    before = None
    if existing is not None:
        before = {"assessment": existing.assessment_id, "level": existing.level}
        session.delete(existing)
        session.flush()
    result = child(
        project,
        OnsiteResult,
        phase=assessment.phase,
        assessment_id=assessment.id,
        level=assessment.level,
        score=Decimal(str(assessment.score or 0)).quantize(Decimal("0.01")),
        rules_version=ruleset.code if ruleset else "",
        assessed_on=assessment.assessed_on,
        recorded_by=scope.actor.label,
    )
    session.add(result)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.onsite.recorded",
        "project",
        project.id,
        before=before,
        after={
            "phase": result.phase,
            "assessment": result.assessment_id,
            "level": result.level,
            "score": result.score,
            "rules_version": result.rules_version,
        },
    )
    return result


def onsite_results(session: Session, project: Project) -> dict[str, OnsiteResult]:
    """Return the project's recorded on-site results by phase."""
    rows = session.scalars(select(OnsiteResult).where(OnsiteResult.project_id == project.id))
    return {row.phase: row for row in rows}


@dataclass(frozen=True)
class Evaluation:
    """The expert evaluation of 四(二)4: effect, data integration, input/output, reform."""

    effect_score: int
    integration_score: int
    reform_score: int
    io_ratio: Decimal
    decision: str  # pass | rectify
    reasons: str
    experts: str = ""

    def check(self) -> None:
        """Raise ValidationFailed naming every bad field."""
        details = []
        for field in ("effect_score", "integration_score", "reform_score"):
            value = getattr(self, field)
            if not 0 <= value <= 100:
                details.append({"field": field, "message": f"{field}: 0 to 100"})
        if not self.io_ratio.is_finite() or self.io_ratio < 0:
            details.append({"field": "io_ratio", "message": "io_ratio: a number of 0 or more"})
        if self.decision not in ("pass", "rectify"):
            details.append({"field": "decision", "message": "decision: pass or rectify"})
        if not self.reasons.strip():
            details.append({"field": "reasons", "message": "reasons: say why"})
        if details:
            raise ValidationFailed(
                "%(count)s problem(s) in the evaluation",
                field=details[0]["field"],
                details=details,
                params={"count": len(details)},
            )


def add_evaluation(
    session: Session, scope: Scope, project: Project, evaluation: Evaluation
) -> Acceptance:
    """Record the expert evaluation of a project under on-site review (bureau only)."""
    evaluation.check()
    if project.org_id != scope.org_id:
        raise PermissionDenied("only the bureau decides acceptance")
    if project.status != "onsite_review":
        raise Conflict(
            "status: a project is evaluated during its on-site review, not when %(status)s",
            field="status",
            params={"status": project.status},
        )
    row = child(
        project,
        Acceptance,
        effect_score=evaluation.effect_score,
        integration_score=evaluation.integration_score,
        reform_score=evaluation.reform_score,
        io_ratio=evaluation.io_ratio.quantize(Decimal("0.01")),
        decision=evaluation.decision,
        reasons=evaluation.reasons.strip()[:2000],
        experts=evaluation.experts.strip()[:500],
        decided_by=scope.actor.label,
    )
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.acceptance.evaluated",
        "project",
        project.id,
        after={
            "decision": row.decision,
            "effect": row.effect_score,
            "integration": row.integration_score,
            "reform": row.reform_score,
            "io_ratio": row.io_ratio,
            "reasons": row.reasons,
        },
    )
    return row


def latest_evaluation(session: Session, project: Project) -> Acceptance | None:
    """Return the project's newest expert evaluation, if any."""
    return session.scalars(
        select(Acceptance).where(Acceptance.project_id == project.id).order_by(Acceptance.id.desc())
    ).first()
