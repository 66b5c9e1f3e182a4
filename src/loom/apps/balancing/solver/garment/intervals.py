"""The interval (destructive) bound: on a trial line of K stations, every run must hold its tasks.

On a line of ``K`` stations each task's shares lie in its window ``[E_j, L_j]`` (``bounds.py``:
the work of its ancestors before it, of its descendants after it, per machine type). For a
run of stations ``[a, b]``, the tasks whose whole window lies inside it are sewn there, so
they are a style of their own (drop every other share: what is left is still a valid line)
and need at least that style's lower bound: per machine type the work over a station's
capacity, and the shares longer than half a station one station each. When some run cannot
hold its tasks (or a window is empty) no line of ``K`` stations exists, and the bound is
``K + 1``. Unlike the per-type packing bound, this sees sub-assemblies interleaved along
the line: the tasks that must be done early (or late) compete for the same first (or last)
stations, whatever their machine type.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from math import ceil

from loom.apps.balancing.solver.garment.bounds import Window, along_chains, capacities, windows
from loom.apps.balancing.solver.garment.stacked import Reach, SubBounds, reaches, tightened
from loom.apps.balancing.solver.model import LineProblem

# Per task and machine type: (the type, the standard time, the shares longer than half
# a station whatever the split count)
Load = tuple[str, int, int]


def style_bound(
    problem: LineProblem,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    low: int,
    high: int,
    known: Mapping[frozenset[int], int] | None = None,
) -> int:
    """Return the interval bound with windows and end runs from sub-style bounds.

    ``known`` holds proved bounds of sub-styles (by their task ids), e.g. the head's.
    """
    if low >= high:
        return low
    sub = SubBounds(problem, cycle_e4, ranges, known)
    return interval_bound(problem, cycle_e4, ranges, low, high, reaches(sub), sub)


class StyleBounds:
    """The interval bound of one style at one cycle, its sub-style bounds kept between calls."""

    def __init__(
        self, problem: LineProblem, cycle_e4: int, ranges: Mapping[int, tuple[int, int]]
    ) -> None:
        """Keep the style; nothing is computed before the first call."""
        self.problem, self.cycle, self.ranges = problem, cycle_e4, ranges
        self.sub = SubBounds(problem, cycle_e4, ranges)
        self.reach: dict[int, Reach] | None = None

    def bound(self, low: int, high: int, known: Mapping[frozenset[int], int] | None = None) -> int:
        """Return ``style_bound``; with ``known`` stronger than the kept bounds, afresh."""
        if known and any(found > self.sub.bound(ids) for ids, found in known.items()):
            self.sub = SubBounds(self.problem, self.cycle, self.ranges, known)
            self.reach = None
        if low >= high:
            return low
        if self.reach is None:
            self.reach = reaches(self.sub)
        return interval_bound(
            self.problem, self.cycle, self.ranges, low, high, self.reach, self.sub
        )

    def places(self, stations: int) -> dict[int, tuple[int, int]]:
        """Return each task's first and last possible station on a line of ``stations``."""
        return places(self.problem, stations, self.cycle, self.ranges, self.reaches())

    def reaches(self) -> dict[int, Reach]:
        """Return each task's stations needed before and after it (computed once)."""
        if self.reach is None:
            self.reach = reaches(self.sub)
        return self.reach


def interval_bound(
    problem: LineProblem,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    low: int,
    high: int,
    reach: Mapping[int, Reach] | None = None,
    sub: SubBounds | None = None,
) -> int:
    """Return the least ``K`` in ``[low, high]`` no run of stations rules out (``high`` if none)."""
    base = base_windows(problem, cycle_e4, ranges, reach)
    stations = low
    while stations < high and not runs_fit(
        problem, _shifted(base, stations), stations, cycle_e4, ranges, sub
    ):
        stations += 1
    return stations


