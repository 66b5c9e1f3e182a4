"""Why each option is in a plan, and why a level is out of reach (plain data, plain words)."""

from __future__ import annotations

from typing import Any

from loom.modules.assessment.planner.catalogue import Catalogue, Upgrade
from loom.modules.assessment.planner.solve import Plan
from loom.modules.assessment.planner.state import Baseline, State, apply, gap, indicators_by_id
from loom.modules.assessment.planner.subsidy import cny


def _points(scaled: int, scale: int) -> float:
    return scaled / scale


def _g(scaled: int, scale: int) -> str:
    return f"{scaled / scale:g}"


def explain_option(plan: Plan, upgrade: Upgrade) -> dict[str, Any]:
    """Return what one chosen option raises, and what the plan would lack without it."""
    rules = plan.baseline.rules
    scale = rules.scale
    ruleset = rules.ruleset
    others = [u for u in plan.chosen if u is not upgrade]
    without = apply(plan.baseline, others)
    before, after = plan.before, plan.after
    raises: list[dict[str, Any]] = []
    words: list[str] = []
    for indicator_id, options in upgrade.indicators.items():
        # what the plan loses on this indicator if only this option is dropped
        own = after.points[indicator_id] - without.points[indicator_id]
        raises.append(
            {
                "indicator": indicator_id,
                "name": ruleset.indicator(indicator_id).name,
                "options": list(options),
                "points_before": _points(before.points[indicator_id], scale),
                "points_after": _points(after.points[indicator_id], scale),
                "points_only_from_this_option": _points(own, scale),
            }
        )
        if own:
            words.append(f"{indicator_id} +{_g(own, scale)} points ({', '.join(options)})")
    for scene_id, level in upgrade.scenes.items():
        lost = after.scenes[scene_id] - without.scenes[scene_id]
        raises.append(
            {
                "scene": scene_id,
                "name": ruleset.scene(scene_id).name,
                "level": level,
                "level_before": before.scenes[scene_id],
                "level_after": after.scenes[scene_id],
                "level_without_this_option": without.scenes[scene_id],
            }
        )
        if lost:
            words.append(f"{scene_id} {without.scenes[scene_id]}→{after.scenes[scene_id]}")
    required_by = [u.id for u in others if upgrade.id in u.requires]
    shortfall = gap(rules, without, plan.target_level)
    reasons: list[str] = []
    if without.level < plan.target_level:
        reasons.append(
            f"without it the plan falls short of level {plan.target_level} by "
            f"{shortfall.describe(scale)}"
        )
    if required_by:
        reasons.append(f"required by {', '.join(required_by)}")
    summary = "raises " + ", ".join(words) if words else "raises nothing the plan lacks"
    return {
        "id": upgrade.id,
        "name": upgrade.name,
        "provider": upgrade.provider,
        "cost_cny": cny(upgrade.cost_fen),
        "weeks": upgrade.weeks,
        "raises": raises,
        "level_without_this_option": without.level,
        "short_without_this_option": shortfall.to_dict(scale),
        "required_by": required_by,
        "needed": bool(reasons),
        "why": f"{summary}; " + ("; ".join(reasons) if reasons else "not strictly needed"),
    }


def explain_unreachable(
    baseline: Baseline, catalogue: Catalogue, target_level: int, *, within_budget: bool = False
) -> dict[str, Any]:
    """Return what is missing for a level that no plan reaches, with every option taken."""
    rules = baseline.rules
    scale = rules.scale
    everything = apply(baseline, catalogue.upgrades)
    shortfall = gap(rules, everything, target_level)
    stuck = [s for s in rules.scene_ids if everything.scenes[s] < target_level]
    constrained = {s for s, c in zip(rules.scene_ids, rules.scene_constrained, strict=True) if c}
    summary = state_summary(scale, everything, target_level)
    result: dict[str, Any] = {
        "with_every_option": summary,
        "short": shortfall.to_dict(scale),
        "scenes_below_level_even_with_every_option": stuck,
        "constrained_scenes_below_level_even_with_every_option": [
            s for s in stuck if s in constrained
        ],
        "indicators_below_max_even_with_every_option": {
            indicator.id: _points(everything.points[indicator.id], scale)
            for indicator in rules.ruleset.indicators()
            if everything.points[indicator.id] < int(indicator.max_points * scale)
        },
    }
    if everything.level < target_level:
        result["reason"] = "catalogue"
        result["message"] = (
            f"level {target_level} cannot be reached with this catalogue: even with every option "
            f"taken the enterprise would score {summary['score']:g} with "
            f"{_scenes(summary['scenes_at_level'])} ({summary['constrained_scenes_at_level']} "
            f"constrained) at level {target_level} or above, and still lack "
            f"{shortfall.describe(scale)}"
        )
    elif within_budget:
        result["reason"] = "budget"
        result["message"] = f"level {target_level} cannot be reached within the budget"
    else:
        result["reason"] = "constraints"
        result["message"] = (
            f"every option together would reach level {target_level}, but the catalogue's "
            "requires/excludes rule out every combination that does"
        )
    return result


def _scenes(count: int) -> str:
    return f"{count} scene{'' if count == 1 else 's'}"


def critical_path_weeks(chosen: tuple[Upgrade, ...]) -> int:
    """Return the plan's duration if options run in parallel once what they require is done."""
    weeks = {u.id: u.weeks for u in chosen}
    needs = {u.id: [r for r in u.requires if r in weeks] for u in chosen}
    finish: dict[str, int] = {}

    def done(ident: str, path: frozenset[str]) -> int:
        if ident not in finish:
            # a requires-cycle means "together": count each member once along the path
            before = [done(r, path | {ident}) for r in needs[ident] if r not in path]
            finish[ident] = weeks[ident] + max(before, default=0)
        return finish[ident]

    return max((done(u.id, frozenset()) for u in chosen), default=0)


def state_summary(scale: int, state: State, level: int | None = None) -> dict[str, Any]:
    """Return score, level and scene counts of a state; with ``level``, the counts at it."""
    summary: dict[str, Any] = {
        "score": state.total / scale,
        "level": state.level,
        "scene_counts": {
            str(n): {"all": state.all_counts[n], "constrained": state.constrained_counts[n]}
            for n in range(1, len(state.all_counts) - 1)
        },
    }
    if level is not None:
        summary["scenes_at_level"] = state.all_counts[level]
        summary["constrained_scenes_at_level"] = state.constrained_counts[level]
    return summary


def changes(baseline: Baseline, after: State) -> dict[str, list[dict[str, Any]]]:
    """Return the indicators and scenes the plan changes, from and to."""
    rules = baseline.rules
    scale = rules.scale
    indicators = indicators_by_id(rules)
    before = apply(baseline, ())
    return {
        "indicators": [
            {
                "indicator": ident,
                "name": indicators[ident].name,
                "options_before": list(before.options[ident]),
                "options_after": list(after.options[ident]),
                "points_before": _points(before.points[ident], scale),
                "points_after": _points(after.points[ident], scale),
            }
            for ident in before.options
            if after.points[ident] != before.points[ident]
        ],
        "scenes": [
            {
                "scene": ident,
                "name": rules.ruleset.scene(ident).name,
                "level_before": before.scenes[ident],
                "level_after": after.scenes[ident],
            }
            for ident in rules.scene_ids
            if after.scenes[ident] != before.scenes[ident]
        ],
    }
