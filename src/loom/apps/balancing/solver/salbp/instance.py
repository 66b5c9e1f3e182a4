"""A SALBP instance (task times and precedence) and the feasibility checker for its answers.

Tasks are numbered 1..n as in the instance files; internally they are indices 0..n-1. Sets of
tasks are Python ints used as bitsets (bit ``i`` for task index ``i``): transitive closures of a
300-task graph then cost a few hundred big-int ORs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class InstanceError(ValueError):
    """Raise for an instance that is not a valid SALBP instance (the message says why)."""


@dataclass(frozen=True)
class Instance:
    """Task times (``times[i]`` is task ``i + 1``) and direct precedence pairs, 1-based."""

    times: tuple[int, ...]
    precedences: tuple[tuple[int, int], ...]
    name: str = ""
    # Derived, 0-based: direct and transitive predecessor/successor bitsets, a topological order.
    preds: tuple[int, ...] = field(init=False, repr=False, compare=False)
    succs: tuple[int, ...] = field(init=False, repr=False, compare=False)
    all_preds: tuple[int, ...] = field(init=False, repr=False, compare=False)
    all_succs: tuple[int, ...] = field(init=False, repr=False, compare=False)
    order: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.times)
        if n == 0:
            raise InstanceError("the instance has no tasks")
        for number, t in enumerate(self.times, start=1):
            if t < 0:
                raise InstanceError(f"task {number} has a negative time {t}")
        preds = [0] * n
        succs = [0] * n
        for i, j in self.precedences:
            if not (1 <= i <= n and 1 <= j <= n):
                raise InstanceError(f"precedence {i},{j} names a task outside 1..{n}")
            if i == j:
                raise InstanceError(f"precedence {i},{j} makes a task its own predecessor")
            preds[j - 1] |= 1 << (i - 1)
            succs[i - 1] |= 1 << (j - 1)
        order = _topological_order(preds, succs)
        all_preds = [0] * n
        for j in order:
            closure = preds[j]
            for i in _members(preds[j]):
                closure |= all_preds[i]
            all_preds[j] = closure
        all_succs = [0] * n
        for i in reversed(order):
            closure = succs[i]
            for j in _members(succs[i]):
                closure |= all_succs[j]
            all_succs[i] = closure
        object.__setattr__(self, "preds", tuple(preds))
        object.__setattr__(self, "succs", tuple(succs))
        object.__setattr__(self, "all_preds", tuple(all_preds))
        object.__setattr__(self, "all_succs", tuple(all_succs))
        object.__setattr__(self, "order", tuple(order))

    @property
    def n(self) -> int:
        """Return the number of tasks."""
        return len(self.times)

    @property
    def total_time(self) -> int:
        """Return the sum of all task times."""
        return sum(self.times)

    def reversed(self) -> Instance:
        """Return the instance with every precedence turned around (a line run backwards)."""
        flipped = tuple((j, i) for i, j in self.precedences)
        return Instance(self.times, flipped, self.name)

    def time_of(self, tasks: int) -> int:
        """Return the total time of a bitset of task indices."""
        return sum(self.times[i] for i in _members(tasks))


def members(bits: int) -> list[int]:
    """Return the task indices in a bitset, ascending."""
    return _members(bits)


def ready_after(instance: Instance, ready: list[int], bits: int, now: int) -> list[int]:
    """Return the tasks ready once load ``bits`` closes a station (``now``: all placed tasks).

    The rest of ``ready`` in its order, then each successor of the load whose predecessors are
    all placed, ascending and once.
    """
    opened = [i for i in ready if not bits >> i & 1]
    fresh = 0
    for i in _members(bits):
        fresh |= instance.succs[i]
    for j in _members(fresh & ~now):
        if instance.preds[j] & ~now == 0:
            opened.append(j)
    return opened


def _members(bits: int) -> list[int]:
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _topological_order(preds: list[int], succs: list[int]) -> list[int]:
    n = len(preds)
    waiting = [bin(p).count("1") for p in preds]
    ready = [i for i in range(n) if waiting[i] == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for j in _members(succs[i]):
            waiting[j] -= 1
            if waiting[j] == 0:
                ready.append(j)
    if len(order) < n:
        cyclic = sorted(i + 1 for i in range(n) if waiting[i] > 0)
        raise InstanceError(f"the precedence graph has a cycle through tasks {cyclic[:10]}")
    return order


def check(instance: Instance, cycle_time: int, stations: Sequence[Sequence[int]]) -> list[str]:
    """Return every way ``stations`` (1-based task numbers, in line order) is infeasible."""
    problems: list[str] = []
    n = instance.n
    where: dict[int, int] = {}
    for k, tasks in enumerate(stations, start=1):
        load = 0
        for task in tasks:
            if not 1 <= task <= n:
                problems.append(f"station {k}: task {task} does not exist (1..{n})")
                continue
            if task in where:
                problems.append(f"task {task} is assigned twice (stations {where[task]} and {k})")
                continue
            where[task] = k
            load += instance.times[task - 1]
        if load > cycle_time:
            problems.append(f"station {k}: load {load} exceeds the cycle time {cycle_time}")
    missing = [task for task in range(1, n + 1) if task not in where]
    if missing:
        problems.append(f"tasks not assigned: {missing[:20]}")
    for i, j in instance.precedences:
        if i in where and j in where and where[i] > where[j]:
            problems.append(
                f"task {i} (station {where[i]}) must not come after task {j} (station {where[j]})"
            )
    return problems
