"""Scheduling profiles of lines and scheduling attributes of production orders.

Neither has to exist: a line without a profile sews any category with its active operators at
100 % on Monday to Saturday; an order without attributes weighs 1, has no category, may start
from the plan's first day and takes the sum of its style's routing SAM per piece.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import LineProfile, OrderAttributes
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, Operator, ProductionLine, RoutingStep, Style
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.shopfloor.models import ProductionOrder

DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4, 5)
MAX_OVERTIME = 720  # minutes per operator and day: beyond this it is a second shift
MAX_CATEGORIES = 50
MAX_DATES = 400
MAX_OPERATORS = 1000


class SchedLineRepository(TenantRepository[ProductionLine]):
    """The scope's enterprise's production lines, as the planner reads them."""

    model = ProductionLine


class OrderRepository(TenantRepository[ProductionOrder]):
    """The scope's enterprise's production orders, as the planner reads them."""

    model = ProductionOrder


@dataclass(frozen=True)
class LineProfileIn:
    """A line's scheduling profile as a user enters it (dates in ISO form)."""

    categories: Sequence[str] = ()
    operators: int | None = None
    efficiency_pct: int = 100
    weekdays: Sequence[int] = DEFAULT_WEEKDAYS
    holidays: Sequence[date] = ()
    overtime: dict[date, int] = field(default_factory=dict)
    current_style: str = ""


@dataclass(frozen=True)
class OrderAttrsIn:
    """An order's scheduling attributes as a user enters them; ``sam`` in minutes per piece."""

    category: str = ""
    release_date: date | None = None
    weight: int = 1
    sam: Decimal | None = None


@dataclass(frozen=True)
class LineView:
    """A line with its effective scheduling profile (defaults filled in)."""

    line: ProductionLine
    profile: LineProfile | None
    categories: tuple[str, ...]
    operators: int
    active_operators: int
    efficiency_pct: int
    weekdays: tuple[int, ...]
    holidays: tuple[date, ...]
    overtime: dict[date, int]
    current_style: str


@dataclass(frozen=True)
class OrderView:
    """An order with its effective scheduling attributes (defaults filled in)."""

    order: ProductionOrder
    style_code: str
    attrs: OrderAttributes | None
    category: str
    release_date: date | None
    weight: int
    sam_e4: int
    routing_sam_e4: int


def profile_problems(data: LineProfileIn) -> list[FieldProblem]:
    """Return every bad field of a line profile."""
    found: list[FieldProblem] = []
    if len(data.categories) > MAX_CATEGORIES:
        found.append(FieldProblem("categories", "at most %(n)s entries", {"n": MAX_CATEGORIES}))
    for index, category in enumerate(data.categories):
        found += text_problems(f"categories[{index}]", category, 40, required=True)
    if data.operators is not None and not 0 <= data.operators <= MAX_OPERATORS:
        found.append(FieldProblem("operators", "a whole number from 0 to %(n)s", {"n": 1000}))
    if not 1 <= data.efficiency_pct <= 200:
        found.append(FieldProblem("efficiency_pct", "a whole percentage from 1 to 200"))
    if not data.weekdays or any(not 0 <= d <= 6 for d in data.weekdays):
        found.append(FieldProblem("weekdays", "at least one weekday, 0 (Monday) to 6 (Sunday)"))
    if len(data.holidays) > MAX_DATES:
        found.append(FieldProblem("holidays", "at most %(n)s entries", {"n": MAX_DATES}))
    if len(data.overtime) > MAX_DATES:
        found.append(FieldProblem("overtime", "at most %(n)s entries", {"n": MAX_DATES}))
    for day, minutes in data.overtime.items():
        if not 0 < minutes <= MAX_OVERTIME:
            found.append(
                FieldProblem(
                    f"overtime.{day.isoformat()}",
                    "minutes from 1 to %(n)s",
                    {"n": MAX_OVERTIME},
                )
            )
    found += text_problems("current_style", data.current_style, 40, required=False)
    return found


def attrs_problems(data: OrderAttrsIn) -> list[FieldProblem]:
    """Return every bad field of an order's scheduling attributes."""
    found = text_problems("category", data.category, 40, required=False)
    if not 1 <= data.weight <= 5:
        found.append(FieldProblem("weight", "a whole number from 1 to 5"))
    if data.sam is not None and (not data.sam.is_finite() or not 0 < data.sam <= 1000):
        found.append(FieldProblem("sam", "minutes per piece above 0, at most 1000"))
    return found


