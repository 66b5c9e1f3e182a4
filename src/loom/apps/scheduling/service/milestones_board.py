"""The milestone board: every stage of the enterprise's orders, open alerts first.

Stages are computed, not stored (targets follow due dates, forecasts follow the adopted plan),
so filters and pages apply to the computed rows. The board reads the orders that are not
cancelled; an SME's few thousand open stages are computed in milliseconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.milestones import STAGES
from loom.apps.scheduling.service import milestones as svc
from loom.apps.scheduling.service.milestones_rules import ALERT_STATUSES, SEVERITIES
from loom.kernel.db.repository import MAX_PAGE_SIZE, Page
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.models import ProductionOrder
from loom.modules.shopfloor.service.orders import OrderRepository

#: orders in this state have no milestones to chase
SKIPPED_STATUSES = ("cancelled",)
#: status filter matching every open alert (overdue or at risk)
ALERTS = "alerts"
#: how the board sorts statuses: open alerts, then stages to come, then stages done
_STATUS_RANK = {"overdue": 0, "at_risk": 0, "on_track": 1, "done_late": 2, "done": 2}


@dataclass(frozen=True)
class AlertCounts:
    """Open alerts of the enterprise, in total and by severity."""

    total: int
    by_severity: dict[str, int]


def _orders(session: Session, scope: Scope, q: str, order_id: int | None) -> list[ProductionOrder]:
    repo = OrderRepository(session, scope)
    stmt = repo.select().where(ProductionOrder.status.not_in(SKIPPED_STATUSES))
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(
            or_(ProductionOrder.number.ilike(like), ProductionOrder.customer.ilike(like))
        )
    if order_id is not None:
        stmt = stmt.where(ProductionOrder.id == order_id)
    return list(session.scalars(stmt.order_by(ProductionOrder.due_date, ProductionOrder.number)))


def rows(
    session: Session,
    scope: Scope,
    *,
    today: date,
    q: str = "",
    order_id: int | None = None,
    stage: str = "",
    status: str = "",
) -> list[svc.StageRow]:
    """Return the board's stages filtered and sorted: open alerts first, the latest first."""
    orders = _orders(session, scope, q, order_id)
    found = svc.stage_rows(
        orders,
        svc.offsets_of(session, scope),
        svc.recorded(session, scope, [o.id for o in orders]),
        svc.adopted_windows(session, scope),
        today,
    )
    if stage:
        found = [r for r in found if r.stage == stage]
    if status == ALERTS:
        found = [r for r in found if r.is_alert]
    elif status:
        found = [r for r in found if r.judgement.status == status]
    found.sort(
        key=lambda r: (
            _STATUS_RANK[r.judgement.status],
            -r.judgement.days_late if r.is_alert else 0,
            r.target,
            r.order.number,
            STAGES.index(r.stage),
        )
    )
    return found


def search(
    session: Session,
    scope: Scope,
    *,
    today: date,
    q: str = "",
    order_id: int | None = None,
    stage: str = "",
    status: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[svc.StageRow]:
    """Return one page of the board."""
    found = rows(session, scope, today=today, q=q, order_id=order_id, stage=stage, status=status)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    return Page(items=found[offset : offset + limit], total=len(found), offset=offset, limit=limit)


def open_alerts(session: Session, scope: Scope, today: date) -> AlertCounts:
    """Return the open alerts of every order that is not cancelled."""
    found = rows(session, scope, today=today, status=ALERTS)
    counts = Counter(r.judgement.severity for r in found)
    return AlertCounts(len(found), {level: counts.get(level, 0) for level in SEVERITIES})


__all__ = ["ALERTS", "ALERT_STATUSES", "AlertCounts", "open_alerts", "rows", "search"]
