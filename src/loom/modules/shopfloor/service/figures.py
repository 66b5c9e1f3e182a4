"""Figures read from the counter tables: WIP by order and operation, order progress.

Nothing here reads ``shopfloor_event``: the counters (``OpCount``) are small and keyed by what
is asked, so the figures stay fast with millions of stored events.

Definitions:

- WIP at an operation of an order = pieces done at its routing predecessors (the minimum over
  the predecessors; for an operation without predecessors, the pieces cut in bundles for the
  order) minus pieces done at this operation, never below 0. Pieces done count on every line.
- Order progress = pieces done at the style's final operation (highest routing seq) ÷ the
  order's total pieces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import Integer, bindparam, func, or_, select
from sqlalchemy.orm import Session

from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import (
    Operation,
    Operator,
    ProductionLine,
    RoutingStep,
)
from loom.modules.shopfloor.engine.figures import Step, final_operation, progress, wip_by_operation
from loom.modules.shopfloor.models import Bundle, OpCount, ProductionOrder

#: orders in these states no longer hold work in progress on a line
CLOSED = ("done", "cancelled")


class Lines(TenantRepository[ProductionLine]):
    """The scope's enterprise's production lines, as the dashboards read them."""

    model = ProductionLine


class Operators(TenantRepository[Operator]):
    """The scope's enterprise's operators, as pay statements read them."""

    model = Operator


class Orders(TenantRepository[ProductionOrder]):
    """The scope's enterprise's production orders, as WIP figures read them."""

    model = ProductionOrder


class Operations(TenantRepository[Operation]):
    """The scope's enterprise's operation library, for names and codes."""

    model = Operation


class Steps(TenantRepository[RoutingStep]):
    """The scope's enterprise's routing steps."""

    model = RoutingStep


def parse_day(text: str, default: date, field: str = "date") -> date:
    """Return the day written ``YYYY-MM-DD``, ``default`` when empty, or name the bad field."""
    if not text.strip():
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            "%(field)s: a date written YYYY-MM-DD, got %(value)s",
            field=field,
            params={"field": field, "value": text[:20]},
        ) from None


@dataclass(frozen=True)
class OpFigure:
    """One operation of an order's routing with its counts and WIP."""

    operation_id: int
    code: str
    name: str
    seq: int
    predecessors: tuple[int, ...]
    done_qty: int
    rework_qty: int
    defect_qty: int
    wip: int


@dataclass(frozen=True)
class OrderWip:
    """An order's WIP by operation in routing order, and its progress."""

    order: ProductionOrder
    cut_qty: int
    finished_qty: int
    progress: Fraction
    operations: list[OpFigure]


def routings(session: Session, scope: Scope, style_ids: Sequence[int]) -> dict[int, list[Step]]:
    """Return each style's routing steps in seq order."""
    found: dict[int, list[Step]] = defaultdict(list)
    if not style_ids:
        return found
    # columns, not entities: a dashboard reads every step of its orders' styles, and building
    # ORM objects for them was most of this function's time
    stmt = (
        Steps(session, scope)
        .select()
        .with_only_columns(
            RoutingStep.style_id,
            RoutingStep.operation_id,
            RoutingStep.seq,
            RoutingStep.predecessors,
        )
        .where(RoutingStep.style_id.in_(set(style_ids)))
        .order_by(RoutingStep.style_id, RoutingStep.seq)
    )
    for style_id, operation_id, seq, predecessors in session.execute(stmt):
        found[style_id].append(Step(operation_id, seq, tuple(predecessors or ())))
    return found


def operation_names(
    session: Session, scope: Scope, operation_ids: set[int]
) -> dict[int, tuple[str, str]]:
    """Return (code, name) of the given operations."""
    if not operation_ids:
        return {}
    stmt = (
        Operations(session, scope)
        .select()
        .with_only_columns(Operation.id, Operation.code, Operation.name)
        .where(Operation.id.in_(operation_ids))
    )
    return {op_id: (code, name) for op_id, code, name in session.execute(stmt)}


def counts_of(
    session: Session, scope: Scope, order_ids: Sequence[int]
) -> dict[int, dict[int, tuple[int, int, int]]]:
    """Return {order: {operation: (done, rework, defect)}} summed over every line."""
    found: dict[int, dict[int, tuple[int, int, int]]] = defaultdict(dict)
    if not order_ids:
        return found
    rows = session.execute(_COUNTS, {"org": scope.org_id, "orders": list(set(order_ids))})
    for order_id, op_id, done, rework, defect in rows:
        found[order_id][op_id] = (int(done or 0), int(rework or 0), int(defect or 0))
    return found


def cut_of(session: Session, scope: Scope, order_ids: Sequence[int]) -> dict[int, int]:
    """Return the pieces cut in bundles for each order."""
    if not order_ids:
        return {}
    stmt = (
        select(Bundle.order_id, func.sum(Bundle.qty))
        .where(Bundle.org_id == scope.org_id, Bundle.order_id.in_(set(order_ids)))
        .group_by(Bundle.order_id)
    )
    return {order_id: int(qty or 0) for order_id, qty in session.execute(stmt)}


