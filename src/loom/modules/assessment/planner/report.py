"""Plans as JSON-ready plain data: what ``loom assess plan`` prints (docs/assessment-planner.md)."""

from __future__ import annotations

from typing import Any

from loom.modules.assessment.planner.explain import (
    changes,
    critical_path_weeks,
    explain_option,
    explain_unreachable,
    state_summary,
)
from loom.modules.assessment.planner.solve import BudgetPlan, Plan
from loom.modules.assessment.planner.subsidy import SubsidyRule, cny

TIE_BREAK = (
    "minimum investment; among equal investments the fewest total weeks (sum of the options' "
    "durations), then the fewest options"
)


def cost_report(investment_fen: int, subsidy: SubsidyRule | None) -> dict[str, Any]:
    """Return investment, and with a subsidy rule the subsidy and the enterprise's net cost."""
    if subsidy is None:
        return {"investment_cny": cny(investment_fen), "subsidy_counted": False}
    return {
        "investment_cny": cny(investment_fen),
        "subsidy_counted": True,
        "subsidy_cny": cny(subsidy.subsidy_fen(investment_fen)),
        "net_cny": cny(subsidy.net_fen(investment_fen)),
        "subsidy_rule": subsidy.to_dict(),
    }


def plan_report(plan: Plan) -> dict[str, Any]:
    """Return the plan, its explanation and the solver's proof as plain data."""
    rules = plan.baseline.rules
    scale = rules.scale
    report: dict[str, Any] = {
        "standard": rules.standard,
        "rules_version": rules.rules_version,
        "catalogue": plan.catalogue.name,
        "target_level": plan.target_level,
        "reachable": plan.reachable,
        "already_at_target": plan.before.level >= plan.target_level,
        "before": state_summary(scale, plan.before),
        "after": state_summary(scale, plan.after) if plan.reachable else None,
        "options": [explain_option(plan, upgrade) for upgrade in plan.chosen],
        "cost": cost_report(plan.cost_fen, plan.subsidy),
        "weeks": {"total": plan.weeks, "critical_path": critical_path_weeks(plan.chosen)},
        "changes": changes(plan.baseline, plan.after),
        "objective": TIE_BREAK,
        "solver": plan.proof.to_dict(),
    }
    if plan.budget_fen is not None:
        report["budget"] = _budget_terms(plan.budget_fen, plan.subsidy)
    if not plan.reachable:
        report["unreachable"] = explain_unreachable(
            plan.baseline,
            plan.catalogue,
            plan.target_level,
            within_budget=plan.budget_fen is not None,
        )
    return report


def _budget_terms(budget_fen: int, subsidy: SubsidyRule | None) -> dict[str, Any]:
    # with a subsidy the enterprise's budget pays the net cost; without, the whole investment
    return {
        "budget_cny": cny(budget_fen),
        "limits": "net cost after subsidy" if subsidy is not None else "investment",
    }


def budget_report(result: BudgetPlan) -> dict[str, Any]:
    """Return the highest level within a budget, its cheapest plan, and the levels proved out."""
    return {
        **_budget_terms(result.budget_fen, result.subsidy),
        "level": result.level,
        "plan": plan_report(result.plan) if result.plan is not None else None,
        "levels_out_of_budget": [
            {
                "level": attempt.target_level,
                "status": attempt.proof.status,
                "proved": attempt.proof.proved,
                "reason": explain_unreachable(
                    attempt.baseline, attempt.catalogue, attempt.target_level, within_budget=True
                )["reason"],
            }
            for attempt in result.attempts
            if not attempt.reachable
        ],
        "next_level": _next_level(result.next_level),
    }


def _next_level(plan: Plan | None) -> dict[str, Any] | None:
    """Return what the level above the budget's would cost without the budget, if anything."""
    if plan is None:
        return None
    if not plan.reachable:
        return {"level": plan.target_level, "reachable": False}
    return {
        "level": plan.target_level,
        "reachable": True,
        "options": [u.id for u in plan.chosen],
        "cost": cost_report(plan.cost_fen, plan.subsidy),
    }
