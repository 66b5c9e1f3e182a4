"""A local search over a line: re-solve windows of consecutive stations on their own.

The operations of a run of consecutive stations form a style of their own: a predecessor
outside the run sits on an earlier station, a successor on a later one, so any line of the
run's operations can replace the run. A window is cut only where no split operation spans
the cut. The exact search proves such small styles in a fraction of a second and often
packs them into fewer operators than the greedy or time-limited whole-line search left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from time import perf_counter

from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station

# stations per window, the step between windows and a window's own time limit (seconds):
# measured on the benchmark's shirts and jackets (docs/solver-garment.md)
WINDOW = 10
STEP = 5
WINDOW_LIMIT = 1.0

Resolve = Callable[[LineProblem, float], Assignment | None]


def improve(problem: LineProblem, line: Assignment, limit: float, resolve: Resolve) -> Assignment:
    """Return the line with windows re-solved by ``resolve`` until two passes find nothing.

    Anonymous operators only (a named line is returned as it is); every change is re-checked.
    """
    if problem.workers:
        return line
    deadline = perf_counter() + limit
    stations = list(line.stations)
    idle = 0  # passes in a row that found nothing; the next one shifts the windows
    while idle < 2 and perf_counter() < deadline:
        better = False
        start = idle * (STEP // 2)
        while start < len(stations) and perf_counter() < deadline:
            end = _cut(stations, start)
            if end is None:
                start += 1  # a split operation spans the window's first cut
                continue
            seconds = min(WINDOW_LIMIT, deadline - perf_counter())
            shorter = _resolve(problem, stations[start:end], seconds, resolve)
            if shorter is not None:
                trial = (*stations[:start], *shorter, *stations[end:])
                if not evaluate(problem, Assignment(trial)).violations:
                    stations, better = list(trial), True
            start += STEP
        idle = 0 if better else idle + 1
    return Assignment(tuple(stations))


def _cut(stations: list[Station], start: int) -> int | None:
    """Return where a window from ``start`` ends (no split spans it), None if none starts."""
    before = {task_id for station in stations[:start] for task_id, _ in station.tasks}
    end = min(len(stations), start + WINDOW)
    inside = {task_id for station in stations[start:end] for task_id, _ in station.tasks}
    if inside & before:
        return None
    while end < len(stations) and inside & {task_id for task_id, _ in stations[end].tasks}:
        inside |= {task_id for task_id, _ in stations[end].tasks}
        end += 1
    return end


def _resolve(
    problem: LineProblem, window: list[Station], seconds: float, resolve: Resolve
) -> tuple[Station, ...] | None:
    """Return the window's operations on fewer stations, or None."""
    inside = {task_id for station in window for task_id, _ in station.tasks}
    tasks = tuple(
        replace(task, predecessors=tuple(p for p in task.predecessors if p in inside))
        for task in problem.tasks
        if task.id in inside
    )
    found = resolve(replace(problem, tasks=tasks), seconds)
    if found is None or len(found.stations) >= len(window):
        return None
    return found.stations
