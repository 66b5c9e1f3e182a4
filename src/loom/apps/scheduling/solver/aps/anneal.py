"""Simulated annealing over line assignment and sequence, re-simulating only what changed."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from time import perf_counter

from loom.apps.scheduling.solver.aps.simulate import Context, LineState

Cost = tuple[int, int, int]  # unplanned orders, weighted tardiness, changeovers
Prefix = list[tuple[LineState, Cost]]  # the state and cost before each position of a line
Move = dict[int, tuple[list[int], int]]  # line -> (new sequence, first changed position)


def total(costs: Sequence[Cost]) -> Cost:
    """Return the sum of per-line costs."""
    return (sum(c[0] for c in costs), sum(c[1] for c in costs), sum(c[2] for c in costs))


class Annealer:
    """Simulated annealing over per-line sequences, re-simulating only changed lines."""

    def __init__(self, context: Context, sequences: list[list[int]], rng: random.Random) -> None:
        """Start from ``sequences`` (per-line order indexes)."""
        self.context = context
        self.rng = rng
        self.sequences = [list(s) for s in sequences]
        count = len(context.problem.orders)
        self.scale = count + 1  # a day of weighted tardiness outweighs all changeovers
        # an unplanned order outweighs all the tardiness a plan can have (finishing on the
        # horizon's last day, which may be long after a due date before the start)
        last = context.problem.start.toordinal() + context.problem.horizon_days
        worst = sum(w * max(0, last - d) for w, d in zip(context.weight, context.due, strict=True))
        self.big = (worst + 1) * self.scale
        self.prefix: list[Prefix] = []
        for line, sequence in enumerate(self.sequences):
            empty: Prefix = [(context.initial(line), (0, 0, 0))]
            result = self._run(line, sequence, 0, empty, math.inf)
            assert result is not None  # no limit: the simulation runs to the end
            self.prefix.append(result[1])
        self.cost = total([p[-1][1] for p in self.prefix])
        self.best = [list(s) for s in self.sequences]
        self.best_cost = self.cost
        self.capable_lines = [[n for n, ok in enumerate(row) if ok] for row in context.capable]
        self.movable = [n for n in range(count) if self.capable_lines[n]]
        self.by_style: dict[str, list[int]] = {}
        for n in self.movable:
            self.by_style.setdefault(context.problem.orders[n].style, []).append(n)

    def scalar(self, cost: Cost) -> int:
        """Return the cost as one integer ordered like the lexicographic tuple."""
        return cost[0] * self.big + cost[1] * self.scale + cost[2]

    def _run(
        self, line: int, sequence: Sequence[int], position: int, prefix: Prefix, limit: float
    ) -> tuple[Cost, Prefix] | None:
        """Simulate ``sequence`` from ``position`` on, given the prefix up to it.

        Return None as soon as the line's scalar cost exceeds ``limit``: costs only grow
        along a sequence, so the move is already rejected.
        """
        place = self.context.place
        due, weight = self.context.due, self.context.weight
        ordinals = self.context.days[line].ordinals
        big, scale = self.big, self.scale
        state, (unplanned, tardiness, changeovers) = prefix[position]
        tail = prefix[: position + 1]
        for order in sequence[position:]:
            placed = place(line, state, order)
            if placed is None:
                unplanned += 1
            else:
                state = placed[0]
                late = ordinals[placed[2]] - due[order]
                if late > 0:
                    tardiness += late * weight[order]
                changeovers += placed[3]
            if unplanned * big + tardiness * scale + changeovers > limit:
                return None
            tail.append((state, (unplanned, tardiness, changeovers)))
        return (unplanned, tardiness, changeovers), tail

    def locate(self) -> list[int]:
        """Return each order's line (-1 when it is on none)."""
        where = [-1] * len(self.context.problem.orders)
        for line, sequence in enumerate(self.sequences):
            for order in sequence:
                where[order] = line
        return where

    def propose(self, where: list[int]) -> Move | None:
        """Draw a move: {line: (new sequence, first changed position)}, or None."""
        rng = self.rng
        order = rng.choice(self.movable)
        source = where[order]
        at = self.sequences[source].index(order)
        kind = rng.random()
        if kind < 0.45:  # relocate anywhere it can be sewn, half the time near its due date
            target = rng.choice(self.capable_lines[order])
            return self._relocate(source, at, 1, target, None, guided=kind < 0.2)
        if kind < 0.57:  # relocate next to another order of the same style
            mates = self.by_style[self.context.problem.orders[order].style]
            mate = rng.choice(mates)
            target = where[mate]
            if mate == order or target < 0 or not self.context.capable[order][target]:
                return None
            position = self.sequences[target].index(mate) + rng.randint(0, 1)
            return self._relocate(source, at, 1, target, position)
        if kind < 0.67:  # move a stretch of 2-4 orders, keeping their order
            target = rng.choice(self.capable_lines[order])
            return self._relocate(source, at, rng.randint(2, 4), target, None, guided=True)
        if kind < 0.9:  # swap two orders, on one line or across two
            return self._swap(where, source, at, rng.choice(self.movable))
        # reverse a short stretch of one line (adjacent swap at length 2)
        sequence = list(self.sequences[source])
        end = min(len(sequence), at + rng.randint(2, 5))
        if end - at < 2:
            return None
        sequence[at:end] = reversed(sequence[at:end])
        return {source: (sequence, at)}

    def _swap(self, where: list[int], source: int, at: int, other: int) -> Move | None:
        order = self.sequences[source][at]
        line = where[other]
        if other == order:
            return None
        if line == source:
            sequence = list(self.sequences[source])
            there = sequence.index(other)
            sequence[at], sequence[there] = other, order
            return {source: (sequence, min(at, there))}
        capable = self.context.capable
        if not (capable[order][line] and capable[other][source]):
            return None
        there = self.sequences[line].index(other)
        first = list(self.sequences[source])
        second = list(self.sequences[line])
        first[at], second[there] = other, order
        return {source: (first, at), line: (second, there)}

    def _relocate(
        self,
        source: int,
        at: int,
        length: int,
        target: int,
        position: int | None,
        *,
        guided: bool = False,
    ) -> Move | None:
        """Move ``length`` orders from ``at`` on ``source`` to ``position`` on ``target``.

        Without a position, draw one: ``guided``, around the first order due later than
        the moved one; otherwise anywhere.
        """
        sequence = self.sequences[source]
        stretch = sequence[at : at + length]
        if target != source and not all(self.context.capable[o][target] for o in stretch):
            return None
        first = sequence[:at] + sequence[at + length :]
        base = first if target == source else list(self.sequences[target])
        if position is None:
            if guided:
                due = self.context.due
                mark = due[stretch[0]]
                position = next((n for n, o in enumerate(base) if due[o] > mark), len(base))
                position = max(0, position + self.rng.randint(-2, 1))
            else:
                position = self.rng.randint(0, len(base))
        elif target == source and position > at:
            position -= len(stretch)
        position = min(position, len(base))
        if target == source and position == at:
            return None
        base[position:position] = stretch
        if target == source:
            return {source: (base, min(at, position))}
        return {source: (first, at), target: (base, position)}

    def run(self, iterations: int, deadline: float) -> None:
        """Anneal for ``iterations`` moves or until ``deadline`` (perf_counter seconds)."""
        if not self.movable or iterations <= 0:
            return
        where = self.locate()
        start_t = self._calibrate(where)
        end_t = self.scale / math.log(10)  # one weighted late day: accepted 10 % of the time
        start_t = max(start_t, end_t)
        ratio = (end_t / start_t) ** (1 / iterations)
        temperature = start_t
        rng = self.rng
        for step in range(iterations):
            if step % 256 == 0 and perf_counter() > deadline:
                break
            temperature *= ratio
            move = self.propose(where)
            if move is None:
                continue
            # draw the acceptance threshold first, so that a simulation can stop early
            # (a worsening by delta passes with probability exp(-delta / temperature))
            threshold = -temperature * math.log(1.0 - rng.random())
            results = self._evaluate(move, threshold)
            if results is None:
                continue
            for line, (cost, tail) in results.items():
                old = self.prefix[line][-1][1]
                self.cost = (
                    self.cost[0] + cost[0] - old[0],
                    self.cost[1] + cost[1] - old[1],
                    self.cost[2] + cost[2] - old[2],
                )
                self.sequences[line] = move[line][0]
                self.prefix[line] = tail
                for order in move[line][0]:
                    where[order] = line
            if self.cost < self.best_cost:
                self.best_cost = self.cost
                self.best = [list(s) for s in self.sequences]

    def _evaluate(self, move: Move, threshold: float) -> dict[int, tuple[Cost, Prefix]] | None:
        """Simulate the changed lines; None once the cost grows by more than ``threshold``."""
        limit = threshold  # the changed lines' new costs may add up to their old ones + this
        for line in move:
            limit += self.scalar(self.prefix[line][-1][1])
        results: dict[int, tuple[Cost, Prefix]] = {}
        for line, (sequence, position) in move.items():
            result = self._run(line, sequence, position, self.prefix[line], limit)
            if result is None:
                return None
            results[line] = result
            limit -= self.scalar(result[0])
        return results

    def _calibrate(self, where: list[int]) -> float:
        """Return a starting temperature: a median worsening move is accepted 30 % of the time."""
        worse: list[int] = []
        for _ in range(200):
            move = self.propose(where)
            if move is None:
                continue
            results = self._evaluate(move, math.inf)
            assert results is not None  # no limit: every simulation runs to the end
            delta = sum(
                self.scalar(cost) - self.scalar(self.prefix[line][-1][1])
                for line, (cost, _) in results.items()
            )
            if delta > 0:
                worse.append(delta)
        if not worse:
            return float(self.scale)
        worse.sort()
        return worse[len(worse) // 2] / -math.log(0.3)
