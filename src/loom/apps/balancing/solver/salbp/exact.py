"""The exact SALBP-1 solver: bounds and heuristics, then a tree search per station count.

Destructive improvement: with a lower bound LB and a heuristic plan of UB stations, ask the
tree search (``bbr``) whether LB stations suffice; "no" (a proof) raises LB by one, "yes" is
an optimal plan; stop when LB meets UB. When the search runs long without an answer, local
search (``squeeze``) tries to find a plan one station shorter than the best so far; then the
search resumes with the remaining time. Every answer passes the checker before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

from loom.apps.balancing.solver.salbp.bbr import feasible
from loom.apps.balancing.solver.salbp.bounds import lower_bound
from loom.apps.balancing.solver.salbp.heuristic import Plan, best_plan
from loom.apps.balancing.solver.salbp.instance import Instance, check
from loom.apps.balancing.solver.salbp.squeeze import squeeze


class CycleTimeError(ValueError):
    """Raise for a cycle time that no plan can meet (not positive, or below a task's time)."""


@dataclass(frozen=True)
class Result:
    """A plan with its proof: ``assignment`` lists stations of 1-based task numbers."""

    stations: int
    lower_bound: int
    optimal: bool
    assignment: list[list[int]]
    seconds: float


def validate(instance: Instance, cycle_time: int) -> None:
    """Raise ``CycleTimeError`` unless every task fits in one station of ``cycle_time``."""
    if cycle_time <= 0:
        raise CycleTimeError(f"the cycle time must be positive, got {cycle_time}")
    longest = max(instance.times)
    if longest > cycle_time:
        task = instance.times.index(longest) + 1
        raise CycleTimeError(
            f"task {task} takes {longest}, longer than the cycle time {cycle_time}"
        )


def _numbered(plan: Plan) -> list[list[int]]:
    return [sorted(i + 1 for i in station) for station in plan]


def solve(instance: Instance, cycle_time: int, *, time_limit: float = 10.0) -> Result:
    """Return a plan with the fewest stations for ``cycle_time``, proved optimal if time allows."""
    started = perf_counter()
    validate(instance, cycle_time)
    c = cycle_time
    low = lower_bound(instance, c)
    best = best_plan(instance, c)
    deadline = started + time_limit
    while low < len(best):
        now = perf_counter()
        if now >= deadline:
            break
        # Tree search proves; when it runs long, local search often finds the plan sooner.
        plan, proved = feasible(instance, c, low, now + (deadline - now) * 0.5)
        if plan is not None:
            best = plan
            break
        if proved:
            low += 1
            continue
        now = perf_counter()
        shorter = squeeze(instance, c, len(best) - 1, best, now + (deadline - now) * 0.5)
        if shorter is not None:
            best = shorter
    assignment = _numbered(best)
    problems = check(instance, c, assignment)
    if problems:  # a bug, never a plan: refuse to hand it out
        raise AssertionError(f"solver produced an infeasible plan: {problems}")
    return Result(
        stations=len(assignment),
        lower_bound=low,
        optimal=low >= len(assignment),
        assignment=assignment,
        seconds=perf_counter() - started,
    )
