"""Find a plan of exactly ``m`` stations by beam search over stations (incomplete, fast).

A dive (``dive``) commits to one line at a time and backtracks from its end; on long, tightly
packed lines a choice that wastes nothing now may still leave the last stations unfillable, and
the dive spends its time far below that choice. The beam instead keeps the best ``width``
partial lines per station count (the set of placed tasks, deduplicated) and extends each by its
fullest loads, generated lazily as in a dive (the generation stops early once enough loads
fill the station exactly); partial lines are ranked by idle time so far, then by the value of
the tasks placed: long tasks due early, or long tasks first (short ones then fill the last
stations). This is the station-wise beam of Blum's Beam-ACO for SALBP-1, without pheromones.
Every partial line passes the dive's pruning (idle time, LB1–LB3 and deadlines of
the open tasks) and the gap bound (``gaps``: idle forced beside tasks longer than c/2). A beam
that empties proves nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from time import perf_counter

from loom.apps.balancing.solver.salbp.bbr import Search
from loom.apps.balancing.solver.salbp.dive import Dive, _Stop, priorities
from loom.apps.balancing.solver.salbp.gaps import GapBound
from loom.apps.balancing.solver.salbp.instance import Instance, members, ready_after

Plan = list[list[int]]
BRANCH = 6  # fullest loads kept per partial line
GENERATED = 40  # loads generated per partial line before choosing the fullest
# Partial lines kept per station count, by turns: one width can miss what its neighbours find
# (SCHOLL c=1394 is reached at 64, not at 32; SCHOLL c=1483 and 1515 at 32, not at 16 or 64).
WIDTHS = (32, 64)
WIDEN = 4  # rounds of ``WIDTHS`` that empty before every width doubles
# Lines of at most this many stations start at the fourth turn (forward, long tasks first,
# width 64): ARC111 c=11570 (13 stations) is reached by that beam alone, and the three before
# it took longer than its finding time (CPU-second runs, 27 Nov 2026).
SHORT_LINE = 15


# A partial line: (placed tasks, ready tasks, time placed, its stations, value placed, idle
# so far plus the idle its open tasks force, see ``gaps``).
_Line = tuple[int, list[int], int, tuple[int, ...], float, int]


class Beam:
    """One beam search for a plan of at most ``m`` stations, resumable across time slices."""

    def __init__(
        self, instance: Instance, c: int, m: int, dive: Dive, width: int, *, big: bool = False
    ) -> None:
        self.instance = instance
        self.c = c
        self.m = m
        self.dive = dive
        self.width = width
        ready = [i for i in range(instance.n) if instance.preds[i] == 0]
        self.k = 0  # stations every partial line in ``level`` has
        self.level: list[_Line] = [(0, ready, 0, (), 0.0, 0)]
        self.gaps = GapBound(instance.times, c)
        latest = dive.search.latest
        # What a placed task is worth: its time times how early it is due, or its squared
        # time (long tasks first leaves short ones to fill the last stations).
        self.score = [
            float(t * t) if big else float((m + 1 - la) * t)
            for la, t in zip(latest, instance.times, strict=True)
        ]
        # Lines are ranked by idle so far, or (with long tasks first) by idle so far plus the
        # idle the open tasks force beside long tasks: BARTHOL2 c=85 is reached only by the
        # latter, SCHOLL c=1394 only by the former (CPU-second runs, 27 Nov 2026).
        self.rank: Callable[[_Line], tuple[float, float]] = (
            (lambda s: (s[5], -s[4])) if big else (lambda s: (-s[2], -s[4]))
        )

    def run(self, deadline: float) -> tuple[Plan | None, bool]:
        """Return (plan, True), (None, True) if the beam empties, (None, False) at the deadline.

        A beam cut by the deadline resumes at the station count it was extending.
        """
        self.dive.deadline = deadline
        try:
            return self._run(deadline)
        except _Stop:
            return None, False

    def _run(self, deadline: float) -> tuple[Plan | None, bool]:
        inst = self.instance
        dive = self.dive
        search = dive.search
        c = self.c
        score = self.score
        gaps = self.gaps
        while self.k < self.m:
            k = self.k
            children: dict[int, _Line] = {}
            for placed, ready, used, stations, value, _ in self.level:
                if perf_counter() > deadline:
                    return None, False
                idle_left = search.slack - (k * c - used)
                loads = []
                full = 0  # loads that fill the station: none fuller can follow
                for item in dive._loads(placed, ready, c - idle_left, k + 1):
                    loads.append(item)
                    full += item[1] == c
                    if len(loads) >= GENERATED or full >= BRANCH:
                        break
                loads.sort(key=lambda item: -item[1])  # stable: priority order among ties
                for bits, load in loads[:BRANCH]:
                    now = placed | bits
                    if now in children:
                        continue
                    if now == search.full:
                        return [members(s) for s in (*stations, bits)], True
                    if not dive.viable(now, k + 1, used + load):
                        continue
                    lost = (k + 1) * c - used - load + gaps.idle(search.full & ~now)
                    if lost > search.slack:
                        continue
                    opened = ready_after(inst, ready, bits, now)
                    gain = sum(score[i] for i in members(bits))
                    children[now] = (
                        now,
                        opened,
                        used + load,
                        (*stations, bits),
                        value + gain,
                        lost,
                    )
            if not children:
                return None, True
            # Least idle first; then the lines that placed the most valuable work.
            self.level = sorted(children.values(), key=self.rank)[: self.width]
            self.k += 1
        return None, True


class BeamFinder:
    """Beams for a plan of at most ``m`` stations, resumable in time slices.

    Beams take turns: the reversed line first (on SCHOLL it reaches the bound more often),
    then forward; per pair of turns the value of a placed task (how early it is due, or its
    size) and the dive's priority rule change, and per turn the width (``WIDTHS`` in turn,
    doubled once four rounds of them emptied). Short lines (``SHORT_LINE``) skip the first
    three turns.
    """

    def __init__(self, instance: Instance, c: int, m: int, *, seed: int = 0) -> None:
        self.instance = instance
        self.c = c
        self.m = m
        self.rng = random.Random(seed)
        self.sides = [
            (graph, flip, Search(graph, c, m))
            for graph, flip in ((instance.reversed(), True), (instance, False))
        ]
        self.beam: tuple[Beam, bool] | None = None  # the beam under way, and its direction
        self.turn = 3 if m <= SHORT_LINE else 0
        self.scale = 1  # the factor on ``WIDTHS``
        self.emptied = 0  # beams that emptied at the current scale

    def run(self, deadline: float) -> Plan | None:
        """Return a plan of at most ``m`` stations, or None by the deadline."""
        while perf_counter() < deadline:
            if self.beam is None:
                graph, flip, search = self.sides[self.turn % 2]
                rule = self.turn // 2 % 4
                self.turn += 1
                priority = priorities(graph, self.c, self.m, rule, self.rng, search)
                dive = Dive(graph, self.c, self.m, priority, search)
                width = WIDTHS[(self.turn - 1) % len(WIDTHS)] * self.scale
                beam = Beam(graph, self.c, self.m, dive, width, big=rule % 2 == 1)
                self.beam = (beam, flip)
            beam, flip = self.beam
            plan, finished = beam.run(deadline)
            if plan is not None:
                if flip:
                    plan.reverse()  # the reversed line's first station is the real last one
                return plan
            if finished:
                self.beam = None
                self.emptied += 1
                if self.emptied >= WIDEN * len(WIDTHS):
                    self.scale *= 2
                    self.emptied = 0
        return None


def search_beam(
    instance: Instance, c: int, m: int, deadline: float, *, seed: int = 0
) -> Plan | None:
    """Return a plan of at most ``m`` stations found by beams of growing width, or None."""
    return BeamFinder(instance, c, m, seed=seed).run(deadline)
