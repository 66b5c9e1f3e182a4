"""A greedy line: open stations in order and fill each with the heaviest ready tasks."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from loom.apps.balancing.solver.garment.bounds import closure, cycle_bound
from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.rules import (
    FULL_EFFICIENCY,
    efficiency,
    may_sew,
    share_time,
    split_range,
)
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task, Worker


def greedy(problem: LineProblem, cycle_e4: int) -> Assignment | None:
    """Return a valid line at this cycle time built station by station, or None.

    Ready tasks are taken by ranked positional weight (own time plus all successors'); a
    station's first task fixes its machine type and, with named workers, the least versatile
    qualified worker, fastest first. A task longer than the cycle time gets the fewest parts
    that fit, each share on its own station.
    """
    ranges = {task.id: split_range(problem, task, cycle_e4) for task in problem.tasks}
    if any(lo > hi for lo, hi in ranges.values()):
        return None
    by_id = {task.id: task for task in problem.tasks}
    _, descendants = closure(problem.tasks)
    weight = {
        t.id: t.sam_e4 + sum(by_id[d].sam_e4 for d in descendants[t.id]) for t in problem.tasks
    }
    order = sorted(problem.tasks, key=lambda t: (-weight[t.id], t.id))
    parts: dict[int, int] = {}
    left: dict[int, int] = {}  # shares still to place, once the part count is chosen
    done: set[int] = set()
    free = list(problem.workers)
    stations: list[Station] = []
    while len(done) < len(problem.tasks):
        ready = [t for t in order if t.id not in done and all(p in done for p in t.predecessors)]
        started = [t for t in ready if t.id in left]
        seed = started[0] if started else ready[0]
        worker = _pick_worker(problem, seed, free, cycle_e4, parts, ranges)
        if problem.workers and worker is None:
            return None
        if worker is not None:
            free.remove(worker)
        chosen: list[tuple[int, int]] = []
        load = Fraction(0)
        progress = True
        while progress:
            progress = False
            for task in order:
                if task.id in done or any(p not in done for p in task.predecessors):
                    continue
                if task.machine_type != seed.machine_type or not may_sew(worker, task):
                    continue
                if any(task.id == placed for placed, _ in chosen):
                    continue
                count = parts.get(task.id) or _fewest_parts(
                    task, worker, cycle_e4 - load, ranges[task.id], free, cycle_e4
                )
                if count is None or load + share_time(task, count, worker) > cycle_e4:
                    continue
                parts[task.id] = count
                left[task.id] = left.get(task.id, count) - 1
                chosen.append((task.id, count))
                load += share_time(task, count, worker)
                if left[task.id] == 0:
                    done.add(task.id)
                    del left[task.id]
                progress = True
                break
        if not chosen:
            return None
        stations.append(Station(None if worker is None else worker.id, tuple(chosen)))
    return Assignment(tuple(stations))


def _fewest_parts(
    task: Task,
    worker: Worker | None,
    room: Fraction | int,
    span: tuple[int, int],
    free: list[Worker],
    cycle_e4: int,
) -> int | None:
    """Return the fewest parts whose share fits ``room`` and enough other operators."""
    for count in range(span[0], span[1] + 1):
        if share_time(task, count, worker) > room:
            continue
        if worker is not None:  # named workers: the other shares need qualified free hands
            fit = [w for w in free if may_sew(w, task) and share_time(task, count, w) <= cycle_e4]
            if len(fit) < count - 1:
                continue
        return count
    return None


def _pick_worker(
    problem: LineProblem,
    seed: Task,
    free: list[Worker],
    cycle_e4: int,
    parts: Mapping[int, int],
    ranges: Mapping[int, tuple[int, int]],
) -> Worker | None:
    """Return the free worker for a station opened by ``seed`` (None when anonymous)."""
    if not problem.workers:
        return None
    # the seed's share must fit: its fixed share, or its smallest possible one
    count = parts.get(seed.id, ranges[seed.id][1])
    able = [w for w in free if may_sew(w, seed) and share_time(seed, count, w) <= cycle_e4]
    if not able:
        return None
    # keep versatile workers for later machine types; among equals, the fastest
    return min(able, key=lambda w: (len(w.grades), -efficiency(w, seed.machine_type), w.id))


def greedy_operators(problem: LineProblem, operators: int) -> Assignment | None:
    """Return the greedy line with the smallest cycle time using at most ``operators``."""
    low = cycle_bound(problem, operators)
    slowest = min(
        [efficiency(w, k) for w in problem.workers for k in w.grades if efficiency(w, k) > 0],
        default=FULL_EFFICIENCY,
    )
    total = sum(t.sam_e4 for t in problem.tasks)
    high = max(low, -(-total * FULL_EFFICIENCY // slowest))
    best = _within(problem, high, operators)
    if best is None:
        return None
    while low < high:  # the greedy is not monotone in the cycle: a good answer, not a proof
        middle = (low + high) // 2
        found = _within(problem, middle, operators)
        if found is None:
            low = middle + 1
        else:
            best, high = found, min(middle, evaluate(problem, found).bottleneck_e4)
    return best


def _within(problem: LineProblem, cycle_e4: int, operators: int) -> Assignment | None:
    found = greedy(problem, cycle_e4)
    return found if found is not None and len(found.stations) <= operators else None
