"""The garment rules shared by the evaluator, the heuristic and the exact model."""

from __future__ import annotations

from fractions import Fraction
from math import ceil, lcm

from loom.apps.balancing.solver.model import LineProblem, Task, Worker

FULL_EFFICIENCY = 100


def efficiency(worker: Worker | None, machine_type: str) -> int:
    """Return a worker's efficiency (percent) on a machine type: 100 for an anonymous one."""
    if worker is None:
        return FULL_EFFICIENCY
    return worker.efficiency.get(machine_type, FULL_EFFICIENCY)


def may_sew(worker: Worker | None, task: Task) -> bool:
    """Return whether a worker holds the machine type at the task's grade or above."""
    if worker is None:
        return True
    grade = worker.grades.get(task.machine_type)
    # a non-positive efficiency cannot carry any load: treat it as not qualified
    return grade is not None and grade >= task.grade and efficiency(worker, task.machine_type) > 0


def share_time(task: Task, parts: int, worker: Worker | None) -> Fraction:
    """Return the exact operator time of one share: sam / parts * 100 / efficiency."""
    return Fraction(task.sam_e4 * FULL_EFFICIENCY, parts * efficiency(worker, task.machine_type))


def round_up(value: Fraction) -> int:
    """Return the smallest integer not below ``value`` (loads are reported rounded up)."""
    return ceil(value)


def part_scale(max_split: int) -> int:
    """Return the factor making every share ``sam * scale / parts`` an integer."""
    return lcm(*range(1, max(max_split, 1) + 1))


def split_range(problem: LineProblem, task: Task, cycle_e4: int) -> tuple[int, int]:
    """Return the least and most parts a task may be split into at a cycle time.

    A task is split only when it is longer than the cycle time for the slowest operator who
    may sew it (anonymous operators: at 100 %); then into at least as many parts as the
    fastest such operator needs, and at most ``max_split``. A task nobody may sew, or one
    that cannot fit even in ``max_split`` parts, gets an empty range (least > most).
    """
    capable = [w for w in problem.workers if may_sew(w, task)] if problem.workers else [None]
    if not capable:
        return 1, 0
    rates = [efficiency(w, task.machine_type) for w in capable]
    # share t/p at efficiency e fits when t * 100 <= p * c * e
    least = max(1, ceil(task.sam_e4 * FULL_EFFICIENCY / (cycle_e4 * max(rates))))
    if task.sam_e4 * FULL_EFFICIENCY <= cycle_e4 * min(rates):
        return least, least  # fits everyone who may sew it: never split
    return least, max(problem.max_split, 1) if least <= problem.max_split else 0


def loosest_cycle(problem: LineProblem) -> int:
    """Return a cycle time at which every task fits on one station, even for the slowest."""
    rates = [
        efficiency(w, t.machine_type)
        for t in problem.tasks
        for w in problem.workers
        if may_sew(w, t)
    ]
    slowest = min([*rates, FULL_EFFICIENCY])
    return -(-sum(t.sam_e4 for t in problem.tasks) * FULL_EFFICIENCY // slowest)


def operator_range(problem: LineProblem, task_id: int, low: int, high: int) -> tuple[int, int]:
    """Return part counts valid for some cycle time in ``[low, high]``."""
    task = next(t for t in problem.tasks if t.id == task_id)
    least, _ = split_range(problem, task, high)
    shortest_lo, shortest_hi = split_range(problem, task, low)
    if shortest_lo == shortest_hi == 1:
        return 1, 1  # fits everyone even at the lowest cycle: never split
    return least, problem.max_split  # empty when even max_split parts are too long
