"""Local search that squeezes a plan into fewer stations: minimise overload, then stop at zero.

Tree search proves well but finds plans of exactly LB stations slowly on long lines (SCHOLL,
BARTHOL2: 148-297 tasks, nearly no idle time). This simulated annealing starts from a plan
with one station more, maps it monotonically onto ``m`` stations (precedence survives, some
stations overflow) and moves single tasks between stations within their precedence range,
or swaps two, until no station exceeds the cycle time.
"""

from __future__ import annotations

import math
import random
from time import perf_counter

from loom.apps.balancing.solver.salbp.bounds import earliest_stations, tails
from loom.apps.balancing.solver.salbp.instance import Instance, members

Plan = list[list[int]]


def squeeze(
    instance: Instance, c: int, m: int, plan: Plan, deadline: float, *, seed: int = 0
) -> Plan | None:
    """Return a plan of ``m`` stations found from ``plan``, or None by the deadline."""
    n = instance.n
    times = instance.times
    rng = random.Random(seed)
    size = len(plan)
    station = [0] * n
    for k, tasks in enumerate(plan):
        for i in tasks:
            station[i] = k * m // size  # monotone: a predecessor never lands after a successor
    early = [e - 1 for e in earliest_stations(instance, c)]
    late = [m - q for q in tails(instance, c)]
    preds = [members(p) for p in instance.preds]
    succs = [members(s) for s in instance.succs]
    load = [0] * m
    for i in range(n):
        load[station[i]] += times[i]

    def over(value: int) -> int:
        return value - c if value > c else 0

    def span(i: int) -> tuple[int, int]:
        lo = max([early[i], *(station[p] for p in preds[i])])
        hi = min([late[i], *(station[s] for s in succs[i])])
        return lo, hi

    excess = sum(over(x) for x in load)
    temperature = max(1.0, c / 20)
    steps = 0
    while excess > 0:
        steps += 1
        if steps & 255 == 0:
            if perf_counter() > deadline:
                return None
            temperature = max(0.05, temperature * 0.97)
        i = rng.randrange(n)
        k = station[i]
        lo, hi = span(i)
        if lo >= hi:
            continue
        target = rng.randint(lo, hi)
        if target == k:
            continue
        delta = over(load[k] - times[i]) + over(load[target] + times[i])
        delta -= over(load[k]) + over(load[target])
        swap = -1
        if delta > 0 and rng.random() < 0.5:
            # try a swap partner in the target station whose range includes k
            partner = [j for j in range(n) if station[j] == target and j not in succs[i]]
            if partner:
                j = rng.choice(partner)
                station[i] = target  # j's range depends on i's station when i precedes j
                jlo, jhi = span(j)
                station[i] = k
                if jlo <= k <= jhi and i not in preds[j] and j not in preds[i]:
                    shift = times[i] - times[j]
                    delta = over(load[k] - shift) + over(load[target] + shift)
                    delta -= over(load[k]) + over(load[target])
                    swap = j
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            if swap >= 0:
                station[swap] = k
                load[k] += times[swap]
                load[target] -= times[swap]
            station[i] = target
            load[k] -= times[i]
            load[target] += times[i]
            excess += delta
    out: Plan = [[] for _ in range(m)]
    for i in range(n):
        out[station[i]].append(i)
    return [tasks for tasks in out if tasks]
