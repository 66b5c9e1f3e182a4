"""Find a plan of exactly ``m`` stations fast: short, narrow tree dives with varied priorities.

The proving search (``bbr``) enumerates every maximal load of a station before it descends;
on long lines with nearly no idle time (SCHOLL: 297 tasks, 45 idle units over 50 stations)
one station has hundreds of thousands of loads, so it never gets deep. A dive instead builds
loads lazily, task by task in priority order (include the task, or leave it out of this
station), keeps the first ``GENERATED`` maximal loads that idle little enough (stopping at
``FULL_ENOUGH`` once a load fills the station exactly), tries the fullest ``WIDTH`` of them and
descends. Fullest first matters: a station that wastes idle time early leaves the last
stations with long tasks and no short ones to fill the gaps. The same pruning as the proving
search applies (idle time, windows, LB1–LB3 and deadlines of the open tasks).

A dive proves nothing when it fails: it is incomplete by design. Dives restart with growing
time slices, alternating the line's direction (the reversed graph builds from the last
station) and the priority rule (tightest window, then positional weight or task time, with
random noise after the first rounds).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from time import perf_counter

from loom.apps.balancing.solver.salbp.bbr import Search, _chain_pool
from loom.apps.balancing.solver.salbp.instance import Instance, members, ready_after

Plan = list[list[int]]
WIDTH = 2  # loads tried per station in one dive
GENERATED = 50  # maximal loads collected per station before sorting by fill
FULL_ENOUGH = 10  # ... or this many when one of them fills the station exactly


class _Stop(Exception):
    """Unwind a dive at its deadline."""


class Dive:
    """One dive for a plan of at most ``m`` stations with one fixed task priority."""

    def __init__(
        self,
        instance: Instance,
        c: int,
        m: int,
        priority: list[float],
        search: Search | None = None,
        *,
        dominance: bool = False,
    ) -> None:
        self.instance = instance
        self.dominance = dominance  # skip loads that Jackson's rule dominates (see ``bbr``)
        self.c = c
        self.m = m
        self.priority = priority
        # The proving search's precomputations (windows, halves, sixths, deadlines) are reused.
        self.search = search if search is not None else Search(instance, c, m)
        self.rank = self.search.rank
        # LB2 and LB3 weights as (weight, tasks) groups: a node sums them by popcounts.
        self.halves = _groups(self.search.halves)
        self.sixths = _groups(self.search.sixths)
        self.failed: dict[int, int] = {}
        self.steps = 0
        self.deadline = 0.0

    def run(self, deadline: float) -> Plan | None:
        """Return a plan of at most ``m`` stations, or None when this dive finds none in time."""
        self.deadline = deadline
        inst = self.instance
        ready = [i for i in range(inst.n) if inst.preds[i] == 0]
        try:
            return self._node(0, 0, ready, 0)
        except _Stop:
            return None

    def _node(self, placed: int, k: int, ready: list[int], used: int) -> Plan | None:
        inst = self.instance
        search = self.search
        if placed == search.full:
            return []
        c, m = self.c, self.m
        if k >= m or self.failed.get(placed, m + 1) <= k:
            return None
        if not self.viable(placed, k, used):
            return None
        idle_left = search.slack - (k * c - used)
        candidates: list[tuple[int, int]] = []
        for item in self._loads(placed, ready, c - idle_left, k + 1):
            if self.dominance and search._dominated(item[0], placed | item[0], c - item[1]):
                continue
            candidates.append(item)
            if len(candidates) >= GENERATED or (item[1] == c and len(candidates) >= FULL_ENOUGH):
                break
        candidates.sort(key=lambda item: -item[1])  # stable: priority order among equal fills
        for bits, load in candidates[:WIDTH]:
            now = placed | bits
            opened = ready_after(inst, ready, bits, now)
            plan = self._node(now, k + 1, opened, used + load)
            if plan is not None:
                return [members(bits), *plan]
        self.failed[placed] = k
        return None

    def viable(self, placed: int, k: int, used: int) -> bool:
        """Return whether the open tasks pass LB1-LB3 and their deadlines after ``k`` stations."""
        search = self.search
        c, m = self.c, self.m
        rest = search.full & ~placed
        if self.instance.total_time - used > (m - k) * c:
            return False
        if sum(w * (rest & group).bit_count() for w, group in self.halves) > 2 * (m - k):
            return False
        if sum(w * (rest & group).bit_count() for w, group in self.sixths) > 6 * (m - k):
            return False
        if not search._deadlines_fit(placed, k):
            self.failed[placed] = k
            return False
        return True

    def _loads(
        self, placed: int, ready: list[int], least: int, station: int
    ) -> Iterator[tuple[int, int]]:
        """Yield maximal loads (bits, load) of at least ``least`` for ``station``, lazily."""
        inst = self.instance
        times = inst.times
        c = self.c
        latest = self.search.latest
        priority = self.priority
        must = self.search.must_by[station] & ~placed
        succ_list = self.search.succ_list
        preds = inst.preds
        # No load can hold more than the tasks that could join this station at all.
        pool = sum(t for _, t in _chain_pool(inst, self.rank, c, placed, ready))
        if pool < least:
            return

        def grow(
            free: list[int], done: int, bits: int, load: int, banned: int, lost: int
        ) -> Iterator[tuple[int, int]]:
            self.steps += 1
            if self.steps & 1023 == 0 and perf_counter() > self.deadline:
                raise _Stop
            if pool - lost < least:
                return
            # ``free`` holds only the open tasks that still fit: the room only shrinks.
            fits = [i for i in free if not banned >> i & 1]
            if not fits:
                if not free and load >= least and must & ~bits == 0:  # maximal
                    yield bits, load
                return
            i = max(fits, key=priority.__getitem__)
            now = done | 1 << i
            left = c - load - times[i]
            rest = [j for j in free if j != i and times[j] <= left]
            rest += [j for j in succ_list[i] if times[j] <= left and preds[j] & ~now == 0]
            yield from grow(rest, now, bits | 1 << i, load + times[i], banned, lost)
            if latest[i] > station:  # a task due in this station cannot be left out
                yield from grow(free, done, bits, load, banned | 1 << i, lost + times[i])

        yield from grow([i for i in ready if times[i] <= c], placed, 0, 0, 0, 0)


def _groups(weights: list[int]) -> list[tuple[int, int]]:
    groups: dict[int, int] = {}
    for i, w in enumerate(weights):
        if w:
            groups[w] = groups.get(w, 0) | 1 << i
    return sorted(groups.items())


def priorities(
    instance: Instance, c: int, m: int, rule: int, rng: random.Random, search: Search | None = None
) -> list[float]:
    """Return a task priority (higher first): tightest window, then weight or time, with noise."""
    times = instance.times
    search_latest = (search if search is not None else Search(instance, c, m)).latest
    weight = [t + instance.time_of(instance.all_succs[i]) for i, t in enumerate(times)]
    noise = 0.0 if rule < 2 else 0.3
    scale = float(instance.total_time + 1) * 10
    out = []
    for i, t in enumerate(times):
        second = weight[i] if rule % 2 == 0 else t
        out.append(-search_latest[i] * scale * 10 + second * (1 + noise * rng.random()))
    return out


def find(
    instance: Instance, c: int, m: int, deadline: float, *, seed: int = 0, dominance: bool = False
) -> Plan | None:
    """Return a plan of at most ``m`` stations found by restarted dives, or None by the deadline.

    ``dominance`` drops loads that Jackson's rule dominates. Measured in CPU seconds to reach
    the bound (27 Nov 2026): WEE-MAG c=46 0.8-0.9 s with it against 1.9-4.0 s without, c=45
    5.0 s against 9.4 s; but SCHOLL c=1659 over 12 s with it against 1.5-3.3 s without.
    """
    rng = random.Random(seed)
    reverse = instance.reversed()
    # Built once per direction: on 300 tasks that takes about as long as a short dive.
    sides = [
        (graph, flip, Search(graph, c, m)) for graph, flip in ((instance, False), (reverse, True))
    ]
    slice_ = 0.25
    rounds = 0
    while perf_counter() < deadline:
        rule = rounds % 4
        for graph, flip, search in sides:
            now = perf_counter()
            if now >= deadline:
                return None
            priority = priorities(graph, c, m, rule, rng, search)
            dive = Dive(graph, c, m, priority, search, dominance=dominance)
            plan = dive.run(min(deadline, now + slice_))
            if plan is not None:
                if flip:
                    plan.reverse()  # the reversed line's first station is the real last one
                return plan
        rounds += 1
        if rounds % 4 == 0:
            slice_ *= 2  # every rule had a turn at this slice length: give each more time
    return None
