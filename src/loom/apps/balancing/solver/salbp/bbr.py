"""Branch, bound and remember: is there a plan with at most ``m`` stations?

Station-oriented depth-first search in the spirit of SALOME and BB&R (Scholl and Klein 1997;
Sewell and Jacobson 2012): a node is the set of tasks already placed in closed stations; its
children are the *maximal* loads of the next station (no further available task fits), which
lose nothing because moving a task forward into a station with room keeps a plan feasible.

Pruning, each cheap with tasks as bitsets:
- idle time: m stations leave exactly ``m c - sum t`` idle, so a load idling more fails;
- windows: a task whose latest station (m + 1 - stations it and its successors need) is the
  current one must be in the current load;
- bounds on what is left: LB1, LB2 and LB3 of the remaining tasks, kept as running sums;
- deadlines: the open tasks whose latest station is j or earlier must fit in stations k+1..j;
- twins: of interchangeable tasks (same time, same direct predecessors and successors) the
  lower-numbered one is always placed first;
- dominance (Jackson's rule): a load is dropped when an open task that dominates one of its
  tasks could take that task's place (see ``_dominators``);
- memory: a set of placed tasks proved hopeless after ``k`` stations is hopeless after ``k`` or
  more; these proofs survive restarts, so the search can alternate direction (forward on the
  graph, or on the reversed graph) with growing node budgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from time import perf_counter

from loom.apps.balancing.solver.salbp.bounds import halves, sixths, tails
from loom.apps.balancing.solver.salbp.instance import Instance, members, ready_after

Plan = list[list[int]]
PROGRESS = 200  # steps per remembered failure below which the proof is making headway


class _OutOfBudget(Exception):
    """Unwind the search when its node budget or deadline is spent."""


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass
class Search:
    """The search of one graph direction for a plan of at most ``m`` stations."""

    instance: Instance
    c: int
    m: int
    failed: dict[int, int] = field(default_factory=dict)  # placed set -> fewest stations failed
    nodes: int = 0
    style: int = 0  # how to order a node's loads; restarts vary it (see ``key``)

    def __post_init__(self) -> None:
        inst = self.instance
        c = self.c
        self.times = inst.times
        self.full = (1 << inst.n) - 1
        self.slack = self.m * c - inst.total_time
        tail = tails(inst, c)
        # must_by[k]: tasks whose latest station is k or earlier (placed once k closes).
        self.must_by = [0] * (self.m + 2)
        self.latest = [max(self.m + 1 - q, 0) for q in tail]
        for i, q in enumerate(tail):
            latest = self.m + 1 - q
            for k in range(max(latest, 0), self.m + 2):
                self.must_by[k] |= 1 << i
        self.rank = [0] * inst.n
        for r, task in enumerate(inst.order):
            self.rank[task] = r
        self.halves = [halves(t, c) for t in self.times]
        self.sixths = [sixths(t, c) for t in self.times]
        twins: dict[tuple[int, int, int], list[int]] = {}
        for i, t in enumerate(self.times):
            twins.setdefault((t, inst.preds[i], inst.succs[i]), []).append(i)
        self.twin_before = [0] * inst.n
        for group in twins.values():
            # Twins in topological rank order, the order in which loads are built.
            group.sort(key=lambda i: self.rank[i])
            for a, b in pairwise(group):
                self.twin_before[b] = 1 << a
        self.dominators = _dominators(inst, self.rank)
        self.succ_list = [members(s) for s in inst.succs]
        # Try loads with the tasks of tightest windows first: they fail soonest.
        self.weight = [q * (inst.total_time + 1) + t for q, t in zip(tail, self.times, strict=True)]

    def _deadlines_fit(self, placed: int, k: int) -> bool:
        """Return whether the open tasks due by each later station fit in the stations left."""
        c = self.c
        due = [0] * (self.m + 2)  # time of open tasks by latest station
        big = [0] * (self.m + 2)  # and their LB2 halves
        latest = self.latest
        halves = self.halves
        times = self.times
        for i in members(self.full & ~placed):
            due[latest[i]] += times[i]
            big[latest[i]] += halves[i]
        total = 0
        count = 0
        for j in range(k + 1, self.m + 1):
            total += due[j]
            count += big[j]
            if total > (j - k) * c or count > 2 * (j - k):
                return False
        return True

    def key(self, item: tuple[int, int, int]) -> tuple[int, int]:
        """Order loads: tightest windows first (0), fullest first (1), fullest, ties shuffled."""
        bits, score, load = item
        if self.style == 0:
            return (-score, -load)
        if self.style == 1:
            return (-load, -score)
        return (-load, hash((bits, self.style)))

    def run(self, budget: int, deadline: float) -> tuple[Plan | None, bool]:
        """Search up to ``budget`` new nodes: (plan, True), (None, True) if none, or unknown."""
        self.budget = self.nodes + budget
        self.deadline = deadline
        rest = self.instance.total_time
        halves = sum(self.halves)
        sixths = sum(self.sixths)
        ready = [i for i in range(self.instance.n) if self.instance.preds[i] == 0]
        try:
            plan = self._node(0, 0, rest, halves, sixths, ready)
        except _OutOfBudget:
            return None, False
        return plan, True

    def _node(
        self, placed: int, k: int, rest: int, halves: int, sixths: int, ready: list[int]
    ) -> Plan | None:
        if placed == self.full:
            return []
        left = self.m - k
        c = self.c
        if left * c < rest or 2 * left < halves or 6 * left < sixths:
            return None
        if self.failed.get(placed, self.m + 1) <= k:
            return None
        if not self._deadlines_fit(placed, k):
            self.failed[placed] = k
            return None
        self.nodes += 1
        if self.nodes >= self.budget or (self.nodes & 255 == 0 and perf_counter() > self.deadline):
            raise _OutOfBudget
        idle_left = self.slack - (k * c - (self.instance.total_time - rest))
        must = self.must_by[k + 1] & ~placed
        loads = self._loads(placed, ready, c - idle_left, must)
        loads.sort(key=self.key)
        for bits, _, load in loads:
            now = placed | bits
            opened = ready_after(self.instance, ready, bits, now)
            tasks = members(bits)
            plan = self._node(
                now,
                k + 1,
                rest - load,
                halves - sum(self.halves[i] for i in tasks),
                sixths - sum(self.sixths[i] for i in tasks),
                opened,
            )
            if plan is not None:
                return [tasks, *plan]
        if self.failed.get(placed, self.m + 1) > k:
            self.failed[placed] = k
        return None

    def _loads(
        self, placed: int, ready: list[int], least: int, must: int
    ) -> list[tuple[int, int, int]]:
        """Return the maximal loads (bits, priority, load) of at least ``least`` with ``must``."""
        c = self.c
        times = self.times
        rank = self.rank
        succ_list = self.succ_list
        preds = self.instance.preds
        twin_before = self.twin_before
        weight = self.weight
        out: list[tuple[int, int, int]] = []
        pool = self._pool(placed, ready)  # (rank, time) of every task that could join, by rank
        must_ranks = [rank[i] for i in members(must)]

        def grow(free: list[int], done: int, bits: int, load: int, score: int, last: int) -> None:
            self.nodes += 1
            if self.nodes & 1023 == 0 and (
                self.nodes >= self.budget or perf_counter() > self.deadline
            ):
                raise _OutOfBudget
            room = c - load
            if not free:  # maximal: nothing else fits
                if load >= least and must & ~bits == 0 and not self._dominated(bits, done, room):
                    out.append((bits, score, load))
                return
            for r in must_ranks:  # loads grow in rank order: a skipped must-task is lost
                if r <= last and not bits >> self.instance.order[r] & 1:
                    return
            # Even every later task that could still join cannot fill the station enough.
            reach = load
            for r, t in pool:
                if r > last and t <= room:
                    reach += t
            if reach < least:
                return
            for i in free:
                t = times[i]
                if rank[i] <= last or twin_before[i] & ~done:
                    continue
                now = done | 1 << i
                left = room - t
                # ``free`` holds only tasks that still fit: the room only shrinks.
                rest = [j for j in free if j != i and times[j] <= left]
                for j in succ_list[i]:
                    if times[j] <= left and preds[j] & ~now == 0:
                        rest.append(j)
                grow(rest, now, bits | 1 << i, load + t, score + weight[i], rank[i])

        grow([i for i in ready if times[i] <= c], placed, 0, 0, 0, -1)
        return out

    def _dominated(self, bits: int, done: int, room: int) -> bool:
        """Return whether an open task that dominates one in the load could replace it."""
        times = self.times
        preds = self.instance.preds
        dominators = self.dominators
        while bits:
            low = bits & -bits
            bits ^= low
            j = low.bit_length() - 1
            reach = room + times[j]
            cand = dominators[j] & ~done
            while cand:
                low = cand & -cand
                cand ^= low
                i = low.bit_length() - 1
                if times[i] <= reach and preds[i] & ~done == 0:
                    return True
        return False

    def _pool(self, placed: int, ready: list[int]) -> list[tuple[int, int]]:
        return _chain_pool(self.instance, self.rank, self.c, placed, ready)


def _chain_pool(
    instance: Instance, rank: list[int], c: int, placed: int, ready: list[int]
) -> list[tuple[int, int]]:
    """Return (rank, time) of the tasks that could join the next station, sorted by rank.

    A task qualifies when it is ready, or all its open predecessors qualify and the longest
    chain of open tasks ending in it fits in one station.
    """
    times = instance.times
    chain = {i: times[i] for i in ready}
    frontier = sorted(ready, key=rank.__getitem__)
    for i in frontier:  # grows while iterated: a breadth-first walk in rank order
        for j in members(instance.succs[i]):
            if j in chain or placed >> j & 1:  # placed at the far end (two-ended dives)
                continue
            open_preds = members(instance.preds[j] & ~placed)
            if any(p not in chain for p in open_preds):
                continue
            length = times[j] + max(chain[p] for p in open_preds)
            if length <= c:
                chain[j] = length
                frontier.append(j)
    return sorted((rank[i], times[i]) for i in chain)


def _dominators(instance: Instance, rank: list[int]) -> list[int]:
    """Return, per task j, the tasks that dominate it (Jackson's rule), as bitsets.

    Task i dominates j when the two are not linked by precedence, t_i >= t_j, i's successors
    include all of j's, and (t_i, number of successors, -rank) is greater. Swapping such an
    i forward for j keeps a plan feasible (j takes i's later station: its successors follow i
    anyway, and its station gets no fuller), so a load holding j while i could take its place
    need not be tried. The lexicographic key makes the relation acyclic, and with the rank as
    last key it agrees with the twins rule (twins are equal except in rank).
    """
    times = instance.times
    n = instance.n
    succs = instance.all_succs
    everyone = (1 << n) - 1
    same = dict.fromkeys(times, 0)  # tasks by time, and tasks longer than a time
    for i, t in enumerate(times):
        same[t] |= 1 << i
    longer = {t: sum(same[u] for u in same if u > t) for t in same}
    out = [0] * n
    for j in range(n):
        # Tasks whose successors include all of j's precede each of them.
        wider = everyone
        for s in members(succs[j]):
            wider &= instance.all_preds[s]
        wider &= ~(instance.all_preds[j] | succs[j] | 1 << j)
        out[j] = wider & longer[times[j]]
        for i in members(wider & same[times[j]]):
            if succs[i] != succs[j] or rank[i] < rank[j]:
                out[j] |= 1 << i
    return out


class Prover:
    """The search for a plan of at most ``m`` stations, resumable: it runs in time slices."""

    def __init__(self, instance: Instance, c: int, m: int) -> None:
        self.searches = ((Search(instance, c, m), False), (Search(instance.reversed(), c, m), True))
        self.budget = 1000
        self.style = 1

    def progressing(self) -> bool:
        """Return whether the search closes subtrees often enough to hope for a proof.

        Measured on the benchmark's misses after 3 s: lines whose stations have few loads
        (WEE-MAG, LUTZ2) remember a failed node every 30-120 steps; long, tightly packed
        lines (SCHOLL, BARTHOL2, ARC111) every 450-16,000, still enumerating their first
        stations' loads.
        """
        nodes = sum(search.nodes for search, _ in self.searches)
        failed = sum(len(search.failed) for search, _ in self.searches)
        return nodes < PROGRESS * max(failed, 1)

    def run(self, deadline: float) -> tuple[Plan | None, bool]:
        """Search forward and backward, alternating, until proved or the deadline.

        Returns (plan, True), (None, True) when no plan exists, or (None, False) at the deadline.
        """
        while perf_counter() < deadline:
            for search, flip in self.searches:
                search.style = self.style
                plan, proved = search.run(self.budget, deadline)
                if proved:
                    if plan is not None and flip:
                        plan.reverse()  # the reversed line's first station is the real last one
                    return plan, True
            self.budget *= 2
            self.style = 1 - self.style  # proofs carry over; a new order may find a plan sooner
        return None, False


def feasible(instance: Instance, c: int, m: int, deadline: float) -> tuple[Plan | None, bool]:
    """Search a plan of at most ``m`` stations forward and backward, alternating, until proved.

    Returns (plan, True), (None, True) when no plan exists, or (None, False) at the deadline.
    """
    return Prover(instance, c, m).run(deadline)
