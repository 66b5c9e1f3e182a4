"""Solve exactly: the cheapest plan to a level, and the highest level a budget reaches."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from loom.modules.assessment.planner.catalogue import Catalogue, Upgrade
from loom.modules.assessment.planner.model import PlanModel, tie_break_weights
from loom.modules.assessment.planner.state import Baseline, State, apply
from loom.modules.assessment.planner.subsidy import SubsidyRule

#: generous: the 40-option sample proves optimal in milliseconds
DEFAULT_TIME_LIMIT_S = 30.0


class NotProved(RuntimeError):
    """The solver stopped (time limit) before proving the plan optimal or the level unreachable."""

    def __init__(self, status: str, wall_time_s: float) -> None:
        super().__init__(f"solver stopped with status {status} after {wall_time_s:.3f} s")
        self.status = status
        self.wall_time_s = wall_time_s


@dataclass(frozen=True, slots=True)
class Proof:
    """What the solver proved and how long it took."""

    #: OPTIMAL (a plan, proved cheapest) or INFEASIBLE (proved that no plan exists)
    status: str
    #: the solver's own wall time, summed over stages
    solver_time_s: float
    #: model building plus solving, as a caller waits for it
    total_time_s: float
    #: final objective and best bound; equal when optimality is proved (None when infeasible)
    objective: float | None
    best_bound: float | None
    #: 1 for the weighted objective; 3 when costs are too large for it (cost, weeks, count)
    stages: int
    branches: int
    conflicts: int

    @property
    def proved(self) -> bool:
        """Return whether the answer is proved: optimal with objective == bound, or infeasible."""
        if self.status == "INFEASIBLE":
            return True
        return self.status == "OPTIMAL" and self.objective == self.best_bound

    def to_dict(self) -> dict[str, object]:
        """Return the proof as plain data."""
        return {
            "status": self.status,
            "proved": self.proved,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "stages": self.stages,
            "solver_time_s": round(self.solver_time_s, 6),
            "total_time_s": round(self.total_time_s, 6),
            "branches": self.branches,
            "conflicts": self.conflicts,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The cheapest set of upgrades that reaches a level, or the proof that none does."""

    baseline: Baseline
    catalogue: Catalogue
    target_level: int
    reachable: bool
    #: chosen upgrades in catalogue order (empty when unreachable or already there)
    chosen: tuple[Upgrade, ...]
    before: State
    after: State
    proof: Proof
    budget_fen: int | None
    subsidy: SubsidyRule | None

    @property
    def cost_fen(self) -> int:
        """Return the total investment in fen."""
        return sum(u.cost_fen for u in self.chosen)

    @property
    def weeks(self) -> int:
        """Return the sum of the chosen upgrades' durations (the tie-break after cost)."""
        return sum(u.weeks for u in self.chosen)


@dataclass(frozen=True, slots=True)
class BudgetPlan:
    """The highest level reachable within a budget, with its cheapest plan."""

    budget_fen: int
    subsidy: SubsidyRule | None
    #: the level reached within the budget (at least the current level)
    level: int
    #: the cheapest plan to ``level``; None when the budget buys no level above the current one
    plan: Plan | None
    #: every level tried from the top down, each proved unreachable within the budget but the last
    attempts: tuple[Plan, ...]
    #: the cheapest plan to the next level without the budget: what more money would buy
    next_level: Plan | None = None


@dataclass(slots=True)
class _Solved:
    status: str
    chosen: list[int]
    wall_time_s: float
    objective: float | None
    best_bound: float | None
    branches: int
    conflicts: int
    stages: int = 1