def _profile_snapshot(profile: LineProfile) -> dict[str, Any]:
    return {
        "line_id": profile.line_id,
        "categories": list(profile.categories),
        "operators": profile.operators,
        "efficiency_pct": profile.efficiency_pct,
        "weekdays": list(profile.weekdays),
        "holidays": list(profile.holidays),
        "overtime": dict(profile.overtime),
        "current_style": profile.current_style,
    }


def _attrs_snapshot(attrs: OrderAttributes) -> dict[str, Any]:
    return {
        "order_id": attrs.order_id,
        "category": attrs.category,
        "release_date": attrs.release_date.isoformat() if attrs.release_date else None,
        "weight": attrs.weight,
        "sam_e4": attrs.sam_e4,
    }


def _profile_of(session: Session, scope: Scope, line_id: int) -> LineProfile | None:
    stmt = select(LineProfile).where(
        LineProfile.org_id == scope.org_id, LineProfile.line_id == line_id
    )
    return session.scalars(stmt).first()


def save_profile(session: Session, scope: Scope, line_id: int, data: LineProfileIn) -> LineView:
    """Create or replace a line's profile; another enterprise's line answers 404."""
    line = SchedLineRepository(session, scope).get(line_id)
    raise_problems(profile_problems(data))
    profile = _profile_of(session, scope, line.id)
    before = _profile_snapshot(profile) if profile else None
    if profile is None:
        profile = LineProfile(org_id=scope.org_id, line_id=line.id)
        session.add(profile)
    profile.categories = sorted({c.strip() for c in data.categories})
    profile.operators = data.operators
    profile.efficiency_pct = data.efficiency_pct
    profile.weekdays = sorted(set(data.weekdays))
    profile.holidays = sorted({d.isoformat() for d in data.holidays})
    profile.overtime = {d.isoformat(): m for d, m in sorted(data.overtime.items())}
    profile.current_style = data.current_style.strip()
    after = _profile_snapshot(profile)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "scheduling.profile.updated" if before else "scheduling.profile.created",
            "line",
            line.id,
            before=before,
            after=after,
        )
    return line_views(session, scope, [line])[0]


def _attrs_of(session: Session, scope: Scope, order_id: int) -> OrderAttributes | None:
    stmt = select(OrderAttributes).where(
        OrderAttributes.org_id == scope.org_id, OrderAttributes.order_id == order_id
    )
    return session.scalars(stmt).first()


def save_attrs(session: Session, scope: Scope, order_id: int, data: OrderAttrsIn) -> OrderView:
    """Create or replace an order's scheduling attributes; another's order answers 404."""
    order = OrderRepository(session, scope).get(order_id)
    raise_problems(attrs_problems(data))
    attrs = _attrs_of(session, scope, order.id)
    before = _attrs_snapshot(attrs) if attrs else None
    if attrs is None:
        attrs = OrderAttributes(org_id=scope.org_id, order_id=order.id)
        session.add(attrs)
    attrs.category = data.category.strip()
    attrs.release_date = data.release_date
    attrs.weight = data.weight
    attrs.sam_e4 = None if data.sam is None else int(data.sam * 10_000)
    after = _attrs_snapshot(attrs)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "scheduling.order.updated" if before else "scheduling.order.created",
            "order",
            order.id,
            before=before,
            after=after,
        )
    return order_views(session, scope, [order])[0]


def sewing_lines(
    session: Session, scope: Scope, *, active_only: bool = True
) -> list[ProductionLine]:
    """Return the enterprise's sewing lines by code."""
    stmt = SchedLineRepository(session, scope).select().where(ProductionLine.kind == "sewing")
    if active_only:
        stmt = stmt.where(ProductionLine.active.is_(True))
    return list(session.scalars(stmt.order_by(ProductionLine.code, ProductionLine.id)))


def line_views(session: Session, scope: Scope, lines: Iterable[ProductionLine]) -> list[LineView]:
    """Return the lines with their effective profiles."""
    lines = list(lines)
    ids = [line.id for line in lines]
    if not ids:
        return []
    profiles = {
        p.line_id: p
        for p in session.scalars(
            select(LineProfile).where(
                LineProfile.org_id == scope.org_id, LineProfile.line_id.in_(ids)
            )
        )
    }
    headcount = active_headcount(session, scope, ids)
    return [_view(line, profiles.get(line.id), headcount.get(line.id, 0)) for line in lines]


