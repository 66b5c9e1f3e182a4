"""Plan the cheapest way from an assessment to a digital level, with the exact planner."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from loom.kernel.errors import ValidationFailed
from loom.kernel.plugins.spec import AppSpec
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.service.assessments import preview


@dataclass(frozen=True)
class PlanRequest:
    """What the enterprise asks: a target level, optionally a budget, with or without subsidy."""

    target_level: int = 2
    budget_cny: Decimal | None = None
    subsidy: bool = True


def plan_for(
    session: Session,
    assessment: Assessment,
    request: PlanRequest,
    apps: Iterable[AppSpec] = (),
) -> dict[str, Any]:
    """Return the planner's report for an assessment.

    The catalogue is the reference catalogue shipped with the planner (apparel 小快轻准
    products and Loom's own apps), joined by the options the loaded ``apps`` offer (the
    programme console offers every contractor's published product).
    """
    # Imported here: OR-Tools takes most of a second to import and most pages never plan.
    from loom.modules.assessment.planner import (
        Baseline,
        NotProved,
        budget_report,
        plan_report,
        plan_to_level,
        plan_within_budget,
    )
    from loom.modules.assessment.planner.merge import merge_options
    from loom.modules.assessment.planner.subsidy import SubsidyRule, to_fen

    result = preview(session, assessment)  # 422 listing every problem when answers are bad
    levels = [rule.level for rule in result.rules.levels]
    if request.target_level not in levels:
        raise ValidationFailed(
            "target_level: one of %(levels)s",
            field="target_level",
            params={"levels": ", ".join(map(str, levels))},
        )
    baseline = Baseline.from_result(result)
    offered = [
        option
        for spec in apps
        for provider in spec.upgrade_options
        for option in provider(session, result.rules)
    ]
    merged = merge_options(result.rules, offered)
    catalogue = merged.catalogue
    subsidy = SubsidyRule() if request.subsidy else None
    try:
        plan = plan_to_level(baseline, catalogue, request.target_level, subsidy=subsidy)
        report: dict[str, Any] = {"target": plan_report(plan)}
        if request.budget_cny is not None:
            try:
                budget_fen = to_fen(request.budget_cny)
            except ValueError as exc:
                raise ValidationFailed("budget: whole fen only", field="budget") from exc
            if budget_fen < 0:
                raise ValidationFailed("budget: cannot be negative", field="budget")
            within = plan_within_budget(baseline, catalogue, budget_fen, subsidy=subsidy)
            report["within_budget"] = budget_report(within)
    except NotProved as exc:
        raise ValidationFailed(
            "the planner could not prove an optimal plan in time; try again", field="plan"
        ) from exc
    report["catalogue"] = {
        "name": catalogue.name if merged.joined else "Loom reference catalogue",
        "options": len(catalogue.upgrades),
        "offered": merged.joined,
        "skipped": [p.to_dict() for p in merged.skipped],
    }
    report["current"] = {"score": result.score, "level": result.level}
    return report
