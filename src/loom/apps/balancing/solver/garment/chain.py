"""The assembly-chain bound: a style's closing chain of operations, packed exactly.

Styles end with an assembly chain: operations that every other operation precedes, one after
another. Call the chain's first operation ``v`` and the rest of the style ``P`` (all of
``v``'s ancestors). Let ``S`` be the last station holding a share of ``P``: every chain share
sits on ``S`` or later (precedence), and every station before ``S`` holds only ``P``. So a
line has at least ``LB(P)`` stations up to ``S`` (drop the chain: a valid line for ``P``)
plus the stations after ``S``, which hold the chain alone, in order, possibly continuing on
``S``. The latter is a chain of typed, possibly split operations, which a small dynamic
programme packs exactly. The packing bound pours the chain's work into other operators'
idle time; along the chain, every change of machine type costs the rest of a station.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from loom.apps.balancing.solver.garment.bounds import best_efficiency, closure
from loom.apps.balancing.solver.garment.rules import FULL_EFFICIENCY, part_scale
from loom.apps.balancing.solver.model import LineProblem, Station, Task

Plan = tuple[tuple[tuple[int, int], ...], ...]  # stations of (task id, parts)


@dataclass(frozen=True)
class ChainSplit:
    """A style cut into its head ``P`` (a sub-problem) and its closing chain, in order."""

    head: LineProblem
    chain: tuple[Task, ...]


def closing_chain(problem: LineProblem) -> ChainSplit | None:
    """Return the style's head and closing chain, or None when it does not end in one."""
    ancestors, descendants = closure(problem.tasks)
    everyone = len(problem.tasks) - 1
    # comparable with every other operation: on a chain through the whole style
    linked = {
        t.id for t in problem.tasks if len(ancestors[t.id]) + len(descendants[t.id]) == everyone
    }
    starts = [t for t in problem.tasks if t.id in linked and descendants[t.id] <= linked]
    if not starts:
        return None
    first = min(starts, key=lambda t: len(ancestors[t.id]))
    members = {first.id} | descendants[first.id]
    chain = tuple(
        sorted((t for t in problem.tasks if t.id in members), key=lambda t: len(ancestors[t.id]))
    )
    # no head operation follows a chain one, so the head's precedence stays within the head
    head = tuple(t for t in problem.tasks if t.id not in members)
    return ChainSplit(replace(problem, tasks=head), chain)


def chain_bound(
    problem: LineProblem,
    ranges: Mapping[int, tuple[int, int]],
    cycle_e4: int,
    head_bound: Callable[[LineProblem], int],
) -> int:
    """Return ``head_bound(head)`` plus the closing chain's own stations (0: no chain)."""
    split = closing_chain(problem)
    if split is None:
        return 0
    # S holds some head share of its machine type: at least the smallest one there is
    scale = part_scale(problem.max_split)
    opened: dict[str, int] = {}
    for task in split.head.tasks:
        least = FULL_EFFICIENCY * task.sam_e4 * scale // max(ranges[task.id][1], 1)
        opened[task.machine_type] = min(least, opened.get(task.machine_type, least))
    after = chain_stations(problem, split.chain, ranges, cycle_e4, opened)
    if after is None:
        return 0
    return (head_bound(split.head) if split.head.tasks else 0) + after


def chain_stations(
    problem: LineProblem,
    chain: tuple[Task, ...],
    ranges: Mapping[int, tuple[int, int]],
    cycle_e4: int,
    opened: Mapping[str, int],
) -> int | None:
    """Return the fewest stations a chain needs after a station ``S`` it may continue on.

    ``opened`` maps each machine type ``S`` may have to the least load it already holds, in
    the units below (empty: there is no ``S``). Each station holds what its best operator
    of that machine type can sew within the cycle (efficiency, not skills: a relaxation).
    None when some operation fits no station.
    """
    packed = _pack(problem, chain, ranges, cycle_e4, opened)
    return None if packed is None else len(packed) - (1 if opened else 0)


def append_chain(
    problem: LineProblem,
    head: tuple[Station, ...],
    chain: tuple[Task, ...],
    ranges: Mapping[int, tuple[int, int]],
    cycle_e4: int,
) -> tuple[Station, ...] | None:
    """Return the head's line with the chain packed after it, sharing the best station.

    Any head station none of whose operations has a successor on a later station may move
    to the end and take the chain's first shares; the one giving the fewest stations wins
    (ties: the latest). Anonymous operators; None when the chain fits no station.
    """
    _, descendants = closure(problem.tasks)
    by_id = {task.id: task for task in problem.tasks}
    scale = part_scale(problem.max_split)
    best: tuple[Station, ...] | None = None
    later: set[int] = set()  # operations on the stations after the one looked at
    for k in range(len(head) - 1, -1, -1):
        shares = head[k].tasks
        if all(not descendants[task_id] & later for task_id, _ in shares):
            load = sum(FULL_EFFICIENCY * by_id[t].sam_e4 * scale // n for t, n in shares)
            kind = by_id[shares[0][0]].machine_type
            plan = _pack(problem, chain, ranges, cycle_e4, {kind: load})
            if plan is not None and (best is None or len(head) + len(plan) - 1 < len(best)):
                moved = Station(None, shares + plan[0])
                rest = tuple(Station(None, more) for more in plan[1:])
                best = (*head[:k], *head[k + 1 :], moved, *rest)
        later |= {task_id for task_id, _ in shares}
    return best


def _pack(
    problem: LineProblem,
    chain: tuple[Task, ...],
    ranges: Mapping[int, tuple[int, int]],
    cycle_e4: int,
    opened: Mapping[str, int],
) -> Plan | None:
    scale = part_scale(problem.max_split)
    best = best_efficiency(problem)
    # states after each operation: (open station's type, its load: sam × scale × 100 / parts
    # summed) with the fewest stations so far and how they are filled (the open one last);
    # one station more is never better (open one instead)
    states: dict[tuple[str, int], Plan] = dict.fromkeys(opened.items(), ((),))
    for task in chain:
        room = best[task.machine_type] * scale * cycle_e4
        lo, hi = ranges[task.id]
        nexts: list[tuple[tuple[str, int], Plan]] = []
        for parts in range(lo, hi + 1):
            share = FULL_EFFICIENCY * task.sam_e4 * scale // parts
            if share > room:
                continue
            mine = ((task.id, parts),)
            for (kind, load), plan in states.items():
                if kind == task.machine_type and load + share <= room:
                    # the first share joins the open station, each other share a new one
                    left = share if parts > 1 else load + share
                    nexts.append(
                        ((kind, left), (*plan[:-1], plan[-1] + mine, *[mine] * (parts - 1)))
                    )
                nexts.append(((task.machine_type, share), (*plan, *[mine] * parts)))
            if not states:
                nexts.append(((task.machine_type, share), (mine,) * parts))
        if not nexts:
            return None
        fewest = min(len(plan) for _, plan in nexts)
        states = {}
        for (kind, load), plan in sorted(nexts, key=lambda entry: entry[0][1]):
            # per machine type, only the least-loaded open station
            if len(plan) == fewest and not any(k == kind for k, _ in states):
                states[kind, load] = plan
    return min(states.values(), key=len)
