"""Lower bounds and station windows: how many stations precede and follow each task."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from loom.apps.balancing.solver.garment.rules import FULL_EFFICIENCY, efficiency
from loom.apps.balancing.solver.model import LineProblem, Task


@dataclass(frozen=True)
class Window:
    """Stations (0-based) where a task's first and last share may sit."""

    first_lo: int
    first_hi: int
    last_lo: int
    last_hi: int

    @property
    def stations(self) -> range:
        """Return every station a share of the task may sit on."""
        return range(self.first_lo, self.last_hi + 1)


def closure(tasks: tuple[Task, ...]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Return every task's ancestors and descendants (the precedence graph must be acyclic)."""
    ancestors: dict[int, set[int]] = {}

    def visit(task_id: int) -> set[int]:
        if task_id not in ancestors:
            found: set[int] = set()
            for pred in by_id[task_id].predecessors:
                found |= {pred} | visit(pred)
            ancestors[task_id] = found
        return ancestors[task_id]

    by_id = {task.id: task for task in tasks}
    for task in tasks:
        visit(task.id)
    descendants: dict[int, set[int]] = {task.id: set() for task in tasks}
    for task_id, found in ancestors.items():
        for other in found:
            descendants[other].add(task_id)
    return ancestors, descendants


def best_efficiency(problem: LineProblem) -> dict[str, int]:
    """Return the fastest efficiency on each machine type among workers who hold it."""
    kinds = {task.machine_type for task in problem.tasks}
    if not problem.workers:
        return dict.fromkeys(kinds, FULL_EFFICIENCY)
    best: dict[str, int] = {}
    for kind in kinds:
        rates = [efficiency(w, kind) for w in problem.workers if kind in w.grades]
        best[kind] = max([r for r in rates if r > 0], default=1)
    return best


def capacities(problem: LineProblem, cycle_e4: int) -> dict[str, Fraction]:
    """Return the most standard time one station of each machine type can hold."""
    return {
        kind: Fraction(cycle_e4 * rate, FULL_EFFICIENCY)
        for kind, rate in best_efficiency(problem).items()
    }


def stations_needed(work: Mapping[str, int], capacity: Mapping[str, Fraction]) -> int:
    """Return the least stations holding this standard time per machine type."""
    return sum(_ceil(amount, capacity[kind]) for kind, amount in work.items() if amount)


def _ceil(amount: int, capacity: Fraction) -> int:
    # integer arithmetic: these run for every task of every sub-style (stacked.py)
    return -(-amount * capacity.denominator // capacity.numerator)


def _floor(amount: int, capacity: Fraction) -> int:
    return amount * capacity.denominator // capacity.numerator


def station_bound(problem: LineProblem, cycle_e4: int) -> int:
    """Return a lower bound on operators: each machine type on its own, at its best pace."""
    work: dict[str, int] = {}
    for task in problem.tasks:
        work[task.machine_type] = work.get(task.machine_type, 0) + task.sam_e4
    return stations_needed(work, capacities(problem, cycle_e4))


def cycle_bound(problem: LineProblem, operators: int) -> int:
    """Return a lower bound on the cycle time with at most ``operators`` stations.

    The smallest cycle whose per-machine-type station count fits the operators, and no
    less than the largest share of any task split into ``max_split`` parts.
    """
    best = best_efficiency(problem)
    share = max(
        ceil(Fraction(t.sam_e4 * FULL_EFFICIENCY, problem.max_split * best[t.machine_type]))
        for t in problem.tasks
    )
    low, high = max(share, 1), max(sum(t.sam_e4 for t in problem.tasks), 1) * FULL_EFFICIENCY
    while low < high:  # station_bound only falls as the cycle grows
        middle = (low + high) // 2
        if station_bound(problem, middle) <= operators:
            high = middle
        else:
            low = middle + 1
    return low


def windows(
    problem: LineProblem, stations: int, cycle_e4: int, least_parts: Mapping[int, int]
) -> dict[int, Window]:
    """Return each task's station window on a line of ``stations`` at this cycle time.

    Stations before a task's first share hold all its ancestors; on each machine type they
    need at least the ceiling of that work over a station's capacity (for the task's own
    type, the floor: its first share's station may hold the rest). Descendants likewise.
    """
    capacity = capacities(problem, cycle_e4)
    ancestors, descendants = closure(problem.tasks)
    by_id = {task.id: task for task in problem.tasks}
    result: dict[int, Window] = {}
    for task in problem.tasks:
        before = _per_kind(by_id, ancestors[task.id])
        after = _per_kind(by_id, descendants[task.id])
        first_lo = _others(before, task, capacity) + _floor(
            before.get(task.machine_type, 0), capacity[task.machine_type]
        )
        last_lo = _whole(before, task, capacity) - 1
        last_hi = (
            stations
            - 1
            - (
                _others(after, task, capacity)
                + _floor(after.get(task.machine_type, 0), capacity[task.machine_type])
            )
        )
        first_hi = stations - 1 - (_whole(after, task, capacity) - 1)
        parts = least_parts[task.id]
        result[task.id] = Window(
            first_lo,
            min(first_hi, last_hi - parts + 1),
            max(last_lo, first_lo + parts - 1),
            last_hi,
        )
    return along_chains(problem, result, least_parts)


def along_chains(
    problem: LineProblem, found: dict[int, Window], least_parts: Mapping[int, int]
) -> dict[int, Window]:
    """Tighten windows along precedence: a change of machine type needs the next station."""
    order = _topological(problem.tasks)
    by_id = {task.id: task for task in problem.tasks}
    successors: dict[int, list[int]] = {task.id: [] for task in problem.tasks}
    for task in problem.tasks:
        for pred in task.predecessors:
            successors[pred].append(task.id)
    result = dict(found)
    for task_id in order:
        task, w = by_id[task_id], result[task_id]
        first_lo = max(
            [w.first_lo] + [result[p].last_lo + _step(by_id[p], task) for p in task.predecessors]
        )
        last_lo = max(w.last_lo, first_lo + least_parts[task_id] - 1)
        result[task_id] = Window(first_lo, w.first_hi, last_lo, w.last_hi)
    for task_id in reversed(order):
        task, w = by_id[task_id], result[task_id]
        last_hi = min(
            [w.last_hi] + [result[s].first_hi - _step(task, by_id[s]) for s in successors[task_id]]
        )
        first_hi = min(w.first_hi, last_hi - least_parts[task_id] + 1)
        result[task_id] = Window(w.first_lo, first_hi, w.last_lo, last_hi)
    return result


def _step(before: Task, after: Task) -> int:
    return 0 if before.machine_type == after.machine_type else 1


def _topological(tasks: tuple[Task, ...]) -> list[int]:
    ancestors, _ = closure(tasks)
    return sorted((task.id for task in tasks), key=lambda task_id: len(ancestors[task_id]))


def line_bound(problem: LineProblem, cycle_e4: int, least_parts: Mapping[int, int]) -> int:
    """Return a lower bound on stations: per machine type, and along every precedence chain."""
    # windows on a line of 0 stations: each task needs lo - hi more stations to fit
    found = windows(problem, 0, cycle_e4, least_parts)
    chains = max(max(w.first_lo - w.first_hi, w.last_lo - w.last_hi) for w in found.values())
    return max(station_bound(problem, cycle_e4), chains)


def _per_kind(by_id: Mapping[int, Task], ids: set[int]) -> dict[str, int]:
    work: dict[str, int] = {}
    for task_id in ids:
        task = by_id[task_id]
        work[task.machine_type] = work.get(task.machine_type, 0) + task.sam_e4
    return work


def _others(work: Mapping[str, int], task: Task, capacity: Mapping[str, Fraction]) -> int:
    return stations_needed({k: v for k, v in work.items() if k != task.machine_type}, capacity)


def _whole(work: Mapping[str, int], task: Task, capacity: Mapping[str, Fraction]) -> int:
    own = work.get(task.machine_type, 0) + task.sam_e4
    return _others(work, task, capacity) + _ceil(own, capacity[task.machine_type])
