"""Bundle tickets (菲票): one ticket per bundle, one signed coupon per routing operation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, RoutingStep, Style
from loom.modules.shopfloor.engine.tickets import coupon_text, ticket_key
from loom.modules.shopfloor.models import Bundle, Lay, ProductionOrder
from loom.modules.shopfloor.service.cutting import LayRepository, bundles_of
from loom.modules.shopfloor.service.orders import OrderRepository


@dataclass(frozen=True)
class Step:
    """One operation of the style's routing, in order."""

    seq: int
    operation_id: int
    code: str
    name: str


@dataclass(frozen=True)
class CouponOut:
    """One tear-off coupon: the bundle, the operation and the signed QR text."""

    bundle_no: int
    seq: int
    operation_id: int
    operation_code: str
    operation_name: str
    qr_text: str


@dataclass(frozen=True)
class Ticket:
    """One bundle's ticket with its coupons."""

    bundle: Bundle
    lay_no: int
    coupons: list[CouponOut]


@dataclass(frozen=True)
class TicketSheet:
    """Everything a printed sheet of tickets shows."""

    order: ProductionOrder
    style: Style
    tickets: list[Ticket]


def routing(session: Session, scope: Scope, style_id: int) -> list[Step]:
    """Return a style's routing steps with their operations' codes and names."""
    stmt = (
        select(RoutingStep.seq, Operation.id, Operation.code, Operation.name)
        .join(Operation, Operation.id == RoutingStep.operation_id)
        .where(RoutingStep.org_id == scope.org_id, RoutingStep.style_id == style_id)
        .order_by(RoutingStep.seq)
    )
    return [Step(seq, op_id, code, name) for seq, op_id, code, name in session.execute(stmt)]


def sheet(
    session: Session,
    scope: Scope,
    secret_key: str,
    order_id: int,
    *,
    lay_id: int | None = None,
    bundle_ids: Sequence[int] = (),
) -> TicketSheet:
    """Return the tickets of an order's bundles: all, one lay's, or the listed bundles."""
    order = OrderRepository(session, scope).get(order_id)
    if lay_id is not None:
        lay = LayRepository(session, scope).get(lay_id)
        if lay.order_id != order.id:
            # a lay of another order is not on this order's sheet: as if it did not exist
            raise NotFound("%(kind)s %(id)s not found", params={"kind": "Lay", "id": lay_id})
    bundles = bundles_of(session, scope, order.id, lay_id)
    if bundle_ids:
        wanted = set(bundle_ids)
        bundles = [b for b in bundles if b.id in wanted]
    lay_nos = {
        lay.id: lay.lay_no
        for lay in session.scalars(
            LayRepository(session, scope).select().where(Lay.order_id == order.id)
        )
    }
    style = session.get(Style, order.style_id)
    assert style is not None
    steps = routing(session, scope, order.style_id)
    key = ticket_key(secret_key, scope.org_id)
    tickets = [
        Ticket(
            bundle=b,
            lay_no=lay_nos.get(b.lay_id, 0),
            coupons=[
                CouponOut(
                    bundle_no=b.number,
                    seq=step.seq,
                    operation_id=step.operation_id,
                    operation_code=step.code,
                    operation_name=step.name,
                    qr_text=coupon_text(key, scope.org_id, b.number, step.operation_id),
                )
                for step in steps
            ],
        )
        for b in bundles
    ]
    return TicketSheet(order=order, style=style, tickets=tickets)


def qr_svg(text: str) -> str:
    """Return an inline SVG QR code of ``text`` (medium error correction survives a crease).

    Without a fixed size (only a viewBox) the code scales to the box the ticket's CSS gives it.
    """
    svg: str = segno.make(text, error="m", micro=False).svg_inline(scale=2, border=2, omitsize=True)
    return svg
