"""The exact SALBP-1 solver: bounds and heuristics, then a tree search per station count.

Destructive improvement: with a lower bound LB and a heuristic plan of UB stations, ask the
tree search (``bbr``) whether LB stations suffice; "no" (a proof) raises LB by one, "yes" is
an optimal plan; stop when LB meets UB. The tree search runs in time slices; between them, beam
searches (``beam``) and, while the tree search closes subtrees fast, dives with Jackson's rule
(``dive``) look for a plan one station shorter than the best so far, which on long, tightly
packed lines finds what the complete search cannot reach in time. Slices double in turn; the
finding slice is half the proving one while the proof progresses, six times it otherwise.
Every answer passes the checker before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

from loom.apps.balancing.solver.salbp.bbr import Prover
from loom.apps.balancing.solver.salbp.beam import BeamFinder
from loom.apps.balancing.solver.salbp.bounds import lower_bound
from loom.apps.balancing.solver.salbp.dive import find
from loom.apps.balancing.solver.salbp.heuristic import Plan, best_plan
from loom.apps.balancing.solver.salbp.instance import Instance, check

FIRST_SLICE = 0.5  # seconds for the proving search, then the finders' slice, then doubled
DIVE_SHARE = 2  # the finders' slice is divided by this while the proving search progresses
BEAM_SHARE = 6  # ... and multiplied by this while it does not (a plan at the bound is likelier)
FIRST_DIVES = 1.0  # seconds of plain dives before the first beams on a line not progressing


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
    beams: BeamFinder | None = None
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
                # A proof under way gets more of the time; the finders still get a share,
                # since a search that closes subtrees fast may yet face a plan it cannot
                # reach. Lines where it does so (many short tasks, few loads per station) are
                # also those where dives with Jackson's rule help; on long, tightly packed
                # lines the tree search is stuck in its first stations and the beams reach
                # the plans at the bound (see ``beam``), so they get most of the time.
                progressing = prover.progressing()
                now = perf_counter()
                share = 1 / DIVE_SHARE if progressing else BEAM_SHARE
                until = min(deadline, now + slice_ * share)
                found = None
                if beams is None or beams.m != len(best) - 1:
                    beams = BeamFinder(instance, c, len(best) - 1)
                if progressing:  # half the finding time to dives with Jackson's rule
                    found = beams.run((now + until) / 2)
                    if found is None:
                        found = find(instance, c, len(best) - 1, until, seed=seed, dominance=True)
                        seed += 1
                else:
                    if seed == 0:  # one short round of dives: mid-density lines need no more
                        found = find(instance, c, len(best) - 1, min(until, now + FIRST_DIVES))
                        seed += 1
                    if found is None:
                        found = beams.run(until)
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
