"""The exact SALBP-1 solver: bounds and heuristics, then a tree search per station count.

Destructive improvement: with a lower bound LB and a heuristic plan of UB stations, ask the
tree search (``bbr``) whether LB stations suffice; "no" (a proof) raises LB by one, "yes" is
an optimal plan; stop when LB meets UB. The tree search runs in time slices; between them,
restarted dives (``dive``) look for a plan one station shorter than the best so far, which on
long, tightly packed lines finds what the complete search cannot reach in time. Slices double
in turn; while the tree search is closing subtrees fast (a proof under way), the dives get half
a slice and use Jackson's dominance rule. Every answer passes the checker before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

from loom.apps.balancing.solver.salbp.bbr import Prover
from loom.apps.balancing.solver.salbp.bounds import lower_bound
from loom.apps.balancing.solver.salbp.dive import find
from loom.apps.balancing.solver.salbp.heuristic import Plan, best_plan
from loom.apps.balancing.solver.salbp.instance import Instance, check

FIRST_SLICE = 0.5  # seconds for the proving search, then as long for the dives, then doubled
DIVE_SHARE = 2  # the dives' slice is divided by this while the proving search progresses


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
    slice_ = FIRST_SLICE
    seed = 0
    while low < len(best):
        prover = Prover(instance, c, low)
        while low < len(best) and perf_counter() < deadline:
            # The proving search settles most instances within its first slice; the dives
            # find the tightly packed plans it cannot reach. Slices double in turn.
            plan, proved = prover.run(min(deadline, perf_counter() + slice_))
            if plan is not None:
                best = plan
            elif proved:
                low += 1
                break
            else:
                # A proof under way gets more of the time; dives still get a share, since
                # a search that closes subtrees fast may yet face a plan it cannot reach.
                # Lines where it does so (many short tasks, few loads per station) are also
                # those where Jackson's rule speeds the dives up; on long, tightly packed
                # lines it slows them down (see ``find``).
                progressing = prover.progressing()
                found = find(
                    instance,
                    c,
                    len(best) - 1,
                    min(deadline, perf_counter() + slice_ / (DIVE_SHARE if progressing else 1)),
                    seed=seed,
                    dominance=progressing,
                )
                seed += 1
                if found is not None:
                    best = found
                slice_ *= 2
        if perf_counter() >= deadline:
            break
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
