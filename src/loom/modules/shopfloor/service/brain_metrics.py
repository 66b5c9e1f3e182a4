"""What the shop floor offers the industry brain: output, on-time delivery, pieces by category.

Every figure counts finished garments: applied "done" scans at the style's last routing
operation, on the factory's local (Beijing) day. The brain calls these under the enterprise's
own system scope and only when the enterprise shares the metric's category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import column, func, inspect, select, table
from sqlalchemy.orm import Session

from loom.kernel.plugins.spec import BrainMetric, MetricSample
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Style
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.engine.figures import day_window
from loom.modules.shopfloor.models import LineHour, ProductionOrder, ScanEvent

#: the scheduling app's order attributes, read by name: a module never imports an app, and
#: the table is absent when the app is not installed
_ORDER_ATTRS = table(
    "scheduling_order_attrs", column("org_id"), column("order_id"), column("category")
)


def output_pieces(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return finished garments per local day, from the lines' hourly counters."""
    first, _ = day_window(start)
    _, last = day_window(end)
    stmt = (
        select(LineHour.hour, func.sum(LineHour.output_qty))
        .where(LineHour.org_id == scope.org_id, LineHour.hour >= first, LineHour.hour < last)
        .group_by(LineHour.hour)
    )
    days: defaultdict[date, int] = defaultdict(int)
    for hour, qty in session.execute(stmt):
        days[local_day(hour)] += int(qty or 0)
    return [MetricSample(day, float(qty)) for day, qty in sorted(days.items()) if qty]


def _finished_scans(
    session: Session,
    scope: Scope,
    start: date | None,
    end: date,
    order_ids: Iterable[int] | None = None,
) -> dict[int, dict[date, int]]:
    """Return finished pieces per order and local day, from ``start`` (or ever) to ``end``."""
    _, until = day_window(end)
    stmt = select(ScanEvent.order_id, ScanEvent.ts, ScanEvent.qty).where(
        ScanEvent.org_id == scope.org_id,
        ScanEvent.final.is_(True),
        ScanEvent.kind == "done",
        ScanEvent.status == "applied",
        ScanEvent.order_id.is_not(None),
        ScanEvent.ts < until,
    )
    if start is not None:
        stmt = stmt.where(ScanEvent.ts >= day_window(start)[0])
    if order_ids is not None:
        stmt = stmt.where(ScanEvent.order_id.in_(sorted(set(order_ids))))
    found: defaultdict[int, defaultdict[date, int]] = defaultdict(lambda: defaultdict(int))
    for order_id, ts, qty in session.execute(stmt):
        if order_id is not None:  # filtered above; this tells mypy so
            found[order_id][local_day(ts)] += qty
    return {order: dict(days) for order, days in found.items()}


@dataclass(frozen=True)
class _Order:
    id: int
    total: int
    due: date
    status: str
    category: str


def _orders(session: Session, scope: Scope, ids: Iterable[int]) -> dict[int, _Order]:
    """Return the orders with their scheduling category, or their style code when none."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = (
        select(
            ProductionOrder.id,
            ProductionOrder.total_qty,
            ProductionOrder.due_date,
            ProductionOrder.status,
            Style.code,
        )
        .join(Style, (Style.id == ProductionOrder.style_id) & (Style.org_id == scope.org_id))
        .where(ProductionOrder.org_id == scope.org_id, ProductionOrder.id.in_(wanted))
    )
    categories = _categories(session, scope, wanted)
    return {
        oid: _Order(oid, total, due, status, categories.get(oid) or code)
        for oid, total, due, status, code in session.execute(stmt)
    }


def _categories(session: Session, scope: Scope, order_ids: list[int]) -> dict[int, str]:
    if not inspect(session.connection()).has_table(_ORDER_ATTRS.name):
        return {}
    stmt = select(_ORDER_ATTRS.c.order_id, _ORDER_ATTRS.c.category).where(
        _ORDER_ATTRS.c.org_id == scope.org_id, _ORDER_ATTRS.c.order_id.in_(order_ids)
    )
    return {int(oid): str(cat or "").strip() for oid, cat in session.execute(stmt)}


def finish_day(total: int, status: str, days: dict[date, int]) -> date | None:
    """Return the day an order was finished: its pieces reached the total, or it was closed.

    An order closed as done short of its total finished on the day of its last piece.
    """
    done = 0
    for day in sorted(days):
        done += days[day]
        if done >= total:
            return day
    if status == "done" and days:
        return max(days)
    return None


def on_time(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return, per finishing day, orders finished by their due date over orders finished."""
    recent = _finished_scans(session, scope, start, end)
    # an order finishing in the window may have started long before: count all its pieces
    history = _finished_scans(session, scope, None, end, recent)
    orders = _orders(session, scope, recent)
    tally: defaultdict[date, list[int]] = defaultdict(lambda: [0, 0])
    for oid, order in orders.items():
        if order.status == "cancelled":
            continue
        day = finish_day(order.total, order.status, history.get(oid, {}))
        if day is None or not start <= day <= end:
            continue
        tally[day][0] += 1 if day <= order.due else 0
        tally[day][1] += 1
    return [
        MetricSample(day, float(hits), float(count)) for day, (hits, count) in sorted(tally.items())
    ]


def category_pieces(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return finished garments per day and category (the style code when none is set)."""
    recent = _finished_scans(session, scope, start, end)
    orders = _orders(session, scope, recent)
    cells: defaultdict[tuple[date, str], int] = defaultdict(int)
    for oid, days in recent.items():
        order = orders.get(oid)
        if order is None:
            continue
        for day, qty in days.items():
            cells[(day, order.category)] += qty
    return [
        MetricSample(day, float(qty), dims=(("category", category),))
        for (day, category), qty in sorted(cells.items())
    ]


def order_progress(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return finished garments per day and order; the first sample of an order carries its total.

    Summing numerators and denominators over the window then gives pieces finished ÷ ordered.
    """
    recent = _finished_scans(session, scope, start, end)
    orders = _orders(session, scope, recent)
    found: list[MetricSample] = []
    for oid in sorted(recent):
        order = orders.get(oid)
        if order is None:
            continue
        for index, day in enumerate(sorted(recent[oid])):
            total = float(order.total) if index == 0 else 0.0
            found.append(
                MetricSample(day, float(recent[oid][day]), total, dims=(("order", str(oid)),))
            )
    return sorted(found, key=lambda s: (s.day, s.dims))


BRAIN_METRICS = (
    BrainMetric("shopfloor.output_pieces", "output", "Finished pieces", "pcs", output_pieces),
    BrainMetric(
        "shopfloor.on_time",
        "orders",
        "On-time delivery",
        "%",
        on_time,
        ratio=True,
        scale=100,
    ),
    BrainMetric(
        "shopfloor.category_pieces",
        "orders",
        "Finished pieces by category",
        "pcs",
        category_pieces,
    ),
    BrainMetric(
        "shopfloor.order_progress",
        "orders",
        "Order progress",
        "%",
        order_progress,
        ratio=True,
        scale=100,
    ),
)
