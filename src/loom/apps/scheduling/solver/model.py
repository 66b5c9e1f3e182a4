"""The finite-capacity scheduling problem and its plans, as plain data.

A line sews one order at a time. Its capacity on a day, in standard minutes, is
``operators * (minutes + overtime) * efficiency% * learning%``, where the learning percentage
follows the curve from the first working day of a style that differs from the previous one, and
that first day also loses ``changeover_minutes`` per operator. Tardiness is counted in whole
days: ``max(0, finish - due)``; weighted tardiness multiplies it by the order's weight.

The details, as ``solver.aps.simulate`` applies them: the next order starts on the day the
previous one finished when minutes are left (never before its release or ``Problem.start``);
a changeover takes place whole on one day; the learning day counts the days a style run has
produced, and consecutive orders of one style continue the run (``Line.current_style``
continues one at 100 %); an order that cannot finish within ``horizon_days`` is unplanned and
leaves its line to the orders after it. Plan totals count planned orders only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Calendar:
    """Working days of a line: weekdays (0 = Monday), holidays, overtime, open period."""

    minutes: int = 480
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4, 5})
    holidays: frozenset[date] = frozenset()
    overtime: Mapping[date, int] = field(default_factory=dict)  # extra minutes per operator
    open_from: date | None = None
    open_until: date | None = None  # a lost line closes from the day after

    def minutes_on(self, day: date) -> int:
        """Return the working minutes per operator on ``day`` (0 when closed)."""
        if self.open_from is not None and day < self.open_from:
            return 0
        if self.open_until is not None and day > self.open_until:
            return 0
        if day in self.holidays:
            return 0
        extra = self.overtime.get(day, 0)
        if day.weekday() not in self.weekdays:
            return extra  # overtime on a rest day is a working day of its own
        return self.minutes + extra


@dataclass(frozen=True)
class LearningCurve:
    """Efficiency (percent) on the 1st, 2nd … working day of a new style; 100 afterwards."""

    ramp: tuple[int, ...] = (60, 75, 90)

    def percent(self, day_index: int) -> int:
        """Return the learning percentage on the ``day_index``-th day (0-based) of a run."""
        return self.ramp[day_index] if day_index < len(self.ramp) else 100


@dataclass(frozen=True)
class Order:
    """An order to sew: pieces, standard minutes per piece, release and due dates, weight."""

    id: int
    code: str
    style: str
    category: str
    quantity: int
    sam_e4: int  # standard minutes per piece * 10,000
    due: date
    release: date  # earliest start: fabric and trims in
    weight: int = 1


@dataclass(frozen=True)
class Line:
    """A sewing line: what it can sew, its people, efficiency and calendar."""

    id: int
    code: str
    categories: frozenset[str]
    operators: int
    efficiency_pct: int = 100
    calendar: Calendar = field(default_factory=Calendar)
    current_style: str | None = None  # no learning or changeover to continue it


@dataclass(frozen=True)
class Problem:
    """Orders, lines and the rules that link them, from ``start`` on."""

    orders: tuple[Order, ...]
    lines: tuple[Line, ...]
    start: date
    learning: LearningCurve = field(default_factory=LearningCurve)
    changeover_minutes: int = 60
    horizon_days: int = 366  # a plan never runs past start + horizon_days


@dataclass(frozen=True)
class Allocation:
    """One order on one line: its days, pieces per day, finish and tardiness."""

    order_id: int
    line_id: int
    start: date
    finish: date
    daily: tuple[tuple[date, int], ...]
    tardy_days: int
    changeover: bool


@dataclass(frozen=True)
class Plan:
    """A whole plan: allocations line by line, each line's in sequence, and what it costs."""

    allocations: tuple[Allocation, ...]
    unplanned: tuple[int, ...]  # orders no line can sew, or that cannot finish in the horizon
    weighted_tardiness: int
    late_days: int
    changeovers: int
    seconds: float = 0.0
    method: str = ""