def sewing_line_views(
    session: Session, scope: Scope, headcount: Mapping[int, int] | None = None
) -> list[LineView]:
    """Return the active sewing lines by code with their profiles, as ``line_views`` does.

    One statement for the lines and their profiles; the brain reads this for every sharing
    enterprise on every capacity view. ``headcount`` (active operators per line), when the
    caller has it, spares the count.
    """
    stmt = (
        SchedLineRepository(session, scope)
        .select()
        .add_columns(LineProfile)
        .outerjoin(
            LineProfile,
            (LineProfile.line_id == ProductionLine.id) & (LineProfile.org_id == scope.org_id),
        )
        .where(ProductionLine.kind == "sewing", ProductionLine.active.is_(True))
        .order_by(ProductionLine.code, ProductionLine.id)
    )
    rows = session.execute(stmt).all()
    if headcount is None:
        headcount = active_headcount(session, scope, [line.id for line, _ in rows])
    return [_view(line, profile, headcount.get(line.id, 0)) for line, profile in rows]


def active_headcount(session: Session, scope: Scope, line_ids: Sequence[int]) -> dict[int, int]:
    """Return the number of active operators per line (lines without any are left out)."""
    if not line_ids:
        return {}
    stmt = (
        select(Operator.line_id, func.count())
        .where(
            Operator.org_id == scope.org_id,
            Operator.line_id.in_(line_ids),
            Operator.active.is_(True),
        )
        .group_by(Operator.line_id)
    )
    return {line: int(count) for line, count in session.execute(stmt) if line is not None}


def _view(line: ProductionLine, p: LineProfile | None, active: int) -> LineView:
    """Return the line's effective profile: its own where set, the defaults elsewhere."""
    return LineView(
        line=line,
        profile=p,
        categories=tuple(p.categories) if p else (),
        operators=p.operators if p and p.operators is not None else active,
        active_operators=active,
        efficiency_pct=p.efficiency_pct if p else 100,
        weekdays=tuple(p.weekdays) if p else DEFAULT_WEEKDAYS,
        holidays=tuple(date.fromisoformat(d) for d in p.holidays) if p else (),
        overtime={date.fromisoformat(d): m for d, m in p.overtime.items()} if p else {},
        current_style=p.current_style if p else "",
    )


def routing_sams(session: Session, scope: Scope, style_ids: Iterable[int]) -> dict[int, int]:
    """Return each style's routing SAM per piece (sum over its steps) * 10,000."""
    wanted = set(style_ids)
    if not wanted:
        return {}
    stmt = (
        select(RoutingStep.style_id, func.sum(Operation.sam))
        .join(
            Operation,
            (Operation.id == RoutingStep.operation_id) & (Operation.org_id == RoutingStep.org_id),
        )
        .where(RoutingStep.org_id == scope.org_id, RoutingStep.style_id.in_(wanted))
        .group_by(RoutingStep.style_id)
    )
    return {sid: int(Decimal(total or 0) * 10_000) for sid, total in session.execute(stmt)}


def order_views(
    session: Session, scope: Scope, orders: Iterable[ProductionOrder]
) -> list[OrderView]:
    """Return the orders with their effective scheduling attributes."""

    orders = list(orders)
    if not orders:
        return []
    ids = [o.id for o in orders]
    attrs = {
        a.order_id: a
        for a in session.scalars(
            select(OrderAttributes).where(
                OrderAttributes.org_id == scope.org_id, OrderAttributes.order_id.in_(ids)
            )
        )
    }
    style_ids = {o.style_id for o in orders}
    codes = dict(
        session.execute(
            select(Style.id, Style.code).where(
                Style.org_id == scope.org_id, Style.id.in_(style_ids)
            )
        ).all()
    )
    sams = routing_sams(session, scope, style_ids)
    views = []
    for order in orders:
        a = attrs.get(order.id)
        routing = sams.get(order.style_id, 0)
        views.append(
            OrderView(
                order=order,
                style_code=str(codes.get(order.style_id, "")),
                attrs=a,
                category=a.category if a else "",
                release_date=a.release_date if a else None,
                weight=a.weight if a else 1,
                sam_e4=a.sam_e4 if a and a.sam_e4 else routing,
                routing_sam_e4=routing,
            )
        )
    return views
