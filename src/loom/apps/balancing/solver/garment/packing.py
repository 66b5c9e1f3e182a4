"""The per-machine-type packing bound, with every choice of split counts looked at.

Every line packs each machine type's shares into that type's operators, respecting skills,
efficiencies and the conflicts precedence implies (two tasks with another machine type in
between never share an operator). So the sum over types of the fewest operators each
type's packing needs is a lower bound on the line. A task longer than the cycle time may be
split into several part counts; CP-SAT proves these packings badly with the count left
free (the equal shares of every count look alike to its relaxation), and instantly with
it fixed, so each type's packing is solved once per combination of its split tasks' counts.
The bound per combination also says which combinations can still beat a known line.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from math import ceil
from time import perf_counter

from loom.apps.balancing.solver.garment.bounds import best_efficiency, line_bound
from loom.apps.balancing.solver.garment.chain import chain_bound
from loom.apps.balancing.solver.garment.grouped import GroupModel
from loom.apps.balancing.solver.garment.intervals import style_bound
from loom.apps.balancing.solver.garment.rules import FULL_EFFICIENCY
from loom.apps.balancing.solver.model import LineProblem

# combinations looked at per machine type; beyond, the type keeps the free-count bound
MOST_COMBINATIONS = 64

Counts = tuple[tuple[int, int], ...]  # (task id, part count) for a type's split tasks


@dataclass(frozen=True)
class TypeBound:
    """One machine type's packing bound, overall and per combination of split counts."""

    kind: str
    least: int
    by_counts: Mapping[Counts, int]  # empty: the type has no choice, or too many


@dataclass(frozen=True)
class PackingBound:
    """The line's packing bound: the sum of its machine types' bounds."""

    types: tuple[TypeBound, ...]

    @property
    def total(self) -> int:
        """Return the lower bound on operators."""
        return sum(t.least for t in self.types)

    def allowed(self, kind: str, stations: int) -> list[Counts] | None:
        """Return the counts of ``kind`` that may fit a line of ``stations``, or None if any."""
        mine = next(t for t in self.types if t.kind == kind)
        if not mine.by_counts:
            return None
        room = stations - (self.total - mine.least)
        return [counts for counts, need in mine.by_counts.items() if need <= room]


def packing_bound(
    problem: LineProblem, ranges: Mapping[int, tuple[int, int]], cycle_e4: int, seconds: float
) -> PackingBound:
    """Return each machine type's packing bound at this cycle time, within ``seconds``."""
    deadline = perf_counter() + seconds
    kinds = sorted({t.machine_type for t in problem.tasks})
    every = sum(hi for _, hi in ranges.values())
    plans: list[tuple[str, list[int], list[tuple[int, ...]]]] = []
    for kind in kinds:
        free = [t.id for t in problem.tasks if t.machine_type == kind and _free(ranges[t.id])]
        choices = list(itertools.product(*(range(ranges[i][0], ranges[i][1] + 1) for i in free)))
        plans.append((kind, free, choices if free and len(choices) <= MOST_COMBINATIONS else []))
    # the time is shared evenly by the packings still to solve
    left = sum(max(1, len(choices)) for _, _, choices in plans)
    types: list[TypeBound] = []
    for kind, free, choices in plans:
        if not choices:
            share = (deadline - perf_counter()) / left
            left -= 1
            least = (
                _pack(problem, ranges, cycle_e4, kind, share, every)
                if share > 0
                else _work(problem, ranges, cycle_e4, kind)
            )
            types.append(TypeBound(kind, least, {}))
            continue
        by_counts: dict[Counts, int] = {}
        for choice in choices:
            fixed = dict(ranges)
            fixed.update({i: (c, c) for i, c in zip(free, choice, strict=True)})
            share = (deadline - perf_counter()) / left
            left -= 1
            # out of time (building a model costs too): what the work alone needs
            by_counts[tuple(zip(free, choice, strict=True))] = (
                _pack(problem, fixed, cycle_e4, kind, share, every)
                if share > 0
                else _work(problem, fixed, cycle_e4, kind)
            )
        types.append(TypeBound(kind, min(by_counts.values()), by_counts))
    return PackingBound(tuple(types))


def _work(
    problem: LineProblem, ranges: Mapping[int, tuple[int, int]], cycle_e4: int, kind: str
) -> int:
    """Return the operators of ``kind`` its work needs at its best efficiency.

    And no fewer than its shares longer than half a station: no two share one.
    """
    capacity = Fraction(best_efficiency(problem)[kind] * cycle_e4, FULL_EFFICIENCY)
    mine = [t for t in problem.tasks if t.machine_type == kind]
    # split in p parts a share is sam / p: long for every p in range, at least lo of them
    big = sum(ranges[t.id][0] for t in mine if 2 * t.sam_e4 > capacity * max(ranges[t.id][1], 1))
    return max(ceil(sum(t.sam_e4 for t in mine) / capacity), big)


def _free(span: tuple[int, int]) -> bool:
    return span[0] < span[1]


def _pack(
    problem: LineProblem,
    ranges: Mapping[int, tuple[int, int]],
    cycle_e4: int,
    kind: str,
    seconds: float,
    every: int,
) -> int:
    """Return the fewest operators of ``kind`` (a proved bound when out of time)."""
    model = GroupModel(problem, every, cycle_e4, cycle_e4, ranges, relaxed=True, only=kind)
    outcome = model.solve(max(seconds, 0.05), 1, "stations")
    if outcome.status == "infeasible":
        return every + 1  # this type cannot be packed at all with these counts
    # CP-SAT's bound is proved even when it runs out of time, but may then be below what
    # the work alone needs (0 when stopped before its first bound)
    return max(ceil(outcome.bound), _work(problem, ranges, cycle_e4, kind))


def relaxed_bound(
    problem: LineProblem, ranges: Mapping[int, tuple[int, int]], cycle_e4: int, seconds: float
) -> int:
    """Return a lower bound on operators: per machine type, a packing respecting precedence."""
    return packing_bound(problem, ranges, cycle_e4, seconds).total


def bottleneck_bound(
    problem: LineProblem,
    stations: int,
    low: int,
    high: int,
    ranges_at: Callable[[int, int], dict[int, tuple[int, int]]],
    seconds: float,
    runs: bool = True,
) -> int:
    """Return a lower bound on the bottleneck of a line of ``stations`` operators.

    Bisect the cycle between a proved ``low`` and a known line's ``high``: when even the
    per-machine-type packings at cycle ``c`` need more than ``stations`` operators, no line
    has a bottleneck in ``[low, c]``. ``ranges_at(low, c)`` gives the split counts a line
    with a bottleneck in that range may use. Stops with what is proved when time runs out.
    ``runs``: try the interval bound (``intervals.py``) before the packings at each step.
    """
    deadline = perf_counter() + seconds
    top = high
    while low < top and perf_counter() < deadline:
        middle = (low + top) // 2
        ranges = ranges_at(low, middle)
        if any(lo > hi for lo, hi in ranges.values()):
            low = middle + 1  # some task cannot be split finely enough: no such line
            continue
        least = {task_id: lo for task_id, (lo, _) in ranges.items()}
        windows = partial(line_bound, cycle_e4=middle, least_parts=least)
        chain = chain_bound(problem, ranges, middle, windows)
        if chain > stations or (
            runs and style_bound(problem, middle, ranges, stations, stations + 1) > stations
        ):
            low = middle + 1  # the closing chain or a run of stations rules the cycle out
            continue
        found = packing_bound(problem, ranges, middle, (deadline - perf_counter()) / 2)
        if found.total > stations:
            low = middle + 1
        else:
            top = middle
    return low
