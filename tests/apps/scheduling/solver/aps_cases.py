"""Small problems shared by the APS tests: one calendar week from Monday 2 March 2026."""

from __future__ import annotations

from datetime import date, timedelta

from loom.apps.scheduling.solver.model import Calendar, LearningCurve, Line, Order, Problem

MON = date(2026, 3, 2)  # a Monday
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))


def order(
    id: int,
    quantity: int,
    *,
    style: str = "S1",
    category: str = "shirts",
    sam: float = 10.0,
    due: date = MON + timedelta(days=30),
    release: date = MON,
    weight: int = 1,
) -> Order:
    """Return an order; ``sam`` in minutes per piece."""
    return Order(
        id=id,
        code=f"PO{id}",
        style=style,
        category=category,
        quantity=quantity,
        sam_e4=round(sam * 10_000),
        due=due,
        release=release,
        weight=weight,
    )


def line(
    id: int = 1,
    *,
    operators: int = 10,
    efficiency: int = 80,
    categories: frozenset[str] = frozenset({"shirts"}),
    calendar: Calendar | None = None,
    current_style: str | None = None,
) -> Line:
    """Return a line: 10 operators at 80 %, six days of 480 minutes unless told otherwise."""
    return Line(
        id=id,
        code=f"L{id}",
        categories=categories,
        operators=operators,
        efficiency_pct=efficiency,
        calendar=calendar or Calendar(),
        current_style=current_style,
    )


def problem(
    orders: list[Order],
    lines: list[Line],
    *,
    ramp: tuple[int, ...] = (60, 75, 90),
    changeover: int = 60,
    horizon_days: int = 60,
) -> Problem:
    """Return a problem starting on MON."""
    return Problem(
        orders=tuple(orders),
        lines=tuple(lines),
        start=MON,
        learning=LearningCurve(ramp),
        changeover_minutes=changeover,
        horizon_days=horizon_days,
    )
