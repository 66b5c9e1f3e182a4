"""JSON API of the planner's inputs: sewing lines' profiles and open orders' attributes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from sqlalchemy.orm import Session

from loom.apps.scheduling.schemas_plans import (
    LineProfileBody,
    LineProfileOut,
    OrderAttrsBody,
    OrderAttrsOut,
)
from loom.apps.scheduling.service import profiles
from loom.apps.scheduling.service.problem import open_orders
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope

router = APIRouter()
DB = Depends(get_db, scope="function")
READ = "scheduling.plan.read"
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/lines", response_model=list[LineProfileOut])
def list_line_profiles(scope: Scope = require(READ), db: Session = DB) -> Any:
    """List the active sewing lines with their effective scheduling profiles."""
    views = profiles.line_views(db, scope, profiles.sewing_lines(db, scope))
    return [LineProfileOut.of(v) for v in views]


@router.get("/lines/{line_id}", response_model=LineProfileOut)
def read_line_profile(line_id: RowId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one line's effective scheduling profile."""
    line = profiles.SchedLineRepository(db, scope).get(line_id)
    return LineProfileOut.of(profiles.line_views(db, scope, [line])[0])


@router.put("/lines/{line_id}", response_model=LineProfileOut)
def save_line_profile(
    line_id: RowId,
    body: LineProfileBody,
    scope: Scope = require("scheduling.calendar.write"),
    db: Session = DB,
) -> Any:
    """Replace a line's scheduling profile; a 422 names every bad field."""
    return LineProfileOut.of(profiles.save_profile(db, scope, line_id, body.to_input()))


@router.get("/orders", response_model=list[OrderAttrsOut])
def list_order_attrs(scope: Scope = require(READ), db: Session = DB) -> Any:
    """List the open orders by due date with their effective scheduling attributes."""
    return [OrderAttrsOut.of(v) for v in profiles.order_views(db, scope, open_orders(db, scope))]


@router.get("/orders/{order_id}", response_model=OrderAttrsOut)
def read_order_attrs(order_id: RowId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one order's effective scheduling attributes."""
    order = profiles.OrderRepository(db, scope).get(order_id)
    return OrderAttrsOut.of(profiles.order_views(db, scope, [order])[0])


@router.put("/orders/{order_id}", response_model=OrderAttrsOut)
def save_order_attrs(
    order_id: RowId,
    body: OrderAttrsBody,
    scope: Scope = require("scheduling.plan.write"),
    db: Session = DB,
) -> Any:
    """Replace an order's scheduling attributes; a 422 names every bad field."""
    return OrderAttrsOut.of(profiles.save_attrs(db, scope, order_id, body.to_input()))
