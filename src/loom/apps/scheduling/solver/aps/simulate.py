"""Day-by-day simulation of orders sequenced on lines: the one place capacity is computed.

Units are integers throughout. A line's day offers ``operators * minutes_on(day)`` raw
operator-minutes. One raw minute earns ``efficiency_pct * learning_pct`` standard minutes
* 10,000 (the unit of ``Order.sam_e4``), because 10,000 / (100 * 100) = 1. So a day with ``r``
raw minutes left makes ``r * eff * learn // sam_e4`` pieces, and ``p`` pieces use
``ceil(p * sam_e4 / (eff * learn))`` raw minutes.

Rules beyond the model's docstring, chosen so that a plan is easy to check:

- An order starts where the previous one on its line stopped, on the same day if minutes are
  left, but not before its release, ``problem.start`` or the line's first working day.
- A style change needs ``changeover_minutes * operators`` raw minutes on the order's first day;
  when the day has fewer left, the changeover moves to the next working day that holds it.
- The learning day of a run counts the days on which the run produced pieces; consecutive
  orders of one style continue the run; ``Line.current_style`` continues a run at 100 %.
- An order that cannot finish by ``problem.start + horizon_days - 1`` (or that the line cannot
  sew) is unplanned and leaves its line as it was: the orders after it move up.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from loom.apps.scheduling.solver.model import Allocation, Plan, Problem

# Where a line stands, as a plain tuple because the search builds millions of them:
# (day index, raw minutes used that day, style, production days of the style run so far,
# index of the run's last production day or -1).
LineState = tuple[int, int, str | None, int, int]


class Placement(NamedTuple):
    """An order placed on a line: the state after it, its first and last day indexes."""

    state: LineState
    start: int
    finish: int
    changeover: bool


@dataclass(frozen=True)
class LineDays:
    """A line's working days within the horizon: ordinals and raw operator-minutes."""

    ordinals: tuple[int, ...]
    raw: tuple[int, ...]


