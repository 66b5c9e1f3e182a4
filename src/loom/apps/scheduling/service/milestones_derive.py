"""Actual dates of cutting and sewing finish, derived from shop-floor data.

- **Cutting** is done when the order's bundles hold at least its quantity; its actual date is
  the factory's (Beijing) day the bundle that reached the quantity was cut.
- **Sewing finish** is done when the pieces done at the last operation of the style's routing
  (the shop floor's finished pieces) reach the order's quantity; its actual date is the day of
  the scan that reached it.

A stage that already has an actual date (typed by a user or derived before) is left alone, so
running the derivation again changes nothing. Cancelled orders are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from loom.apps.scheduling.service import milestones as svc
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.models import ProductionOrder, ScanEvent
from loom.modules.shopfloor.service.cutting import bundles_of
from loom.modules.shopfloor.service.figures import cut_of
from loom.modules.shopfloor.service.orders import OrderRepository, final_operations, finished


@dataclass(frozen=True)
class Derived:
    """An actual date the shop floor supplied."""

    order_id: int
    number: str
    stage: str
    actual: date


def reached_on(steps: Iterable[tuple[datetime, int]], quantity: int) -> datetime | None:
    """Return when the running total of (moment, pieces) first reaches ``quantity``."""
    total = 0
    for moment, pieces in sorted(steps, key=lambda step: step[0]):
        total += pieces
        if total >= quantity:
            return moment
    return None


def _cut_day(session: Session, scope: Scope, order: ProductionOrder) -> date | None:
    bundles = bundles_of(session, scope, order.id)
    moment = reached_on(((b.created_at, b.qty) for b in bundles), order.total_qty)
    return local_day(moment) if moment is not None else None


def _sewn_day(
    session: Session, scope: Scope, order: ProductionOrder, final_op: int, today: date
) -> date:
    ids = [b.id for b in bundles_of(session, scope, order.id)]
    steps: list[tuple[datetime, int]] = []
    for start in range(0, len(ids), 500):
        # the literal kind/status match the partial unique index on (org, bundle, operation)
        stmt = select(ScanEvent.ts, ScanEvent.qty).where(
            ScanEvent.org_id == scope.org_id,
            ScanEvent.bundle_id.in_(ids[start : start + 500]),
            ScanEvent.operation_id == final_op,
            text("shopfloor_event.kind = 'done' AND shopfloor_event.status = 'applied'"),
        )
        steps.extend((ts, qty) for ts, qty in session.execute(stmt))
    moment = reached_on(steps, order.total_qty)
    # counters rebuilt without their events still say "finished": the day it was seen then
    return local_day(moment) if moment is not None else today


def derive(
    session: Session, scope: Scope, today: date, order_ids: Sequence[int] | None = None
) -> list[Derived]:
    """Record the cutting and sewing-finish dates the shop floor shows; return what was new."""
    repo = OrderRepository(session, scope)
    stmt = repo.select().where(ProductionOrder.status != "cancelled")
    if order_ids is not None:
        stmt = stmt.where(ProductionOrder.id.in_(list(order_ids)))
    orders = list(session.scalars(stmt.order_by(ProductionOrder.id)))
    stored = svc.recorded(session, scope, [o.id for o in orders])

    def missing(order: ProductionOrder, stage: str) -> bool:
        row = stored.get((order.id, stage))
        return row is None or row.actual_date is None

    wanting_cut = [o for o in orders if missing(o, "cutting")]
    wanting_sewn = [o for o in orders if missing(o, "sewing_finish")]
    cut = cut_of(session, scope, [o.id for o in wanting_cut])
    done = finished(session, scope, wanting_sewn)
    finals = final_operations(session, scope, [o.style_id for o in wanting_sewn])
    found: list[Derived] = []
    for order in wanting_cut:
        if cut.get(order.id, 0) >= order.total_qty:
            day = _cut_day(session, scope, order)
            if day is not None:
                svc.record_derived(session, scope, order, "cutting", day)
                found.append(Derived(order.id, order.number, "cutting", day))
    for order in wanting_sewn:
        if done.get(order.id, 0) >= order.total_qty and order.style_id in finals:
            day = _sewn_day(session, scope, order, finals[order.style_id], today)
            svc.record_derived(session, scope, order, "sewing_finish", day)
            found.append(Derived(order.id, order.number, "sewing_finish", day))
    return found
