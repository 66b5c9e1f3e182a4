"""Named lines from anonymous ones: balance at a tighter pace, then staff each station.

The greedy line picks a worker as it opens each station and can run out of qualified hands
half-way (an 80-operation jacket on 52 named operators: no line, and none from CP-SAT in
10 s either, though one exists). Here the line is built first for anonymous operators at
the target cycle scaled by an efficiency (so that a worker of that efficiency or better can
carry any station), then workers are matched to stations at once: a station may take a
worker who holds its machine type at every grade it needs and sews its load within the
cycle. A perfect matching (OR-Tools' linear sum assignment) is a valid line; which
efficiency gives the fewest stations that can still be staffed is found by trying several.
"""

from __future__ import annotations

from collections.abc import Mapping
from time import perf_counter

from ortools.graph.python import linear_sum_assignment

from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.layers import station_search
from loom.apps.balancing.solver.garment.rules import efficiency, may_sew, share_time, split_range
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task, Worker

#: the efficiencies (percent) tried as the anonymous pace's scale, besides the workers' own
#: extremes: a line at 100 % of a target fits only the average worker
QUANTILES = (1.0, 0.75, 0.5, 0.25, 0.0)
#: operators mode: any line short enough will do, so the middle paces, likelier to be
#: staffed, go first; and the bisection's steps the time is planned for (on an 80-operation
#: jacket one pace takes ~0.2 s: the width-32 beam and the windows)
MIDDLE_FIRST = (0.5, 0.25, 0.75)
STEPS = 4


def staffed_line(
    problem: LineProblem,
    cycle_e4: int,
    ranges: Mapping[int, tuple[int, int]],
    seconds: float,
    best: Assignment | None = None,
    quantiles: tuple[float, ...] = QUANTILES,
) -> Assignment | None:
    """Return the best of ``best`` (a valid line) and the lines found by staffing, or None.

    Best: the fewest operators, then the shortest bottleneck. The paces are tried in the
    order of ``quantiles`` (of the workers' efficiencies).
    """
    deadline = perf_counter() + seconds
    rates = sorted(
        efficiency(w, kind) for w in problem.workers for kind in w.grades if efficiency(w, kind)
    )
    if not rates:
        return best
    scales = list(dict.fromkeys(rates[round(q * (len(rates) - 1))] for q in quantiles))
    best_key = None
    if best is not None:
        known = evaluate(problem, best)
        best_key = (known.operators, known.bottleneck_e4)
    for number, rate in enumerate(scales):
        left = deadline - perf_counter()
        if left <= 0:
            break
        pace = cycle_e4 * rate // 100
        line = _anonymous_line(problem, pace, ranges, left / (len(scales) - number))
        staffed = None if line is None else staff(problem, line, cycle_e4)
        if staffed is None:
            continue
        figures = evaluate(problem, staffed)
        if figures.violations:
            continue
        key = (figures.operators, figures.bottleneck_e4)
        if best_key is None or key < best_key:
            best, best_key = staffed, key
    return best


def _anonymous_line(
    problem: LineProblem, pace: int, ranges: Mapping[int, tuple[int, int]], seconds: float
) -> Assignment | None:
    """Return a line of anonymous operators at ``pace`` keeping the named part counts."""
    if pace <= 0:
        return None
    anonymous = LineProblem(problem.tasks, (), cycle_time_e4=pace, max_split=problem.max_split)
    # the named line's part counts (its split rule), each share short enough for the pace
    kept: dict[int, tuple[int, int]] = {}
    for task in problem.tasks:
        low, high = ranges[task.id]
        low = max(low, -(-task.sam_e4 // pace))
        if low > high:
            return None
        kept[task.id] = (low, high)
    return station_search(anonymous, pace, kept).beam(seconds)


def staff(problem: LineProblem, line: Assignment, cycle_e4: int) -> Assignment | None:
    """Return ``line`` with a named worker on every station, or None if no matching exists."""
    stations = line.stations
    workers = problem.workers
    if len(stations) > len(workers):
        return None
    by_id = {task.id: task for task in problem.tasks}
    matching = linear_sum_assignment.SimpleLinearSumAssignment()
    for number, station in enumerate(stations):
        kind = by_id[station.tasks[0][0]].machine_type
        able = False
        for column, worker in enumerate(workers):
            if _carries(worker, station, by_id, cycle_e4):
                # the slowest able hand: the fast ones stay free for the heavy stations
                matching.add_arc_with_cost(number, column, efficiency(worker, kind))
                able = True
        if not able:
            return None
    # workers left over are matched to stand-in stations that any of them may take
    for spare in range(len(stations), len(workers)):
        for column in range(len(workers)):
            matching.add_arc_with_cost(spare, column, 0)
    if matching.solve() != matching.OPTIMAL:
        return None
    return Assignment(
        tuple(
            Station(workers[matching.right_mate(number)].id, station.tasks)
            for number, station in enumerate(stations)
        )
    )


def _carries(worker: Worker, station: Station, by_id: Mapping[int, Task], cycle: int) -> bool:
    """Return whether ``worker`` may sew every share of ``station`` within the cycle."""
    tasks = [(by_id[task_id], parts) for task_id, parts in station.tasks]
    if not all(may_sew(worker, task) for task, _ in tasks):
        return False
    return sum(share_time(task, parts, worker) for task, parts in tasks) <= cycle


def shortest_staffed(
    problem: LineProblem,
    stations: int,
    span: tuple[int, int],
    seconds: float,
    best: Assignment | None,
) -> Assignment | None:
    """Operators mode: bisect the cycle in ``span`` for staffed lines of at most ``stations``.

    Returns the line with the shortest bottleneck of ``best`` and those found; a heuristic
    (staffing is not monotone in the cycle), no proof.
    """
    deadline = perf_counter() + seconds
    low, high = span
    shortest = evaluate(problem, best).bottleneck_e4 if best is not None else None
    while low <= high and perf_counter() < deadline:
        middle = (low + high) // 2
        ranges = {task.id: split_range(problem, task, middle) for task in problem.tasks}
        found = None
        if all(lo <= hi for lo, hi in ranges.values()):
            left = min(deadline - perf_counter(), seconds / STEPS)
            found = staffed_line(problem, middle, ranges, left, quantiles=MIDDLE_FIRST)
        if found is None or len(found.stations) > stations:
            low = middle + 1
            continue
        neck = evaluate(problem, found).bottleneck_e4
        if shortest is None or neck < shortest:
            best, shortest = found, neck
        high = min(middle, neck) - 1
    return best
