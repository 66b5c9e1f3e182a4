"""The CP-SAT model: which upgrades to take so that the enterprise reaches a level.

Every quantity is an exact integer: points scaled by the rule set's ``scale``, costs in fen.
An indicator's or a scene's result is the best of the current answer and every chosen upgrade;
the model expresses "best of" with one Boolean per step above the current value (``reach``),
each allowed only if some chosen upgrade gets there, so no big-M constants are needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from loom.modules.assessment.planner.catalogue import Catalogue
from loom.modules.assessment.planner.state import Baseline, indicators_by_id, option_points

#: objective values up to this are exact in the float the solver reports its bound in
EXACT_FLOAT = 2**53


@dataclass(frozen=True, slots=True)
class Weights:
    """Per-option objective coefficients that make cost, then weeks, then count lexicographic."""

    coefficients: tuple[int, ...]
    #: factors that turn (cost, weeks, count) into the single objective value
    cost_factor: int
    weeks_factor: int

    @property
    def exact(self) -> bool:
        """Return whether every objective value is exactly representable as a float."""
        return sum(self.coefficients) < EXACT_FLOAT


def tie_break_weights(catalogue: Catalogue) -> Weights:
    """Return weights for minimising cost, then total weeks, then number of options.

    One more option raises the count by 1; since the count of n options never reaches n + 1,
    weeks weigh n + 1. Likewise cost weighs (total weeks + 1) x (n + 1), so no saving in weeks
    or options can ever pay for one more fen.
    """
    upgrades = catalogue.upgrades
    weeks_factor = len(upgrades) + 1
    cost_factor = (sum(u.weeks for u in upgrades) + 1) * weeks_factor
    return Weights(
        tuple(u.cost_fen * cost_factor + u.weeks * weeks_factor + 1 for u in upgrades),
        cost_factor,
        weeks_factor,
    )


class PlanModel:
    """A CP-SAT model of taking catalogue upgrades on top of one enterprise's baseline."""

    def __init__(self, baseline: Baseline, catalogue: Catalogue) -> None:
        if catalogue.rules_version != baseline.rules.rules_version:
            raise ValueError(
                f"catalogue was checked against {catalogue.rules_version}, "
                f"the assessment uses {baseline.rules.rules_version}"
            )
        self.baseline = baseline
        self.catalogue = catalogue
        self.model = cp_model.CpModel()
        model = self.model
        self.take = [model.new_bool_var(f"take[{u.id}]") for u in catalogue.upgrades]
        index = {u.id: n for n, u in enumerate(catalogue.upgrades)}
        for upgrade, taken in zip(catalogue.upgrades, self.take, strict=True):
            for needed in upgrade.requires:
                model.add_implication(taken, self.take[index[needed]])
        for first, second in sorted(catalogue.excluded_pairs()):
            model.add_at_most_one(self.take[index[first]], self.take[index[second]])
        self.cost = cp_model.LinearExpr.weighted_sum(
            self.take, [u.cost_fen for u in catalogue.upgrades]
        )
        self.weeks = cp_model.LinearExpr.weighted_sum(
            self.take, [u.weeks for u in catalogue.upgrades]
        )
        self.count = cp_model.LinearExpr.sum(self.take)
        self.score = self._score()
        self.scene_counts = self._scene_counts()

    def _reach(self, steps: Sequence[list[cp_model.IntVar]]) -> list[cp_model.IntVar]:
        """Return one Boolean per step, true only if a chosen upgrade reaches at least that step.

        ``steps`` go upwards, each listing the take-variables of upgrades that reach it or higher.
        """
        reached: list[cp_model.IntVar] = []
        for takers in steps:
            step = self.model.new_bool_var("")
            self.model.add_bool_or(takers).only_enforce_if(step)
            if reached:
                # steps are nested; saying so prunes symmetric assignments
                self.model.add_implication(step, reached[-1])
            reached.append(step)
        return reached

    def _score(self) -> cp_model.LinearExpr:
        """Return the total score after upgrades (scaled), as a linear expression."""
        rules = self.baseline.rules
        indicators = indicators_by_id(rules)
        upgrades = self.catalogue.upgrades
        constant = 0
        terms: list[cp_model.IntVar] = []
        coefficients: list[int] = []
        for indicator_id, current in self.baseline.options.items():
            now = option_points(rules, indicator_id, current)
            constant += now
            touching = [
                (u.indicators[indicator_id], taken)
                for u, taken in zip(upgrades, self.take, strict=True)
                if indicator_id in u.indicators
            ]
            if not touching:
                continue
            indicator = indicators[indicator_id]
            if indicator.type == "multi":
                # each option counts once however many upgrades tick it
                exclusive = {o.id for o in indicator.options if o.exclusive}
                fresh = sorted({o for ticks, _ in touching for o in ticks} - set(current))
                for option in fresh:
                    terms += self._reach([[t for ticks, t in touching if option in ticks]])
                    coefficients.append(rules.points(indicator_id, option))
                dropped = option_points(rules, indicator_id, set(current) & exclusive)
                if dropped and fresh:
                    # "无" scores only while nothing else is ticked, so any new tick loses it
                    lost = self.model.new_bool_var("")
                    for ticks, taken in touching:
                        if set(ticks) - set(current):
                            self.model.add_implication(taken, lost)
                    terms.append(lost)
                    coefficients.append(-dropped)
                continue
            # single choice and rate bands: only targets worth more than the answer now count
            worth = [(option_points(rules, indicator_id, target), t) for target, t in touching]
            values = sorted({value for value, _ in worth if value > now})
            steps = [[t for earned, t in worth if earned >= value] for value in values]
            previous = now
            for step, value in zip(self._reach(steps), values, strict=True):
                terms.append(step)
                coefficients.append(value - previous)
                previous = value
        return cp_model.LinearExpr.weighted_sum(terms, coefficients) + constant

    def _scene_counts(self) -> dict[int, tuple[cp_model.LinearExpr, cp_model.LinearExpr]]:
        """Return, per level, expressions counting scenes at or above it: in all, constrained."""
        rules = self.baseline.rules
        top = rules.max_scene_level
        at_least: dict[int, list[cp_model.IntVar]] = {lv: [] for lv in range(1, top + 1)}
        constrained_at_least: dict[int, list[cp_model.IntVar]] = {
            lv: [] for lv in range(1, top + 1)
        }
        constant = [0] * (top + 1)
        constrained_constant = [0] * (top + 1)
        for position, scene_id in enumerate(rules.scene_ids):
            current = self.baseline.scenes[scene_id]
            constrained = rules.scene_constrained[position]
            for level in range(1, current + 1):
                constant[level] += 1
                constrained_constant[level] += constrained
            touching = [
                (u.scenes[scene_id], taken)
                for u, taken in zip(self.catalogue.upgrades, self.take, strict=True)
                if u.scenes.get(scene_id, 0) > current
            ]
            if not touching:
                continue
            levels = range(current + 1, max(level for level, _ in touching) + 1)
            steps = [[t for target, t in touching if target >= level] for level in levels]
            for level, step in zip(levels, self._reach(steps), strict=True):
                at_least[level].append(step)
                if constrained:
                    constrained_at_least[level].append(step)
        return {
            level: (
                cp_model.LinearExpr.sum(at_least[level]) + constant[level],
                cp_model.LinearExpr.sum(constrained_at_least[level]) + constrained_constant[level],
            )
            for level in range(1, top + 1)
        }

    def require_level(self, target: int) -> None:
        """Constrain the result to grade at ``target`` or higher (some rule at or above holds)."""
        rules = [r for r in self.baseline.rules.levels if r.level >= target]
        if not rules:
            raise ValueError(f"level {target} is above every level of the rule set")
        holds: list[cp_model.IntVar] = []
        for rule in rules:
            scenes, constrained = self.scene_counts[rule.level]
            conditions = [
                self.score >= rule.min_score,
                scenes >= rule.min_scenes,
                constrained >= rule.min_constrained,
            ]
            if len(rules) == 1:
                for condition in conditions:
                    self.model.add(condition)
                return
            # the level is the highest rule that holds, so reaching the target means any rule
            # at or above it holds (the rules need not nest)
            rule_holds = self.model.new_bool_var(f"holds[{rule.id}]")
            for condition in conditions:
                self.model.add(condition).only_enforce_if(rule_holds)
            holds.append(rule_holds)
        self.model.add_bool_or(holds)

    def limit_spending(self, budget_fen: int, subsidy: tuple[int, int, int] | None) -> None:
        """Keep what the enterprise pays within a budget; with a subsidy, its net cost.

        ``subsidy`` is (rate numerator, rate denominator, cap in fen). The subsidy variable may
        be at most rate x cost and the cap, which is exactly floor(min(rate x cost, cap)) at
        best, so net cost <= budget holds for some subsidy iff it holds for the paid one.
        """
        if subsidy is None:
            self.model.add(self.cost <= budget_fen)
            return
        numerator, denominator, cap_fen = subsidy
        paid = self.model.new_int_var(0, cap_fen, "subsidy")
        self.model.add(denominator * paid <= numerator * self.cost)
        self.model.add(self.cost - paid <= budget_fen)

    def minimise(self, weights: Weights) -> None:
        """Minimise cost, then weeks, then options, as one weighted objective."""
        self.model.minimize(cp_model.LinearExpr.weighted_sum(self.take, list(weights.coefficients)))