def order_wip(session: Session, scope: Scope, order_id: int) -> OrderWip:
    """Return one order's WIP by operation and its progress (another enterprise's: NotFound)."""
    order = Orders(session, scope).get(order_id)
    steps = routings(session, scope, [order.style_id]).get(order.style_id, [])
    counts = counts_of(session, scope, [order.id]).get(order.id, {})
    cut = cut_of(session, scope, [order.id]).get(order.id, 0)
    done = {op: c[0] for op, c in counts.items()}
    wip = wip_by_operation(steps, done, cut)
    names = operation_names(session, scope, {s.operation_id for s in steps})
    final = final_operation(steps)
    finished = done.get(final, 0) if final is not None else 0
    figures = [
        OpFigure(
            operation_id=s.operation_id,
            code=names.get(s.operation_id, ("", ""))[0],
            name=names.get(s.operation_id, ("", ""))[1],
            seq=s.seq,
            predecessors=s.predecessors,
            done_qty=counts.get(s.operation_id, (0, 0, 0))[0],
            rework_qty=counts.get(s.operation_id, (0, 0, 0))[1],
            defect_qty=counts.get(s.operation_id, (0, 0, 0))[2],
            wip=wip[s.operation_id],
        )
        for s in steps
    ]
    return OrderWip(order, cut, finished, progress(finished, order.total_qty), figures)


@dataclass(frozen=True)
class LineWip:
    """WIP at one operation summed over the open orders worked or planned on a line."""

    operation_id: int
    code: str
    name: str
    seq: int
    wip: int


def line_wip(session: Session, scope: Scope, line_id: int) -> list[LineWip]:
    """Return WIP by operation over the line's open orders, in routing order.

    A line's orders are those planned on it or with pieces done on it, except orders done or
    cancelled. Each order's WIP is the order's own (pieces done count on every line), so an
    order worked on two lines shows on both. Operations are ordered by their lowest routing
    seq across the orders' styles, then by code.
    """
    orders = [
        (int(o), int(s), int(c or 0))
        for o, s, c in session.execute(_LINE_ORDERS, {"org": scope.org_id, "line": line_id})
    ]
    steps_by_style, names = _named_routings(session, scope, {style for _, style, _ in orders})
    counts = counts_of(session, scope, [order_id for order_id, _, _ in orders])
    total: dict[int, int] = defaultdict(int)
    first_seq: dict[int, int] = {}
    for order_id, style_id, cut_qty in orders:
        steps = steps_by_style.get(style_id, [])
        done = {op: c[0] for op, c in counts.get(order_id, {}).items()}
        for op_id, wip in wip_by_operation(steps, done, cut_qty).items():
            total[op_id] += wip
        for step in steps:
            first_seq[step.operation_id] = min(first_seq.get(step.operation_id, step.seq), step.seq)
    rows = [
        LineWip(op, names.get(op, ("", ""))[0], names.get(op, ("", ""))[1], first_seq[op], wip)
        for op, wip in total.items()
    ]
    return sorted(rows, key=lambda row: (row.seq, row.code, row.operation_id))


def _named_routings(
    session: Session, scope: Scope, style_ids: set[int]
) -> tuple[dict[int, list[Step]], dict[int, tuple[str, str]]]:
    """Return each style's routing steps in seq order and (code, name) of their operations."""
    found: dict[int, list[Step]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    if not style_ids:
        return found, names
    rows = session.execute(_NAMED_STEPS, {"org": scope.org_id, "styles": list(style_ids)})
    for style_id, operation_id, seq, predecessors, code, name in rows:
        found[style_id].append(Step(operation_id, seq, tuple(predecessors or ())))
        if code is not None:
            names[operation_id] = (code, name)
    return found, names


# The dashboard's statements, built once with bound parameters: building a select costs
# 0.1-0.3 ms of Python per view (more than SQLAlchemy's compiled cache then saves), and the
# line dashboard is the most viewed page. Each names the organisation itself; the session's
# tenant criteria and row-level security still apply on top.
_ORG = bindparam("org", type_=Integer)

_COUNTS = (
    select(
        OpCount.order_id,
        OpCount.operation_id,
        func.sum(OpCount.done_qty),
        func.sum(OpCount.rework_qty),
        func.sum(OpCount.defect_qty),
    )
    .where(OpCount.org_id == _ORG, OpCount.order_id.in_(bindparam("orders", expanding=True)))
    .group_by(OpCount.order_id, OpCount.operation_id)
)

# three statements for the line's WIP, not five: the open orders with their cut pieces, the
# steps with their operations' names, and the counts
_LINE = bindparam("line", type_=Integer)
_CUT = (
    select(func.coalesce(func.sum(Bundle.qty), 0))
    .where(Bundle.org_id == _ORG, Bundle.order_id == ProductionOrder.id)
    .scalar_subquery()
)
_WORKED = select(OpCount.order_id).where(OpCount.org_id == _ORG, OpCount.line_id == _LINE)
_LINE_ORDERS = select(ProductionOrder.id, ProductionOrder.style_id, _CUT).where(
    ProductionOrder.org_id == _ORG,
    or_(ProductionOrder.line_id == _LINE, ProductionOrder.id.in_(_WORKED)),
    ProductionOrder.status.not_in(CLOSED),
)
_NAMED_STEPS = (
    select(
        RoutingStep.style_id,
        RoutingStep.operation_id,
        RoutingStep.seq,
        RoutingStep.predecessors,
        Operation.code,
        Operation.name,
    )
    .outerjoin(Operation, (Operation.id == RoutingStep.operation_id) & (Operation.org_id == _ORG))
    .where(
        RoutingStep.org_id == _ORG,
        RoutingStep.style_id.in_(bindparam("styles", expanding=True)),
    )
    .order_by(RoutingStep.style_id, RoutingStep.seq)
)
