"""Production orders (生产订单): a style in colour × size quantities, due on a date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import ProductionLine, RoutingStep, Style
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.styles import StyleRepository
from loom.modules.shopfloor.models import ORDER_STATUSES, Bundle, Lay, OpCount, ProductionOrder

#: pieces of one colour and size: a typo guard, far above any real order
MAX_CELL = 1_000_000


@dataclass(frozen=True)
class OrderIn:
    """An order as a user enters it."""

    number: str
    style_id: int
    due_date: date
    quantities: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    customer: str = ""
    line_id: int | None = None
    status: str = "open"
    note: str = ""


class OrderRepository(TenantRepository[ProductionOrder]):
    """The scope's enterprise's production orders."""

    model = ProductionOrder


class LineRepository(TenantRepository[ProductionLine]):
    """The scope's enterprise's production lines (read only here)."""

    model = ProductionLine


def quantity_problems(
    quantities: Mapping[str, Mapping[str, int]], colours: Sequence[str], sizes: Sequence[str]
) -> list[FieldProblem]:
    """Return every bad cell of a colour × size matrix against the style's colours and sizes."""
    found: list[FieldProblem] = []
    for colour, row in quantities.items():
        where = f"quantities.{colour}"
        if colour not in colours:
            found.append(
                FieldProblem(where, "%(colour)s is not a colour of this style", {"colour": colour})
            )
            continue
        for size, qty in row.items():
            cell = f"{where}.{size}"
            if size not in sizes:
                found.append(
                    FieldProblem(cell, "%(size)s is not a size of this style", {"size": size})
                )
            elif not 0 <= qty <= MAX_CELL:
                found.append(
                    FieldProblem(cell, "a whole number from 0 to %(max)s", {"max": MAX_CELL})
                )
    if not found and total_of(quantities) < 1:
        found.append(FieldProblem("quantities", "order at least one piece"))
    return found


def total_of(quantities: Mapping[str, Mapping[str, int]]) -> int:
    """Return the pieces of a colour × size matrix."""
    return sum(qty for row in quantities.values() for qty in row.values())


def _clean(quantities: Mapping[str, Mapping[str, int]], style: Style) -> dict[str, dict[str, int]]:
    # stored in the style's own colour and size order, without empty cells
    kept: dict[str, dict[str, int]] = {}
    for colour in style.colours:
        row = quantities.get(colour, {})
        cells = {size: int(row[size]) for size in style.sizes if row.get(size, 0) > 0}
        if cells:
            kept[colour] = cells
    return kept


def order_problems(session: Session, scope: Scope, data: OrderIn) -> tuple[list[Any], Style | None]:
    """Return every bad field of an order, and its style when the style exists."""
    found = [
        *text_problems("number", data.number, 40, required=True),
        *text_problems("customer", data.customer, 200, required=False),
        *text_problems("note", data.note, 500, required=False),
    ]
    if data.status not in ORDER_STATUSES:
        found.append(FieldProblem("status", "unknown status %(status)s", {"status": data.status}))
    style = session.scalars(
        StyleRepository(session, scope).select().where(Style.id == data.style_id)
    ).first()
    if style is None:
        found.append(FieldProblem("style_id", "no such style"))
    else:
        found.extend(quantity_problems(data.quantities, style.colours, style.sizes))
    if data.line_id is not None:
        lines = LineRepository(session, scope)
        if session.scalars(lines.select().where(ProductionLine.id == data.line_id)).first() is None:
            found.append(FieldProblem("line_id", "no such production line"))
    return found, style


def snapshot(order: ProductionOrder) -> dict[str, Any]:
    """Return an order's fields as the audit trail records them."""
    return {
        "number": order.number,
        "customer": order.customer,
        "style_id": order.style_id,
        "line_id": order.line_id,
        "due_date": order.due_date.isoformat(),
        "quantities": {c: dict(row) for c, row in order.quantities.items()},
        "total_qty": order.total_qty,
        "status": order.status,
        "note": order.note,
    }


def _check_number_free(session: Session, scope: Scope, number: str, own_id: int | None) -> None:
    stmt = OrderRepository(session, scope).select().where(ProductionOrder.number == number)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(
            "number: order %(number)s exists already", field="number", params={"number": number}
        )


def _fill(order: ProductionOrder, data: OrderIn, style: Style) -> None:
    order.number = data.number.strip()
    order.customer = data.customer.strip()
    order.style_id = style.id
    order.line_id = data.line_id
    order.due_date = data.due_date
    order.quantities = _clean(data.quantities, style)
    order.total_qty = total_of(order.quantities)
    order.status = data.status
    order.note = data.note.strip()


