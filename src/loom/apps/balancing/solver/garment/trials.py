"""Exact trials from both ends of the line at once: whichever end proves it first.

A line read backwards is a line of the style with its precedence reversed (``stacked.py``),
so "is there a line of ``K`` stations?" can be searched station by station from the last
station too. The two searches see very different numbers of states: garment styles fan in
(sub-assemblies built in parallel, then one assembly chain), and from the end the chain is
forced while from the start every interleaving of the sub-assemblies is a state. Measured on
the benchmark's shirts (docs/solver-garment.md), backwards proved in 0.5-7 s of CPU what
forwards needed 6-17 s or more for. Neither end is proved the better one for every style, so
both run, a layer at a time, the backward search given ``BACKWARD_WEIGHT`` times the time.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from time import perf_counter

from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.layers import Layers, OutOfTime, station_search
from loom.apps.balancing.solver.garment.rules import operator_range
from loom.apps.balancing.solver.garment.stacked import reversed_style
from loom.apps.balancing.solver.model import Assignment, LineProblem

__all__ = ["OutOfTime", "Trials", "fewest_at_shortest_by_trials", "shortest_by_trials"]

# the backward search's time for each second of the forward one (measured on the shirts and
# jackets: backwards was the faster end on every one, 2.5 to over 10 times)
BACKWARD_WEIGHT = 4.0


class Trials:
    """Station-by-station trials of one anonymous style at one cycle, from both ends."""

    def __init__(
        self,
        problem: LineProblem,
        cycle_e4: int,
        ranges: Mapping[int, tuple[int, int]],
        forward: Layers | None = None,
    ) -> None:
        """Build both searches (``forward`` if the caller already has it)."""
        self.problem = problem
        self.forward = forward or station_search(problem, cycle_e4, ranges)
        self.backward = station_search(reversed_style(problem), cycle_e4, ranges)

    def trial(self, stations: int, seconds: float) -> Assignment | None:
        """Return a line with the fewest stations if it has at most ``stations``, or None.

        None proves no line of ``stations`` or fewer exists; ``OutOfTime`` proves nothing.
        """
        deadline = perf_counter() + seconds
        self.forward.deadline = self.backward.deadline = deadline
        runs: list[tuple[Generator[None, None, Assignment | None], bool]] = [
            (self.forward.steps(stations), False),
            (self.backward.steps(stations), True),
        ]
        spent = [0.0, 0.0]
        while True:
            side = 0 if BACKWARD_WEIGHT * spent[0] < spent[1] else 1
            steps, backwards = runs[side]
            began = perf_counter()
            try:
                next(steps)
            except StopIteration as finished:
                line: Assignment | None = finished.value
                if line is not None and backwards:
                    line = Assignment(tuple(reversed(line.stations)))
                return line
            spent[side] += perf_counter() - began

    def shorter(self, line: Assignment, bound: int, seconds: float) -> tuple[Assignment, int]:
        """Return the best line and the proved bound after a trial one station below ``line``.

        No line of fewer stations proves ``line`` optimal; a line found is the fewest (the
        first layer to finish, from either end); out of time, both are returned as they were.
        """
        try:
            found = self.trial(len(line.stations) - 1, seconds)
        except OutOfTime:
            return line, bound
        if found is None:
            return line, len(line.stations)
        if evaluate(self.problem, found).violations:  # never expected: keep what is known
            return line, bound
        return found, len(found.stations)


def shortest_by_trials(
    problem: LineProblem,
    best: Assignment,
    stations: int,
    ranges: Mapping[int, tuple[int, int]],
    seconds: float,
) -> tuple[Assignment, bool]:
    """Return the line of ``stations`` with the shortest bottleneck trials find, and if proved.

    No line at a cycle one e4 below the best line's bottleneck (with the target's split
    counts) proves that bottleneck shortest; a line found there replaces it and the next
    trial goes below that one. Anonymous operators.
    """
    deadline = perf_counter() + seconds
    while perf_counter() < deadline:
        cycle = evaluate(problem, best).bottleneck_e4 - 1
        if cycle <= 0:
            return best, True
        try:
            found = Trials(problem, cycle, ranges).trial(stations, deadline - perf_counter())
        except OutOfTime:
            return best, False
        if found is None:
            return best, True
        if evaluate(problem, found).violations:  # never expected: keep what is known
            return best, False
        best = found
    return best, False


def fewest_at_shortest_by_trials(
    problem: LineProblem, best: Assignment, stations: int, low: int, seconds: float
) -> tuple[Assignment, bool, bool]:
    """Operators mode: return the line, whether its bottleneck and then its operators are proved.

    A trial at one e4 below the best bottleneck, with every part count some bottleneck in
    ``[low, that]`` allows (the split rule: a task is split only when longer than the line's
    bottleneck), finding no line of ``stations`` proves the bottleneck shortest. A line found
    there replaces the best when it keeps the split rule; when it does not (the part counts
    are a relaxation) nothing is concluded. Then a trial a station below the line at the
    proved bottleneck (its part counts now exact) proves the operators. Anonymous operators.
    """
    deadline = perf_counter() + seconds
    while True:
        neck = evaluate(problem, best).bottleneck_e4
        ranges = {t.id: operator_range(problem, t.id, low, neck - 1) for t in problem.tasks}
        if neck - 1 < low or any(lo > hi for lo, hi in ranges.values()):
            break  # no cycle below the bottleneck is possible: it is the shortest
        try:
            found = Trials(problem, neck - 1, ranges).trial(stations, deadline - perf_counter())
        except OutOfTime:
            return best, False, False
        if found is None:
            break
        if evaluate(problem, found).violations or not keeps_split_rule(problem, found):
            return best, False, False
        best = found
    exact = {t.id: operator_range(problem, t.id, neck, neck) for t in problem.tasks}
    try:
        fewer = Trials(problem, neck, exact).trial(
            len(best.stations) - 1, deadline - perf_counter()
        )
    except OutOfTime:
        return best, True, False
    if fewer is not None and not evaluate(problem, fewer).violations:
        return fewer, True, True  # the first layer to finish: the fewest at this bottleneck
    return best, True, fewer is None


def keeps_split_rule(problem: LineProblem, line: Assignment) -> bool:
    """Return True when every split operation is longer than the line's bottleneck."""
    neck = evaluate(problem, line).bottleneck_e4
    split = {task_id for station in line.stations for task_id, parts in station.tasks if parts > 1}
    return all(t.sam_e4 > neck for t in problem.tasks if t.id in split)
