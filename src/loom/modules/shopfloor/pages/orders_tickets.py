"""Pages: printable bundle tickets (菲票) with one signed QR coupon per routing operation."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.shopfloor.pages.orders_common import DB, READ
from loom.modules.shopfloor.service import tickets

router = APIRouter()


@router.get("/orders/{order_id:int}/tickets")
def ticket_sheet(
    request: Request,
    order_id: int,
    lay_id: int | None = Query(None, ge=1, le=2_147_483_647),
    bundle: list[int] = Query(default_factory=list, max_length=1000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the tickets of an order's bundles (all, one lay's, or the listed ones) for printing."""
    secret = runtime_of(request).settings.secret_key
    found = tickets.sheet(db, scope, secret, order_id, lay_id=lay_id, bundle_ids=bundle)
    qr = {
        coupon.qr_text: tickets.qr_svg(coupon.qr_text)
        for ticket in found.tickets
        for coupon in ticket.coupons
    }
    context = {"sheet": found, "qr": qr, "lay_id": lay_id}
    return render(request, "shopfloor/tickets_sheet.html", context)
