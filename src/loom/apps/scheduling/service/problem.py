"""The planner's problem, built from the database and kept as plain JSON with each plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.scheduling.service.profiles import (
    OrderRepository,
    line_views,
    order_views,
    sewing_lines,
)
from loom.apps.scheduling.solver.model import Calendar, LearningCurve, Line, Order, Problem
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.models import ProductionOrder
from loom.modules.shopfloor.service.orders import finished

#: orders the shop floor has not finished or cancelled
OPEN_STATUSES = ("open", "cutting", "sewing")
#: a plan never runs past this many days from its start
HORIZON_DAYS = 366


@dataclass(frozen=True)
class Skipped:
    """An open order left out of the problem, with the reason as an English msgid."""

    order_id: int
    number: str
    reason: str


def open_orders(session: Session, scope: Scope) -> list[ProductionOrder]:
    """Return the orders still to sew, by due date."""
    stmt = (
        OrderRepository(session, scope)
        .select()
        .where(ProductionOrder.status.in_(OPEN_STATUSES))
        .order_by(ProductionOrder.due_date, ProductionOrder.number)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Built:
    """A problem built from the database, the orders left out, and the any-category lines."""

    problem: Problem
    skipped: list[Skipped]
    # lines whose profile lists no category: they sew whatever category an order has
    any_category: frozenset[int]


def build_problem(session: Session, scope: Scope, start: date) -> Built:
    """Return the open orders' remaining pieces and the active sewing lines from ``start`` on.

    A line profile without categories sews every category among the orders (the solver
    itself only matches a category a line lists).
    """
    orders = open_orders(session, scope)
    done = finished(session, scope, orders)
    skipped: list[Skipped] = []
    planned: list[Order] = []
    for view in order_views(session, scope, orders):
        order = view.order
        remaining = order.total_qty - done.get(order.id, 0)
        if remaining <= 0:
            skipped.append(Skipped(order.id, order.number, "all pieces finished"))
            continue
        if view.sam_e4 <= 0:
            skipped.append(Skipped(order.id, order.number, "no SAM: route the style first"))
            continue
        release = view.release_date or start
        planned.append(
            Order(
                id=order.id,
                code=order.number,
                style=view.style_code,
                category=view.category,
                quantity=remaining,
                sam_e4=view.sam_e4,
                due=order.due_date,
                release=max(release, start),
                weight=view.weight,
            )
        )
    every_category = frozenset(o.category for o in planned)
    views = line_views(session, scope, sewing_lines(session, scope))
    lines = [
        Line(
            id=view.line.id,
            code=view.line.code,
            categories=frozenset(view.categories) or every_category,
            operators=view.operators,
            efficiency_pct=view.efficiency_pct,
            calendar=Calendar(
                minutes=view.line.shift_minutes,
                weekdays=frozenset(view.weekdays),
                holidays=frozenset(view.holidays),
                overtime=dict(view.overtime),
            ),
            current_style=view.current_style or None,
        )
        for view in views
    ]
    problem = Problem(
        orders=tuple(planned), lines=tuple(lines), start=start, horizon_days=HORIZON_DAYS
    )
    return Built(problem, skipped, frozenset(v.line.id for v in views if not v.categories))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _from_day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def problem_to_json(problem: Problem, any_category: frozenset[int] = frozenset()) -> dict[str, Any]:
    """Return ``problem`` as plain JSON (dates in ISO form, sets as sorted lists)."""
    return {
        "any_category": sorted(any_category),
        "start": problem.start.isoformat(),
        "horizon_days": problem.horizon_days,
        "changeover_minutes": problem.changeover_minutes,
        "learning": list(problem.learning.ramp),
        "orders": [
            {
                "id": o.id,
                "code": o.code,
                "style": o.style,
                "category": o.category,
                "quantity": o.quantity,
                "sam_e4": o.sam_e4,
                "due": o.due.isoformat(),
                "release": o.release.isoformat(),
                "weight": o.weight,
            }
            for o in problem.orders
        ],
        "lines": [
            {
                "id": line.id,
                "code": line.code,
                "categories": sorted(line.categories),
                "operators": line.operators,
                "efficiency_pct": line.efficiency_pct,
                "current_style": line.current_style,
                "calendar": {
                    "minutes": line.calendar.minutes,
                    "weekdays": sorted(line.calendar.weekdays),
                    "holidays": sorted(d.isoformat() for d in line.calendar.holidays),
                    "overtime": {
                        d.isoformat(): m for d, m in sorted(line.calendar.overtime.items())
                    },
                    "open_from": _day(line.calendar.open_from),
                    "open_until": _day(line.calendar.open_until),
                },
            }
            for line in problem.lines
        ],
    }


def _calendar(raw: Mapping[str, Any]) -> Calendar:
    return Calendar(
        minutes=int(raw["minutes"]),
        weekdays=frozenset(int(d) for d in raw["weekdays"]),
        holidays=frozenset(date.fromisoformat(d) for d in raw["holidays"]),
        overtime={date.fromisoformat(d): int(m) for d, m in raw["overtime"].items()},
        open_from=_from_day(raw.get("open_from")),
        open_until=_from_day(raw.get("open_until")),
    )


def problem_from_json(raw: Mapping[str, Any]) -> Problem:
    """Return the problem that ``problem_to_json`` wrote."""
    return Problem(
        start=date.fromisoformat(raw["start"]),
        horizon_days=int(raw["horizon_days"]),
        changeover_minutes=int(raw["changeover_minutes"]),
        learning=LearningCurve(tuple(int(p) for p in raw["learning"])),
        orders=tuple(
            Order(
                id=int(o["id"]),
                code=str(o["code"]),
                style=str(o["style"]),
                category=str(o["category"]),
                quantity=int(o["quantity"]),
                sam_e4=int(o["sam_e4"]),
                due=date.fromisoformat(o["due"]),
                release=date.fromisoformat(o["release"]),
                weight=int(o["weight"]),
            )
            for o in raw["orders"]
        ),
        lines=tuple(
            Line(
                id=int(line["id"]),
                code=str(line["code"]),
                categories=frozenset(line["categories"]),
                operators=int(line["operators"]),
                efficiency_pct=int(line["efficiency_pct"]),
                current_style=line.get("current_style"),
                calendar=_calendar(line["calendar"]),
            )
            for line in raw["lines"]
        ),
    )


def any_category_of(raw: Mapping[str, Any]) -> frozenset[int]:
    """Return the lines of a stored problem that sew every category."""
    return frozenset(int(n) for n in raw.get("any_category", ()))


def with_line(problem: Problem, line_id: int, **changes: Any) -> Problem:
    """Return ``problem`` with line ``line_id``'s calendar fields replaced by ``changes``."""
    lines = tuple(
        replace(line, calendar=replace(line.calendar, **changes)) if line.id == line_id else line
        for line in problem.lines
    )
    return replace(problem, lines=lines)
