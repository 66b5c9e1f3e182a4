"""Fast feasible plans: station-oriented priority rules and Hoffmann's station filling.

Each rule runs forward and on the reversed graph (stations then read back to front); the
plan with the fewest stations wins. Plans are lists of stations of 0-based task indices.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from loom.apps.balancing.solver.salbp.bounds import earliest_stations, tails
from loom.apps.balancing.solver.salbp.instance import Instance, members

Plan = list[list[int]]
HOFFMANN_NODES = 400  # subsets tried per station; enough to fill most stations exactly


def _priorities(instance: Instance, c: int, seed: int) -> list[list[float]]:
    """Return priority vectors (higher first) of the classic rules plus a few random ones."""
    times = instance.times
    n = instance.n
    follow = [bin(s).count("1") for s in instance.all_succs]
    direct = [bin(s).count("1") for s in instance.succs]
    weight = [t + instance.time_of(instance.all_succs[i]) for i, t in enumerate(times)]
    tail = tails(instance, c)
    early = earliest_stations(instance, c)
    rules: list[list[float]] = [
        [weight[i] + times[i] / (c + 1) for i in range(n)],  # positional weight
        [times[i] + weight[i] / (c * n + 1) for i in range(n)],  # longest task first
        [follow[i] + times[i] / (c + 1) for i in range(n)],  # most followers
        [direct[i] + times[i] / (c + 1) for i in range(n)],  # most direct followers
        [tail[i] + times[i] / (c + 1) for i in range(n)],  # smallest latest station
        [-early[i] + times[i] / (c + 1) for i in range(n)],  # smallest earliest station
        [times[i] / (c + 1) + weight[i] / (c * n + 1) for i in range(n)],
    ]
    rng = random.Random(seed)
    rules += [[rng.random() + weight[i] / (c * n + 1) for i in range(n)] for _ in range(3)]
    return rules


def _fill(instance: Instance, c: int, choose: Callable[[list[int], int, int], list[int]]) -> Plan:
    """Open stations one by one; ``choose(available, assigned, cap)`` picks a station's tasks."""
    waiting = [bin(p).count("1") for p in instance.preds]
    available = [i for i in range(instance.n) if waiting[i] == 0]
    plan: Plan = []
    assigned = 0
    while available:
        station = choose(available, assigned, c)
        if not station:  # only possible for a task longer than c; the caller rules that out
            raise ValueError("a task does not fit in an empty station")
        plan.append(station)
        for i in station:
            assigned |= 1 << i
        chosen = set(station)
        available = [i for i in available if i not in chosen]
        for i in station:
            for j in members(instance.succs[i]):
                waiting[j] -= 1
                if waiting[j] == 0 and not assigned >> j & 1:
                    available.append(j)
    return plan


def priority_rule(instance: Instance, c: int, priority: Sequence[float]) -> Plan:
    """Fill each station with the highest-priority task that fits, until none fits."""
    times = instance.times

    def choose(available: list[int], assigned: int, cap: int) -> list[int]:
        station: list[int] = []
        free = list(available)
        load = 0
        done = assigned
        while True:
            fits = [i for i in free if load + times[i] <= cap]
            if not fits:
                return station
            best = max(fits, key=lambda i: priority[i])
            station.append(best)
            load += times[best]
            done |= 1 << best
            free.remove(best)
            free += [
                j
                for j in members(instance.succs[best])
                if instance.preds[j] & ~done == 0 and not done >> j & 1
            ]

    return _fill(instance, c, choose)


def hoffmann(instance: Instance, c: int, priority: Sequence[float]) -> Plan:
    """Fill each station with the fullest load found among ``HOFFMANN_NODES`` subsets."""
    times = instance.times
    rank = {task: r for r, task in enumerate(instance.order)}

    def choose(available: list[int], assigned: int, cap: int) -> list[int]:
        best: list[int] = []
        best_load = -1
        nodes = 0

        def search(free: list[int], done: int, load: int, chosen: list[int], last: int) -> bool:
            nonlocal best, best_load, nodes
            nodes += 1
            # more tasks break ties: a zero-time task adds no load but must still be placed
            if load > best_load or (load == best_load and len(chosen) > len(best)):
                best, best_load = list(chosen), load
                if load == cap:
                    return True
            if nodes >= HOFFMANN_NODES:
                return True
            # Add tasks in increasing topological rank only, so each subset is built once.
            for i in sorted(free, key=lambda i: -priority[i]):
                if rank[i] <= last or load + times[i] > cap:
                    continue
                now = done | 1 << i
                opened = [
                    j
                    for j in members(instance.succs[i])
                    if instance.preds[j] & ~now == 0 and not now >> j & 1
                ]
                rest = [j for j in free if j != i] + opened
                chosen.append(i)
                stop = search(rest, now, load + times[i], chosen, rank[i])
                chosen.pop()
                if stop:
                    return True
            return False

        search(list(available), assigned, 0, [], -1)
        return best

    return _fill(instance, c, choose)


def _backward(plan: Plan) -> Plan:
    return [list(station) for station in reversed(plan)]


def best_plan(instance: Instance, c: int, *, seed: int = 0, deep: bool = True) -> Plan:
    """Return the plan with the fewest stations over all rules, forward and backward."""
    reverse = instance.reversed()
    best: Plan | None = None
    for graph, flip in ((instance, False), (reverse, True)):
        for priority in _priorities(graph, c, seed):
            methods = (priority_rule, hoffmann) if deep else (priority_rule,)
            for method in methods:
                plan = method(graph, c, priority)
                if flip:
                    plan = _backward(plan)
                if best is None or len(plan) < len(best):
                    best = plan
    assert best is not None
    return best
