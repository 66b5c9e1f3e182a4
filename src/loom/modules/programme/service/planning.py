"""A project's plan to level 2: the exact planner over Loom's catalogue and published products."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.engine import CompiledRules
from loom.modules.assessment.engine.compiled import MULTI
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.service.assessments import AssessmentRepository, preview
from loom.modules.programme.models import Product, Project
from loom.modules.programme.service import projects
from loom.modules.programme.service.catalogue import contractor_names, published

if TYPE_CHECKING:
    from loom.modules.assessment.planner import Catalogue
    from loom.modules.assessment.planner.merge import MergedCatalogue

CLOSED = ("accepted", "withdrawn")


def product_option(product: Product, provider: str, rules: CompiledRules) -> dict[str, Any]:
    """Return a product as a catalogue option: single and rate indicators reach one letter."""
    indicators: dict[str, Any] = {}
    for indicator_id, options in product.indicators.items():
        indicator = rules.indicator_by_id.get(indicator_id)
        one = indicator is not None and indicator.kind != MULTI and len(options) == 1
        indicators[indicator_id] = options[0] if one else list(options)
    return {
        "id": f"product-{product.id}",
        "name": product.name,
        "provider": provider,
        "cost": Decimal(product.price_fen) / 100,
        "weeks": product.delivery_weeks,
        "indicators": indicators,
        "scenes": dict(product.scenes),
    }


def product_options(session: Session, rules: CompiledRules) -> list[dict[str, Any]]:
    """Return every published product as a planner option (the app's upgrade-option provider)."""
    products = published(session)
    providers = contractor_names(session, {p.org_id for p in products})
    return [product_option(p, providers.get(p.org_id, ""), rules) for p in products]


def merged_catalogue(session: Session, rules: CompiledRules) -> MergedCatalogue:
    """Return Loom's reference catalogue with every published product that fits ``rules``."""
    # Imported here: OR-Tools takes most of a second to import and most pages never plan.
    from loom.modules.assessment.planner.merge import merge_options

    return merge_options(rules, product_options(session, rules))


def catalogue_for_planner(session: Session, rules: CompiledRules) -> Catalogue:
    """Return the planner's catalogue: Loom's reference options and every fitting product."""
    return merged_catalogue(session, rules).catalogue


def plannable_assessments(session: Session, scope: Scope, project: Project) -> list[Assessment]:
    """Return the submitted assessments of the project's enterprise that the scope can read."""
    if project.enterprise_org_id is None:
        return []
    page = AssessmentRepository(session, scope).listing(limit=200)
    return [
        a for a in page.items if a.status == "submitted" and a.org_id == project.enterprise_org_id
    ]


def _summary(plan: dict[str, Any] | None) -> dict[str, Any] | None:
    if not plan:
        return None
    return {
        "assessment": plan.get("assessment", {}).get("id"),
        "target_level": plan.get("target_level"),
        "reachable": plan.get("reachable"),
        "investment_cny": plan.get("cost", {}).get("investment_cny"),
        "options": [o["id"] for o in plan.get("options", [])],
    }


def _plannable(
    session: Session, scope: Scope, project_id: int, assessment_id: int
) -> tuple[Project, Assessment]:
    project = projects.get(session, scope, project_id)
    if project.enterprise_org_id is None or project.enterprise_org_id != scope.org_id:
        raise PermissionDenied("only the project's enterprise plans it from its own assessments")
    if project.status in CLOSED:
        raise Conflict(
            "status: the plan of a %(status)s project can no longer change",
            field="status",
            params={"status": project.status},
        )
    assessment = AssessmentRepository(session, scope).get(assessment_id)
    if assessment.org_id != project.enterprise_org_id:
        raise ValidationFailed(
            "assessment: it is not about the project's enterprise", field="assessment"
        )
    if assessment.status != "submitted":
        raise ValidationFailed(
            "assessment: submit the assessment before planning", field="assessment"
        )
    return project, assessment


def plan_project(
    session: Session,
    scope: Scope,
    project_id: int,
    assessment_id: int,
    target_level: int = 2,
    subsidy: bool = True,
) -> dict[str, Any]:
    """Plan the cheapest way to a level from an enterprise assessment; store it on the project."""
    from loom.modules.assessment.planner import Baseline, NotProved, plan_report, plan_to_level
    from loom.modules.assessment.planner.subsidy import SubsidyRule

    project, assessment = _plannable(session, scope, project_id, assessment_id)
    result = preview(session, assessment)
    levels = [rule.level for rule in result.rules.levels]
    if target_level not in levels:
        raise ValidationFailed(
            "target_level: one of %(levels)s",
            field="target_level",
            params={"levels": ", ".join(map(str, levels))},
        )
    merged = merged_catalogue(session, result.rules)
    rule = SubsidyRule() if subsidy else None
    try:
        plan = plan_to_level(
            Baseline.from_result(result), merged.catalogue, target_level, subsidy=rule
        )
    except NotProved as exc:
        raise ValidationFailed(
            "the planner could not prove an optimal plan in time; try again", field="plan"
        ) from exc
    report = plan_report(plan)
    report["assessment"] = {
        "id": assessment.id,
        "title": assessment.title,
        "kind": assessment.kind,
        "phase": assessment.phase,
        "assessed_on": assessment.assessed_on,
        "score": result.score,
        "level": result.level,
    }
    report["catalogue_size"] = {
        "options": len(merged.catalogue.upgrades),
        "products": merged.joined,
    }
    report["skipped_products"] = [p.to_dict() for p in merged.skipped]
    report["planned_by"] = scope.actor.label
    report["planned_at"] = utcnow()
    # a JSON column keeps plain data only: dates become ISO strings, as in the audit log
    stored: dict[str, Any] = json.loads(json.dumps(report, default=str, ensure_ascii=False))
    before = _summary(project.plan)
    project.plan = stored
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.project.planned",
        "project",
        project.id,
        before=before,
        after=_summary(stored),
    )
    return stored