class Context:
    """Index the problem once, so that simulations are plain integer loops."""

    def __init__(self, problem: Problem) -> None:
        """Validate ``problem`` and precompute each line's working days and each release."""
        _validate(problem)
        self.problem = problem
        self.order_index = {order.id: n for n, order in enumerate(problem.orders)}
        self.line_index = {line.id: n for n, line in enumerate(problem.lines)}
        self.ramp = problem.learning.ramp
        self.full_run = len(self.ramp)
        first = problem.start.toordinal()
        self.days: list[LineDays] = []
        for line in problem.lines:
            ordinals: list[int] = []
            raw: list[int] = []
            for offset in range(problem.horizon_days):
                minutes = line.calendar.minutes_on(problem.start + timedelta(days=offset))
                if minutes > 0 and line.operators > 0:
                    ordinals.append(first + offset)
                    raw.append(minutes * line.operators)
            self.days.append(LineDays(tuple(ordinals), tuple(raw)))
        self.capable = [
            [order.category in line.categories for line in problem.lines]
            for order in problem.orders
        ]
        # first working day index at or after each order's release, per line
        self.release = [
            [bisect_left(days.ordinals, order.release.toordinal()) for days in self.days]
            for order in problem.orders
        ]
        self.due = [order.due.toordinal() for order in problem.orders]
        self.weight = [order.weight for order in problem.orders]
        self.work = [(o.quantity, o.sam_e4, o.style) for o in problem.orders]
        self.setup = [problem.changeover_minutes * line.operators for line in problem.lines]
        # raw minute -> standard minutes * 10,000, by learning day (the last entry: 100 %)
        learning = (*self.ramp, 100)
        self.rates = [
            tuple(line.efficiency_pct * pct for pct in learning) for line in problem.lines
        ]

    def initial(self, line: int) -> LineState:
        """Return the state of line ``line`` (an index) before its first order."""
        style = self.problem.lines[line].current_style
        return (0, 0, style, self.full_run if style is not None else 0, -1)

    def place(
        self,
        line: int,
        state: LineState,
        order: int,
        daily: list[tuple[int, int]] | None = None,
    ) -> Placement | None:
        """Place order ``order`` after ``state`` on ``line`` (indexes), or None if it cannot."""
        if not self.capable[order][line]:
            return None
        quantity, sam, style = self.work[order]
        raw = self.days[line].raw
        count = len(raw)
        rates = self.rates[line]
        if rates[-1] <= 0:
            return None
        full = self.full_run
        day, used, current, run_days, last_day = state
        release = self.release[order][line]
        if day < release:
            day, used = release, 0
        changeover = style != current
        start = -1
        if changeover:
            run_days, last_day = 0, -1
            setup = self.setup[line]
            # the changeover happens on one day: the first that still holds it whole
            while day < count and raw[day] - used < setup:
                day, used = day + 1, 0
            if day >= count:
                return None
            used += setup
            if setup > 0:
                start = day
        remaining = quantity
        while day < count:
            left = raw[day] - used
            if left > 0:
                index = run_days - 1 if last_day == day else run_days
                rate = rates[index if index < full else full]
                pieces = left * rate // sam
                if pieces > 0:
                    if start < 0:
                        start = day
                    if last_day != day:
                        run_days, last_day = run_days + 1, day
                    if pieces >= remaining:
                        used += -(-remaining * sam // rate)
                        if daily is not None:
                            daily.append((day, remaining))
                        after = (day, used, style, run_days, last_day)
                        return Placement(after, start, day, changeover)
                    remaining -= pieces
                    if daily is not None:
                        daily.append((day, pieces))
            day, used = day + 1, 0
        return None

    def line_cost(self, line: int, sequence: Sequence[int]) -> tuple[int, int, int]:
        """Return (unplanned, weighted tardiness, changeovers) of ``sequence`` on ``line``."""
        state = self.initial(line)
        ordinals = self.days[line].ordinals
        unplanned = tardiness = changeovers = 0
        for order in sequence:
            placed = self.place(line, state, order)
            if placed is None:
                unplanned += 1
                continue
            state = placed.state
            late = ordinals[placed.finish] - self.due[order]
            if late > 0:
                tardiness += late * self.weight[order]
            changeovers += placed.changeover
        return unplanned, tardiness, changeovers

    def plan(self, sequences: Sequence[Sequence[int]], method: str = "") -> Plan:
        """Build the plan of per-line sequences of order indexes (unlisted orders: unplanned)."""
        allocations: list[Allocation] = []
        unplanned: list[int] = []
        seen: set[int] = set()
        for line, sequence in enumerate(sequences):
            spec = self.problem.lines[line]
            ordinals = self.days[line].ordinals
            state = self.initial(line)
            for order in sequence:
                if order in seen:
                    raise ValueError(f"order {self.problem.orders[order].id} sequenced twice")
                seen.add(order)
                daily: list[tuple[int, int]] = []
                placed = self.place(line, state, order, daily)
                if placed is None:
                    unplanned.append(self.problem.orders[order].id)
                    continue
                state = placed.state
                allocations.append(
                    Allocation(
                        order_id=self.problem.orders[order].id,
                        line_id=spec.id,
                        start=date.fromordinal(ordinals[placed.start]),
                        finish=date.fromordinal(ordinals[placed.finish]),
                        daily=tuple((date.fromordinal(ordinals[d]), n) for d, n in daily),
                        tardy_days=max(0, ordinals[placed.finish] - self.due[order]),
                        changeover=placed.changeover,
                    )
                )
        unplanned += [o.id for n, o in enumerate(self.problem.orders) if n not in seen]
        tardy = {a.order_id: a.tardy_days for a in allocations}
        weights = {o.id: o.weight for o in self.problem.orders}
        return Plan(
            allocations=tuple(allocations),
            unplanned=tuple(sorted(unplanned)),
            weighted_tardiness=sum(days * weights[oid] for oid, days in tardy.items()),
            late_days=sum(tardy.values()),
            changeovers=sum(a.changeover for a in allocations),
            method=method,
        )

    def indexes(self, sequences: Mapping[int, Sequence[int]]) -> list[list[int]]:
        """Translate {line id: [order id, …]} into per-line lists of order indexes."""
        result: list[list[int]] = [[] for _ in self.problem.lines]
        for line_id, order_ids in sequences.items():
            if line_id not in self.line_index:
                raise ValueError(f"unknown line {line_id}")
            for order_id in order_ids:
                if order_id not in self.order_index:
                    raise ValueError(f"unknown order {order_id}")
                if any(self.order_index[order_id] in s for s in result):
                    raise ValueError(f"order {order_id} sequenced twice")
                result[self.line_index[line_id]].append(self.order_index[order_id])
        return result


def _validate(problem: Problem) -> None:
    if len({o.id for o in problem.orders}) != len(problem.orders):
        raise ValueError("order ids must be unique")
    if len({line.id for line in problem.lines}) != len(problem.lines):
        raise ValueError("line ids must be unique")
    for order in problem.orders:
        if order.quantity <= 0 or order.sam_e4 <= 0 or order.weight < 0:
            raise ValueError(f"order {order.id}: quantity and SAM must be positive")
    if problem.changeover_minutes < 0 or problem.horizon_days < 0:
        raise ValueError("changeover minutes and horizon must not be negative")
    if any(not 0 < pct <= 100 for pct in problem.learning.ramp):
        raise ValueError("learning percentages must lie in 1..100")


def simulate(problem: Problem, sequences: Mapping[int, Sequence[int]]) -> Plan:
    """Simulate {line id: order ids in processing order} day by day and return the plan."""
    context = Context(problem)
    return context.plan(context.indexes(sequences), method="given")
