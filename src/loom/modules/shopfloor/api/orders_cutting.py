"""JSON API: an order's lays and cutting plan, bundles, cut-vs-ordered matrix and coupons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.shopfloor.models import Bundle
from loom.modules.shopfloor.schemas_orders import (
    BundleOut,
    CellOut,
    CouponOutBody,
    CouponsOut,
    CutBody,
    LayBody,
    LayOut,
    MatrixOut,
    PlanBody,
    PlannedLayOut,
)
from loom.modules.shopfloor.service import cutting, tickets
from loom.modules.shopfloor.service.orders import OrderRepository

router = APIRouter()
DB = Depends(get_db, scope="function")
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
#: an optional id filter; each parameter gets its own Query, since FastAPI binds one to a name
OptionalId = Annotated[int | None, Query(ge=1, le=2_147_483_647)]


@router.get("/orders/{order_id}/lays", response_model=list[LayOut])
def list_lays(
    order_id: RowId, scope: Scope = require("shopfloor.order.read"), db: Session = DB
) -> Any:
    """Return an order's lays by number."""
    return cutting.lays_of(db, scope, order_id)


@router.post("/orders/{order_id}/lays", response_model=LayOut, status_code=201)
def add_lay(
    order_id: RowId,
    body: LayBody,
    scope: Scope = require("shopfloor.cutting.write"),
    db: Session = DB,
) -> Any:
    """Add a lay by hand; a 422 names every bad field."""
    return cutting.add_lay(db, scope, order_id, body.to_input())


@router.post("/orders/{order_id}/plan", response_model=list[PlannedLayOut])
def suggest_plan(
    order_id: RowId,
    body: PlanBody,
    scope: Scope = require("shopfloor.order.read"),
    db: Session = DB,
) -> Any:
    """Return the suggested lays for what cut lays have not covered, without storing them."""
    return cutting.suggest(db, scope, order_id, body.to_input())


@router.put("/orders/{order_id}/plan", response_model=list[LayOut])
def apply_plan(
    order_id: RowId,
    body: PlanBody,
    scope: Scope = require("shopfloor.cutting.write"),
    db: Session = DB,
) -> Any:
    """Replace the order's uncut lays with the suggested ones."""
    return cutting.apply_plan(db, scope, order_id, body.to_input())


@router.get("/orders/{order_id}/matrix", response_model=MatrixOut)
def cut_matrix(
    order_id: RowId, scope: Scope = require("shopfloor.order.read"), db: Session = DB
) -> Any:
    """Return ordered, planned and cut pieces per colour and size."""
    cells = cutting.matrix(db, scope, order_id)
    return MatrixOut(
        order_id=order_id,
        cells={
            colour: {size: CellOut(**cell) for size, cell in row.items()}
            for colour, row in cells.items()
        },
    )


@router.get("/orders/{order_id}/bundles", response_model=list[BundleOut])
def order_bundles(
    order_id: RowId,
    lay_id: OptionalId = None,
    scope: Scope = require("shopfloor.order.read"),
    db: Session = DB,
) -> Any:
    """Return an order's bundles by number, or one lay's."""
    return cutting.bundles_of(db, scope, order_id, lay_id)


@router.get("/orders/{order_id}/coupons", response_model=CouponsOut)
def order_coupons(
    request: Request,
    order_id: RowId,
    lay_id: OptionalId = None,
    bundle: list[int] = Query(default_factory=list, max_length=1000),
    scope: Scope = require("shopfloor.order.read"),
    db: Session = DB,
) -> Any:
    """Return every coupon (bundle, operation, signed QR text) of an order's bundles."""
    secret = runtime_of(request).settings.secret_key
    found = tickets.sheet(db, scope, secret, order_id, lay_id=lay_id, bundle_ids=bundle)
    return CouponsOut(
        order_id=order_id,
        coupons=[CouponOutBody.model_validate(c) for t in found.tickets for c in t.coupons],
    )


@router.get("/lays/{lay_id}", response_model=LayOut)
def read_lay(
    lay_id: RowId, scope: Scope = require("shopfloor.order.read"), db: Session = DB
) -> Any:
    """Return one lay."""
    return cutting.LayRepository(db, scope).get(lay_id)


@router.put("/lays/{lay_id}", response_model=LayOut)
def update_lay(
    lay_id: RowId,
    body: LayBody,
    scope: Scope = require("shopfloor.cutting.write"),
    db: Session = DB,
) -> Any:
    """Replace a planned lay; a cut lay answers 409."""
    return cutting.update_lay(db, scope, lay_id, body.to_input())


@router.delete("/lays/{lay_id}", status_code=204)
def delete_lay(
    lay_id: RowId, scope: Scope = require("shopfloor.cutting.write"), db: Session = DB
) -> Response:
    """Delete a planned lay; a cut lay answers 409."""
    cutting.delete_lay(db, scope, lay_id)
    return Response(status_code=204)


@router.post("/lays/{lay_id}/cut", response_model=list[BundleOut], status_code=201)
def cut_lay(
    lay_id: RowId,
    body: CutBody,
    scope: Scope = require("shopfloor.cutting.write"),
    db: Session = DB,
) -> Any:
    """Cut a lay into numbered bundles; cutting it twice answers 409."""
    return cutting.cut_lay(db, scope, lay_id, body.bundle_size)


@router.get("/bundles", response_model=PageOut[BundleOut])
def list_bundles(
    order_id: OptionalId = None,
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require("shopfloor.order.read"),
    db: Session = DB,
) -> Any:
    """List the enterprise's bundles by number, of one order when asked."""
    repo = cutting.BundleRepository(db, scope)
    stmt = repo.select().order_by(Bundle.number)
    if order_id is not None:
        stmt = stmt.where(Bundle.order_id == OrderRepository(db, scope).get(order_id).id)
    return PageOut.of(repo.page(stmt, offset=offset, limit=limit), BundleOut)


@router.get("/bundles/{bundle_id}", response_model=BundleOut)
def read_bundle(
    bundle_id: RowId, scope: Scope = require("shopfloor.order.read"), db: Session = DB
) -> Any:
    """Return one bundle."""
    return cutting.BundleRepository(db, scope).get(bundle_id)