def create(session: Session, scope: Scope, data: OrderIn) -> ProductionOrder:
    """Create an order of the scope's enterprise; its number must be new there."""
    found, style = order_problems(session, scope, data)
    raise_problems(found)
    assert style is not None
    _check_number_free(session, scope, data.number.strip(), None)
    order = ProductionOrder(org_id=scope.org_id)
    _fill(order, data, style)
    session.add(order)
    session.flush()
    record_scoped(
        session, scope, "shopfloor.order.created", "order", order.id, after=snapshot(order)
    )
    return order


def has_lays(session: Session, scope: Scope, order_id: int) -> bool:
    """Return whether any lay of the order exists."""
    stmt = select(func.count()).select_from(Lay).where(Lay.order_id == order_id)
    return bool(session.scalar(stmt.where(Lay.org_id == scope.org_id)))


def has_bundles(session: Session, scope: Scope, order_id: int) -> bool:
    """Return whether any bundle of the order was cut."""
    stmt = select(func.count()).select_from(Bundle).where(Bundle.order_id == order_id)
    return bool(session.scalar(stmt.where(Bundle.org_id == scope.org_id)))


def update(session: Session, scope: Scope, order_id: int, data: OrderIn) -> ProductionOrder:
    """Replace an order's fields; its style cannot change once lays are planned."""
    order = OrderRepository(session, scope).get(order_id)
    found, style = order_problems(session, scope, data)
    raise_problems(found)
    assert style is not None
    _check_number_free(session, scope, data.number.strip(), order.id)
    if style.id != order.style_id and has_lays(session, scope, order.id):
        raise Conflict("style_id: the style cannot change once lays are planned", field="style_id")
    before = snapshot(order)
    _fill(order, data, style)
    after = snapshot(order)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "shopfloor.order.updated",
            "order",
            order.id,
            before=before,
            after=after,
        )
    return order


def delete(session: Session, scope: Scope, order_id: int) -> None:
    """Delete an order and its planned lays; one with bundles answers 409."""
    repo = OrderRepository(session, scope)
    order = repo.get(order_id)
    if has_bundles(session, scope, order.id):
        raise Conflict(
            "order %(number)s has cut bundles and cannot be deleted",
            params={"number": order.number},
        )
    before = snapshot(order)
    session.execute(sql_delete(Lay).where(Lay.order_id == order.id, Lay.org_id == scope.org_id))
    repo.delete(order)
    record_scoped(session, scope, "shopfloor.order.deleted", "order", order_id, before=before)


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    status: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[ProductionOrder]:
    """Return one page of orders by due date, searched in number and customer, by status."""
    repo = OrderRepository(session, scope)
    stmt = repo.select().order_by(ProductionOrder.due_date, ProductionOrder.number)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(
            or_(ProductionOrder.number.ilike(like), ProductionOrder.customer.ilike(like))
        )
    if status:
        stmt = stmt.where(ProductionOrder.status == status)
    return repo.page(stmt, offset=offset, limit=limit)


def final_operations(session: Session, scope: Scope, style_ids: Sequence[int]) -> dict[int, int]:
    """Return each style's final operation: the routing step with the highest seq."""
    if not style_ids:
        return {}
    last = (
        select(RoutingStep.style_id, func.max(RoutingStep.seq).label("seq"))
        .where(RoutingStep.org_id == scope.org_id, RoutingStep.style_id.in_(set(style_ids)))
        .group_by(RoutingStep.style_id)
        .subquery()
    )
    stmt = select(RoutingStep.style_id, RoutingStep.operation_id).join(
        last, (RoutingStep.style_id == last.c.style_id) & (RoutingStep.seq == last.c.seq)
    )
    rows = session.execute(stmt.where(RoutingStep.org_id == scope.org_id))
    return {row[0]: row[1] for row in rows}


def finished(session: Session, scope: Scope, orders: Sequence[ProductionOrder]) -> dict[int, int]:
    """Return finished pieces per order: done at its style's final routing operation."""
    finals = final_operations(session, scope, [o.style_id for o in orders])
    wanted = {o.id: finals[o.style_id] for o in orders if o.style_id in finals}
    if not wanted:
        return {}
    stmt = (
        select(OpCount.order_id, OpCount.operation_id, func.sum(OpCount.done_qty))
        .where(OpCount.org_id == scope.org_id, OpCount.order_id.in_(list(wanted)))
        .group_by(OpCount.order_id, OpCount.operation_id)
    )
    done = dict.fromkeys(wanted, 0)
    for order_id, op_id, qty in session.execute(stmt):
        if wanted.get(order_id) == op_id:
            done[order_id] = int(qty or 0)
    return done


def progress(total: int, done: int) -> float:
    """Return finished ÷ ordered as a fraction in [0, 1]."""
    return min(1.0, done / total) if total > 0 else 0.0