def _run(pm: PlanModel, time_limit_s: float, workers: int) -> _Solved:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.solve(pm.model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        raise NotProved(name, solver.wall_time)
    optimal = status == cp_model.OPTIMAL
    return _Solved(
        status=name,
        chosen=[n for n, taken in enumerate(pm.take) if optimal and solver.boolean_value(taken)],
        wall_time_s=solver.wall_time,
        objective=solver.objective_value if optimal else None,
        best_bound=solver.best_objective_bound if optimal else None,
        branches=solver.num_branches,
        conflicts=solver.num_conflicts,
    )


def _minimise(pm: PlanModel, time_limit_s: float, workers: int) -> _Solved:
    """Solve to optimality: one weighted objective, or three stages when weights get too big."""
    weights = tie_break_weights(pm.catalogue)
    if weights.exact:
        pm.minimise(weights)
        return _run(pm, time_limit_s, workers)
    # lexicographic in stages: fix each optimum before minimising the next criterion
    spent = _Solved("OPTIMAL", [], 0.0, None, None, 0, 0, stages=0)
    for criterion in (pm.cost, pm.weeks, pm.count):
        pm.model.minimize(criterion)
        solved = _run(pm, time_limit_s, workers)
        solved.wall_time_s += spent.wall_time_s
        solved.branches += spent.branches
        solved.conflicts += spent.conflicts
        solved.stages = spent.stages + 1
        spent = solved
        if solved.status == "INFEASIBLE":
            break
        assert solved.objective is not None
        pm.model.add(criterion == round(solved.objective))
    return spent


def plan_to_level(
    baseline: Baseline,
    catalogue: Catalogue,
    target_level: int = 2,
    *,
    budget_fen: int | None = None,
    subsidy: SubsidyRule | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    workers: int = 1,
) -> Plan:
    """Return the cheapest plan reaching ``target_level`` (then fewest weeks, then fewest options).

    With ``budget_fen`` the enterprise's spending is limited: the net cost when a ``subsidy``
    rule is given, the investment otherwise. Raises ``NotProved`` if the solver stops early and
    ``ValueError`` for a level the rule set does not have.
    """
    levels = [r.level for r in baseline.rules.levels]
    if target_level not in levels:
        raise ValueError(f"level {target_level} is not one of the rule set's levels {levels}")
    started = time.perf_counter()
    pm = PlanModel(baseline, catalogue)
    pm.require_level(target_level)
    if budget_fen is not None:
        pm.limit_spending(budget_fen, None if subsidy is None else subsidy.as_integers())
    solved = _minimise(pm, time_limit_s, workers)
    proof = Proof(
        status=solved.status,
        solver_time_s=solved.wall_time_s,
        total_time_s=time.perf_counter() - started,
        objective=solved.objective,
        best_bound=solved.best_bound,
        stages=solved.stages,
        branches=solved.branches,
        conflicts=solved.conflicts,
    )
    picked = tuple(catalogue.upgrades[n] for n in solved.chosen)
    before = apply(baseline, ())
    after = apply(baseline, picked)
    reachable = solved.status == "OPTIMAL"
    if reachable and after.level < target_level:
        # the solver's answer is re-graded in plain Python; a mismatch is a modelling bug
        raise RuntimeError(f"CP-SAT plan grades level {after.level}, not {target_level}")
    return Plan(
        baseline=baseline,
        catalogue=catalogue,
        target_level=target_level,
        reachable=reachable,
        chosen=picked,
        before=before,
        after=after,
        proof=proof,
        budget_fen=budget_fen,
        subsidy=subsidy,
    )


def plan_within_budget(
    baseline: Baseline,
    catalogue: Catalogue,
    budget_fen: int,
    *,
    subsidy: SubsidyRule | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    workers: int = 1,
) -> BudgetPlan:
    """Return the highest level reachable within the budget, and the cheapest plan to it.

    Levels are tried from the top down; each higher one is proved unreachable within the budget
    (status INFEASIBLE) before the next is solved, so the answer maximises level, then minimises
    cost. The next level up is then planned without the budget, to show what it would cost.
    """
    if budget_fen < 0:
        raise ValueError("budget is negative")
    now = apply(baseline, ()).level
    levels = sorted(r.level for r in baseline.rules.levels)
    attempts: list[Plan] = []
    reached, best = now, None
    for level in reversed(levels):
        if level <= now:
            break
        plan = plan_to_level(
            baseline,
            catalogue,
            level,
            budget_fen=budget_fen,
            subsidy=subsidy,
            time_limit_s=time_limit_s,
            workers=workers,
        )
        attempts.append(plan)
        if plan.reachable:
            reached, best = plan.after.level, plan
            break
    above = [level for level in levels if level > reached]
    next_level = (
        plan_to_level(
            baseline,
            catalogue,
            above[0],
            subsidy=subsidy,
            time_limit_s=time_limit_s,
            workers=workers,
        )
        if above
        else None
    )
    return BudgetPlan(budget_fen, subsidy, reached, best, tuple(attempts), next_level)


def plan_many(
    baselines: Sequence[Baseline],
    catalogue: Catalogue,
    target_level: int = 2,
    *,
    subsidy: SubsidyRule | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    workers: int = 1,
) -> list[Plan]:
    """Return the cheapest plan for each of many enterprises against one catalogue."""
    return [
        plan_to_level(
            baseline,
            catalogue,
            target_level,
            subsidy=subsidy,
            time_limit_s=time_limit_s,
            workers=workers,
        )
        for baseline in baselines
    ]
