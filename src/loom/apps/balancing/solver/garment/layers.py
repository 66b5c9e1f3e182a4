"""Station by station: lines of anonymous operators built one station at a time, by layers.

After ``k`` stations what is done is a set of whole operations closed under precedence, plus
the split operations begun (their part count and shares placed so far). Lines reaching the
same state are interchangeable from there on, so every interleaving of independent
sub-assemblies is one state. Layer ``k`` holds the states first reached with ``k`` stations.

A station holds one machine type and only *maximal* loads are tried: when one more
available share still fits (a whole operation, the next share of a begun split, or the
first share of an unbegun split at its largest share), a line that sews it later can sew it
here instead, losing nothing (Jackson's dominance rule). A state with no more shares of
the same begun splits placed than one already reached is no better and is skipped.

``trial`` keeps every state whose stations plus a lower bound on what is left fit a trial
size: per machine type the work left over a station (and the shares over half a station
one each), each operation's tail (the stations from its first or last share to the end,
``stacked.py``), and the work due by each station (``prune.py``); a state another one
reached dominates is dropped (``prune.py``). The first layer to finish the style is the
fewest operators; no state left proves the trial size impossible.
``beam`` keeps only the most promising states of each layer: a good line, quickly, no proof.
Anonymous operators only (every station sews at 100 %).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from time import perf_counter

from loom.apps.balancing.solver.garment.bounds import closure
from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.intervals import StyleBounds, base_windows
from loom.apps.balancing.solver.garment.prune import Deadlines, Kept, State, dominated, slot
from loom.apps.balancing.solver.garment.rules import part_scale, split_range
from loom.apps.balancing.solver.garment.stacked import Reach
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station

Load = tuple[tuple[int, int], ...]  # (operation index, parts) on one station
Left = tuple[tuple[int, ...], tuple[int, ...]]  # per machine type: work, shares over half
Layer = dict[State, tuple[State, Load]]  # each state's parent and the station between

# the beam's widths, tried in turn while its time lasts (measured: docs/solver-garment.md)
WIDTHS = (32, 128, 512)
NARROW = 32  # the beam's width at each step of the cycle's bisection (operators mode)


@dataclass(frozen=True)
class Filling:
    """One station being filled: the operations that may join it, and the loads found."""

    ready: list[int]  # in precedence order
    needs: list[tuple[int, int]]  # (smallest share it may take, operation), smallest first
    placed: Mapping[int, tuple[int, int]]  # begun splits: (parts, shares placed)
    found: list[Load]


class OutOfTime(Exception):
    """Unwind a trial when the time is up."""


class Layers:
    """The station-by-station search of one anonymous style at one cycle time."""

    def __init__(
        self,
        problem: LineProblem,
        cycle_e4: int,
        ranges: Mapping[int, tuple[int, int]],
        reach: Mapping[int, Reach],
    ) -> None:
        """Index the operations in a precedence order; share sizes scaled to integers."""
        self.problem = problem
        ancestors, _ = closure(problem.tasks)
        tasks = sorted(problem.tasks, key=lambda t: (len(ancestors[t.id]), t.id))
        index = {t.id: i for i, t in enumerate(tasks)}
        scale = part_scale(problem.max_split)
        self.ids = [t.id for t in tasks]
        self.count = len(tasks)
        self.capacity = cycle_e4 * scale
        kinds = sorted({t.machine_type for t in tasks})
        self.kinds = len(kinds)
        self.kind = [kinds.index(t.machine_type) for t in tasks]
        self.preds = [sum(1 << index[p] for p in t.predecessors) for t in tasks]
        self.lo = [ranges[t.id][0] for t in tasks]
        self.hi = [ranges[t.id][1] for t in tasks]
        # size[i][p]: one share of operation i split in p parts (p = 0 unused)
        self.size = [
            [0] + [t.sam_e4 * scale // p for p in range(1, self.hi[i] + 1)]
            for i, t in enumerate(tasks)
        ]
        self.of_kind = [
            [i for i in range(self.count) if self.kind[i] == k] for k in range(self.kinds)
        ]
        self.kind_mask = [sum(1 << i for i in members) for members in self.of_kind]
        self.first_tail = [reach[t.id].from_first for t in tasks]
        self.last_tail = [reach[t.id].from_last for t in tasks]
        # operations by tail, longest first: the first one not begun gives the tail bound
        self.by_tail = sorted(range(self.count), key=lambda i: -self.first_tail[i])
        self.full = (1 << self.count) - 1
        self.cycle, self.reach, self.ranges = cycle_e4, reach, ranges
        self.deadline = 0.0

    def _deadlines(self, stations: int) -> Deadlines:
        """Return the deadline test on a line of ``stations`` (each last share's latest)."""
        base = base_windows(self.problem, self.cycle, self.ranges, self.reach)
        due = [base[task_id].last_hi + stations for task_id in self.ids]
        return Deadlines(self.kind, self.size, self.lo, self.capacity, due)

    def trial(self, stations: int, seconds: float) -> Assignment | None:
        """Return a line with the fewest stations if it has at most ``stations``, or None.

        None proves no line of ``stations`` or fewer exists; ``OutOfTime`` proves nothing.
        """
        self.deadline = perf_counter() + seconds
        steps = self.steps(stations)
        while True:
            try:
                next(steps)
            except StopIteration as finished:
                return finished.value  # type: ignore[no-any-return]

    def steps(self, stations: int) -> Generator[None, None, Assignment | None]:
        """Run ``trial`` one layer per step (by ``self.deadline``); its answer is the return."""
        start: State = (0, ())
        left = {start: self._start_left()}
        if self._bound(start, left[start]) > stations:
            return None
        due = self._deadlines(stations)
        layers: list[Layer] = [{start: (start, ())}]
        best: Kept = {}  # every state kept so far (a dominated one too: it proves the same)
        for k in range(stations):
            following: Layer = {}
            for state in layers[k]:
                if perf_counter() > self.deadline:
                    raise OutOfTime
                before = left.pop(state)
                for load in self._loads(state):
                    after = self._apply(state, load)
                    if after == (self.full, ()):
                        layers.append({after: (state, load)})
                        return self._line(layers)
                    place = slot(after, best)
                    if place is None:
                        continue
                    rest = self._less(before, state, load)
                    room = stations - k - 1
                    if self._bound(after, rest) > room or not due.check(after, k + 1, room):
                        continue
                    place[0].append(place[1])
                    following[after] = (state, load)
                    left[after] = rest
            # a state one operation behind another kept one is dropped (after the layer:
            # its better may come later in the same layer)
            for state in [s for s in following if dominated(s, best, self.preds)]:
                del following[state]
                del left[state]
            if not following:
                return None
            layers.append(following)
            yield
        return None

    def beam(self, seconds: float, floor: int = 0) -> Assignment | None:
        """Return the shortest line found by beams of growing width within ``seconds``.

        Stops at a line of ``floor`` stations (a proved bound: none is shorter).
        """
        deadline = perf_counter() + seconds
        found: Assignment | None = None
        for width in WIDTHS:
            line = self._beam(width, deadline)
            if line is not None and (found is None or len(line.stations) < len(found.stations)):
                found = line
            if perf_counter() >= deadline or (found and len(found.stations) <= floor):
                break
        return found

    def _beam(self, width: int, deadline: float) -> Assignment | None:
        """Return a line keeping the ``width`` most promising states per layer, or None.

        Promise: the fewest stations the state's bound allows, then the least work left.
        """
        start: State = (0, ())
        layers: list[Layer] = [{start: (start, ())}]
        left = {start: self._start_left()}
        seen = {start}
        kept: Kept = {}  # the states kept so far: a state one operation behind one is skipped
        while True:
            scored: list[tuple[int, int, State]] = []
            following: Layer = {}
            for state in layers[-1]:
                if perf_counter() > deadline:
                    return None
                for load in self._loads(state):
                    after = self._apply(state, load)
                    if after == (self.full, ()):
                        layers.append({after: (state, load)})
                        return self._line(layers)
                    if after in seen:
                        continue  # kept in an earlier layer: reached with fewer stations
                    rest = self._less(left[state], state, load)
                    following[after] = (state, load)
                    left[after] = rest
                    scored.append((self._bound(after, rest), sum(rest[0]), after))
            if not scored:
                return None
            scored.sort(key=lambda entry: entry[:2])
            chosen: Layer = {}
            for _, _, after in scored:
                place = slot(after, kept)
                if place is None or dominated(after, kept, self.preds):
                    continue
                place[0].append(place[1])
                chosen[after] = following[after]
                if len(chosen) >= width:
                    break
            layers.append(chosen)
            seen.update(layers[-1])

    def _start_left(self) -> Left:
        """Return the style's work and its shares over half a station, per machine type."""
        work = [0] * self.kinds
        big = [0] * self.kinds
        for i in range(self.count):
            work[self.kind[i]] += self.size[i][1]
            if 2 * self.size[i][self.hi[i]] > self.capacity:
                big[self.kind[i]] += self.lo[i]
        return tuple(work), tuple(big)

    def _less(self, before: Left, state: State, load: Load) -> Left:
        """Return the work and the big shares left after a station holding ``load``."""
        begun = {i for i, _, _ in state[1]}
        work, big = list(before[0]), list(before[1])
        for i, parts in load:
            k = self.kind[i]
            work[k] -= self.size[i][parts]
            if i not in begun:
                # unbegun, it counted lo big shares when even its finest share is big
                if 2 * self.size[i][self.hi[i]] > self.capacity:
                    big[k] -= self.lo[i]
                if 2 * self.size[i][parts] > self.capacity:
                    big[k] += parts
            if 2 * self.size[i][parts] > self.capacity:
                big[k] -= 1
        return tuple(work), tuple(big)

    def _bound(self, state: State, left: Left) -> int:
        """Return a lower bound on the stations still needed after ``state`` (cheap)."""
        done, begun = state
        tail = 0
        for i, _, _ in begun:
            done |= 1 << i  # begun: its tail is from its last share, not its first
            if self.last_tail[i] > tail:
                tail = self.last_tail[i]
        for i in self.by_tail:
            if not done >> i & 1:
                if self.first_tail[i] > tail:
                    tail = self.first_tail[i]
                break
        capacity = self.capacity
        per_kind = 0
        for w, b in zip(left[0], left[1], strict=True):
            stations = -(-w // capacity)
            per_kind += stations if stations > b else b
        return per_kind if per_kind > tail else tail

    def _loads(self, state: State) -> list[Load]:
        """Return the maximal loads of the next station, one machine type each."""
        done, begun = state
        placed = {i: (parts, count) for i, parts, count in begun}
        found: list[Load] = []
        for k, members in enumerate(self.of_kind):
            # begun, or every predecessor done or of this type (it may join the station)
            other = ~(done | self.kind_mask[k])
            ready = [
                i
                for i in members
                if not done >> i & 1 and (i in placed or not self.preds[i] & other)
            ]
            if ready:
                # the smallest share each may still take here, for the maximality test
                needs = sorted(
                    (self.size[i][placed[i][0] if i in placed else self.lo[i]], i) for i in ready
                )
                self._extend(Filling(ready, needs, placed, found), 0, done, 0, self.capacity, ())
        return found

    def _extend(
        self, here: Filling, position: int, finished: int, inside: int, room: int, load: Load
    ) -> None:
        """Add each fitting share from ``position`` on; keep the loads nothing more fits.

        Operations are in precedence order, so a set is built in increasing index order
        with each member's predecessors done or (same type, whole) already in it.
        """
        ready, placed = here.ready, here.placed
        for q in range(position, len(ready)):
            i = ready[q]
            bit = 1 << i
            if i in placed:
                parts, count = placed[i]
                size = self.size[i][parts]
                if size <= room:
                    ends = bit if count + 1 == parts else 0
                    self._extend(
                        here, q + 1, finished | ends, inside | bit, room - size, (*load, (i, parts))
                    )
            elif not self.preds[i] & ~finished:
                for parts in range(self.lo[i], self.hi[i] + 1):
                    size = self.size[i][parts]
                    if size <= room:
                        ends = bit if parts == 1 else 0
                        self._extend(
                            here,
                            q + 1,
                            finished | ends,
                            inside | bit,
                            room - size,
                            (*load, (i, parts)),
                        )
        if not load:
            return
        for need, i in here.needs:
            if need > room:
                break
            if not inside >> i & 1 and (i in placed or not self.preds[i] & ~finished):
                return  # one more share fits: not maximal
        here.found.append(load)

    def _apply(self, state: State, load: Load) -> State:
        """Return the state after a station holding ``load``."""
        done, begun = state
        placed = {i: (parts, count) for i, parts, count in begun}
        for i, parts in load:
            count = placed.get(i, (parts, 0))[1] + 1
            if count == parts:
                done |= 1 << i
                placed.pop(i, None)
            else:
                placed[i] = (parts, count)
        return done, tuple(sorted((i, p, c) for i, (p, c) in placed.items()))

    def _line(self, layers: list[Layer]) -> Assignment:
        """Return the line that reached the last layer's state, read back to the start."""
        stations: list[Station] = []
        state = next(iter(layers[-1]))
        for k in range(len(layers) - 1, 0, -1):
            parent, load = layers[k][state]
            stations.append(Station(None, tuple((self.ids[i], parts) for i, parts in load)))
            state = parent
        return Assignment(tuple(reversed(stations)))


def station_search(
    style: LineProblem, cycle_e4: int, ranges: Mapping[int, tuple[int, int]]
) -> Layers:
    """Return the station-by-station search of ``style``, its windows from sub-style bounds."""
    return Layers(style, cycle_e4, ranges, StyleBounds(style, cycle_e4, ranges).reaches())


def shortest_cycle(
    problem: LineProblem,
    stations: int,
    low: int,
    high: int,
    seconds: float,
    fixed: Mapping[int, tuple[int, int]] | None = None,
) -> Assignment | None:
    """Return a line of at most ``stations`` with the shortest bottleneck the beam finds.

    Bisects the cycle in ``[low, high]`` with one narrow beam per step (no tails: the bound
    is not needed to rank states, and it costs more than the beam). A heuristic: proves
    nothing. Anonymous operators; a task is split only when longer than the cycle tried,
    hence longer than the line's bottleneck (the operators-mode rule), or as ``fixed``
    allows (cycle-time mode: the target cycle decides).
    """
    deadline = perf_counter() + seconds
    none = Reach(0, 0, 0, 0)
    found: Assignment | None = None
    while low <= high and perf_counter() < deadline:
        middle = (low + high) // 2
        ranges = fixed or {t.id: split_range(problem, t, middle) for t in problem.tasks}
        line = None
        if all(lo <= hi for lo, hi in ranges.values()):
            layers = Layers(problem, middle, ranges, dict.fromkeys(ranges, none))
            line = layers._beam(NARROW, deadline)
        if line is not None and len(line.stations) <= stations:
            found = line
            high = evaluate(problem, line).bottleneck_e4 - 1
        else:
            low = middle + 1
    return found
