"""Cost of a processing order, and the earliest-due-date baseline."""

from __future__ import annotations

from collections.abc import Sequence

from loom.apps.scheduling.solver.wt.instance import Job


def check_permutation(order: Sequence[int], count: int) -> None:
    """Raise ``ValueError`` unless ``order`` lists each of ``range(count)`` exactly once."""
    if len(order) != count or sorted(order) != list(range(count)):
        raise ValueError(f"not a permutation of the {count} jobs: {list(order)}")


def total_weighted_tardiness(jobs: Sequence[Job], order: Sequence[int]) -> int:
    """Return ΣwjTj when the jobs run back to back from time 0 in ``order`` (0-based)."""
    check_permutation(order, len(jobs))
    clock = 0
    total = 0
    for index in order:
        job = jobs[index]
        clock += job.processing
        if clock > job.due:
            total += job.weight * (clock - job.due)
    return total


def edd_order(jobs: Sequence[Job]) -> list[int]:
    """Return the earliest-due-date order (ties: larger weight first, then input order)."""
    return sorted(range(len(jobs)), key=lambda j: (jobs[j].due, -jobs[j].weight, j))
