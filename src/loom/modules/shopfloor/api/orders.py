"""JSON API: production orders with their progress; lays, bundles and coupons are in a sibling."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.shopfloor.api import orders_cutting
from loom.modules.shopfloor.models import ORDER_STATUSES, ProductionOrder
from loom.modules.shopfloor.schemas_orders import OrderBody, OrderOut, OrderProgressOut
from loom.modules.shopfloor.service import orders

router = APIRouter()
router.include_router(orders_cutting.router)
DB = Depends(get_db, scope="function")
OFFSET = Query(0, ge=0)
LIMIT = Query(50, ge=1, le=200)
SEARCH = Query("", max_length=100)
STATUS = Query("", pattern="^(" + "|".join(ORDER_STATUSES) + ")?$")
OrderId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def board_rows(
    db: Session, scope: Scope, items: list[ProductionOrder], today: date
) -> list[OrderProgressOut]:
    """Return orders with finished pieces, progress and whether they are late."""
    done = orders.finished(db, scope, items)
    rows = []
    for order in items:
        finished = done.get(order.id, 0)
        row = OrderProgressOut.model_validate(order)
        row.finished_qty = finished
        row.progress = orders.progress(order.total_qty, finished)
        row.late = (
            order.due_date < today
            and finished < order.total_qty
            and (order.status not in ("done", "cancelled"))
        )
        rows.append(row)
    return rows


@router.get("/orders", response_model=PageOut[OrderProgressOut])
def list_orders(
    q: str = SEARCH,
    status: str = STATUS,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("shopfloor.order.read"),
    db: Session = DB,
) -> Any:
    """List orders by due date with progress, searched in number and customer, by status."""
    page = orders.search(db, scope, q=q, status=status, offset=offset, limit=limit)
    out = PageOut.of(page, OrderOut)
    rows = board_rows(db, scope, list(page.items), date.today())
    return PageOut[OrderProgressOut](
        items=rows,
        total=out.total,
        offset=out.offset,
        limit=out.limit,
        next_offset=out.next_offset,
    )


@router.post("/orders", response_model=OrderOut, status_code=201)
def create_order(
    body: OrderBody, scope: Scope = require("shopfloor.order.write"), db: Session = DB
) -> Any:
    """Create an order; a 422 names every bad field, a taken number answers 409."""
    return orders.create(db, scope, body.to_input())


@router.get("/orders/{order_id}", response_model=OrderProgressOut)
def read_order(
    order_id: OrderId, scope: Scope = require("shopfloor.order.read"), db: Session = DB
) -> Any:
    """Return one order with its progress."""
    order = orders.OrderRepository(db, scope).get(order_id)
    return board_rows(db, scope, [order], date.today())[0]


@router.put("/orders/{order_id}", response_model=OrderOut)
def update_order(
    order_id: OrderId,
    body: OrderBody,
    scope: Scope = require("shopfloor.order.write"),
    db: Session = DB,
) -> Any:
    """Replace an order's fields."""
    return orders.update(db, scope, order_id, body.to_input())


@router.delete("/orders/{order_id}", status_code=204)
def delete_order(
    order_id: OrderId, scope: Scope = require("shopfloor.order.delete"), db: Session = DB
) -> Response:
    """Delete an order and its planned lays; one with bundles answers 409."""
    orders.delete(db, scope, order_id)
    return Response(status_code=204)