def places(
    problem: LineProblem,
    stations: int,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    reach: Mapping[int, Reach],
) -> dict[int, tuple[int, int]]:
    """Return each task's first and last possible station on a line of ``stations``."""
    found = _shifted(base_windows(problem, cycle_e4, ranges, reach), stations)
    return {task_id: (w.first_lo, w.last_hi) for task_id, w in found.items()}


def fits(
    problem: LineProblem,
    stations: int,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    reach: Mapping[int, Reach] | None = None,
    sub: SubBounds | None = None,
) -> bool:
    """Return False when no line of ``stations`` can hold the style (a proof); True otherwise.

    ``reach`` (``stacked.py``) narrows the windows by the sub-style bounds first.
    """
    found = _shifted(base_windows(problem, cycle_e4, ranges, reach), stations)
    return runs_fit(problem, found, stations, cycle_e4, ranges, sub)


def base_windows(
    problem: LineProblem,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    reach: Mapping[int, Reach] | None,
) -> dict[int, Window]:
    """Return the windows on a line of no stations: on ``K`` stations, the ends move by ``K``.

    Every latest station is ``K`` minus what follows, and the tightening along precedence
    only adds and compares: so the windows are computed once per style, not once per ``K``.
    """
    least = {task_id: lo for task_id, (lo, _) in ranges.items()}
    found = windows(problem, 0, cycle_e4, least)
    if reach is not None:
        found = along_chains(problem, tightened(found, reach, 0), least)
    return found


def _shifted(base: Mapping[int, Window], stations: int) -> dict[int, Window]:
    return {
        task_id: Window(w.first_lo, w.first_hi + stations, w.last_lo, w.last_hi + stations)
        for task_id, w in base.items()
    }


def runs_fit(
    problem: LineProblem,
    found: Mapping[int, Window],
    stations: int,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    sub: SubBounds | None = None,
) -> bool:
    """Return False when some task's window is empty or some run cannot hold its tasks.

    With ``sub``, the first and last runs also count their tasks' sub-style bound.
    """
    capacity = capacities(problem, cycle_e4)
    loads = {
        task.id: _load(task.sam_e4, task.machine_type, ranges[task.id], capacity)
        for task in problem.tasks
    }
    for window in found.values():
        if window.first_lo > window.first_hi or window.last_lo > window.last_hi:
            return False
        if window.first_lo < 0 or window.last_hi >= stations:
            return False
    # tasks by the last station they may reach; a run [a, b] holds those starting at a or later
    by_end: dict[int, list[int]] = {}
    for task_id, window in found.items():
        by_end.setdefault(window.last_hi, []).append(task_id)
    for start in range(stations):
        work: dict[str, int] = {}
        big: dict[str, int] = {}
        inside: set[int] = set()
        for end in range(start, stations):
            for task_id in by_end.get(end, ()):
                if found[task_id].first_lo >= start:
                    kind, amount, large = loads[task_id]
                    work[kind] = work.get(kind, 0) + amount
                    big[kind] = big.get(kind, 0) + large
                    inside.add(task_id)
            need = sum(
                max(ceil(amount / capacity[kind]), big[kind]) for kind, amount in work.items()
            )
            if need > end - start + 1:
                return False
            # the first or last stations: their tasks' own style, chains and all
            ends = start == 0 or end == stations - 1
            if (
                sub is not None
                and ends
                and inside
                and sub.bound(frozenset(inside)) > end - start + 1
            ):
                return False
    return True


def _load(sam_e4: int, kind: str, span: tuple[int, int], capacity: Mapping[str, Fraction]) -> Load:
    """Return a task's type, standard time and the shares no other share can join."""
    lo, hi = span
    # split in p parts, each share is sam / p; when even the finest split leaves shares over
    # half a station, no two of them (of any task) share a station, and there are >= lo
    large = lo if hi >= lo and Fraction(sam_e4, hi) * 2 > capacity[kind] else 0
    return kind, sam_e4, large
