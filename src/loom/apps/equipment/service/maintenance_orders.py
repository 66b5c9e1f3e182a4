"""Maintenance work orders: opened from a due plan, after a breakdown or from an inspection.

A work order goes open → in progress (started) → closed, and an open or started one may be
cancelled; every other move is refused with a message saying why. Closing records the
downtime in minutes, the parts used and what was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import PRIORITIES, WorkOrder
from loom.apps.equipment.service.maintenance_common import (
    WorkOrderRepository,
    factory_today,
    machine_or_none,
)
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems

MAX_DOWNTIME = 100_000  # minutes: about ten weeks; more is a typo
MAX_PARTS = 30
MAX_QTY = 10_000
LIVE = ("open", "in_progress")


@dataclass(frozen=True)
class OrderIn:
    """What a user says about a work order: the machine, the fault, priority and assignee."""

    machine_id: int | None
    fault: str
    priority: str = "normal"
    assignee: str = ""


@dataclass(frozen=True)
class Part:
    """A spare part used, and how many."""

    part: str
    qty: int


@dataclass(frozen=True)
class CloseIn:
    """How a job ended: downtime minutes, parts used, what was done, checklist items done."""

    downtime_minutes: int
    resolution: str = ""
    parts: list[Part] = field(default_factory=list)
    done_items: list[int] = field(default_factory=list)


def order_problems(data: OrderIn, machine_known: bool) -> list[FieldProblem]:
    """Return every bad field of a work order, given whether its machine is in the ledger."""
    found = [
        *text_problems("fault", data.fault, 200, required=True),
        *text_problems("assignee", data.assignee, 100, required=False),
    ]
    if data.machine_id is None:
        found.append(FieldProblem("machine_id", "choose a machine"))
    elif not machine_known:
        found.append(FieldProblem("machine_id", "no such machine"))
    if data.priority not in PRIORITIES:
        found.append(FieldProblem("priority", "one of %(kinds)s", {"kinds": ", ".join(PRIORITIES)}))
    return found


def close_problems(data: CloseIn, checklist_size: int) -> list[FieldProblem]:
    """Return every bad field of a closing: downtime, parts and the resolution."""
    found = [*text_problems("resolution", data.resolution, 500, required=False)]
    if not 0 <= data.downtime_minutes <= MAX_DOWNTIME:
        found.append(
            FieldProblem(
                "downtime_minutes", "a whole number from 0 to %(max)s", {"max": MAX_DOWNTIME}
            )
        )
    if len(data.parts) > MAX_PARTS:
        found.append(FieldProblem("parts", "at most %(n)s entries", {"n": MAX_PARTS}))
    for index, part in enumerate(data.parts):
        where = f"parts[{index}]"
        found += text_problems(where, part.part, 100, required=True)
        if not 1 <= part.qty <= MAX_QTY:
            found.append(
                FieldProblem(where, "a quantity from 1 to %(max)s is expected", {"max": MAX_QTY})
            )
    if any(not 0 <= n < checklist_size for n in data.done_items):
        found.append(FieldProblem("checklist", "no such checklist item"))
    return found


def snapshot(order: WorkOrder) -> dict[str, Any]:
    """Return a work order's fields as the audit trail records them."""
    return {
        "number": order.number,
        "kind": order.kind,
        "machine_id": order.machine_id,
        "plan_id": order.plan_id,
        "round_id": order.round_id,
        "round_item": order.round_item,
        "fault": order.fault,
        "priority": order.priority,
        "assignee": order.assignee,
        "status": order.status,
        "due_on": order.due_on.isoformat() if order.due_on else None,
        "started_at": order.started_at.isoformat() if order.started_at else None,
        "closed_at": order.closed_at.isoformat() if order.closed_at else None,
        "parts": list(order.parts),
        "downtime_minutes": order.downtime_minutes,
        "checklist": list(order.checklist),
        "resolution": order.resolution,
    }


def next_number(session: Session, scope: Scope, day: date) -> str:
    """Return the next free number of the day: WO-YYYYMMDD-001, -002 …"""
    prefix = f"WO-{day:%Y%m%d}-"
    taken = session.scalar(
        select(func.count())
        .select_from(WorkOrder)
        .where(WorkOrder.org_id == scope.org_id, WorkOrder.number.like(f"{prefix}%"))
    )
    return f"{prefix}{(taken or 0) + 1:03d}"


def add(session: Session, scope: Scope, order: WorkOrder) -> WorkOrder:
    """Number, store and audit a new work order."""
    order.org_id = scope.org_id
    order.number = next_number(session, scope, factory_today())
    order.status = "open"
    order.opened_at = utcnow()
    session.add(order)
    session.flush()
    record_scoped(
        session, scope, "equipment.work_order.opened", "work_order", order.id, after=snapshot(order)
    )
    return order


def create_breakdown(session: Session, scope: Scope, data: OrderIn) -> WorkOrder:
    """Open a work order for a machine that broke down."""
    known = machine_or_none(session, scope, data.machine_id) is not None
    raise_problems(order_problems(data, known))
    assert data.machine_id is not None  # checked above
    order = WorkOrder(
        kind="breakdown",
        machine_id=data.machine_id,
        fault=data.fault.strip(),
        priority=data.priority,
        assignee=data.assignee.strip(),
        parts=[],
        checklist=[],
        downtime_minutes=0,
        resolution="",
    )
    return add(session, scope, order)


def refuse(order: WorkOrder, action: str) -> Conflict:
    """Return the refusal of an illegal move of a work order, saying why."""
    params = {"number": order.number}
    if order.status == "closed":
        return Conflict(
            "work order %(number)s is closed: it cannot change any more",
            field="status",
            params=params,
        )
    if order.status == "cancelled":
        return Conflict(
            "work order %(number)s was cancelled: it cannot change any more",
            field="status",
            params=params,
        )
    if action == "start":
        return Conflict("work order %(number)s was started already", field="status", params=params)
    if action == "close":
        return Conflict(
            "work order %(number)s must be started before it is closed",
            field="status",
            params=params,
        )
    return Conflict(
        "work order %(number)s is under way: cancel it before deleting it",
        field="status",
        params=params,
    )


def _audit(session: Session, scope: Scope, action: str, order: WorkOrder, before: Any) -> None:
    session.flush()
    record_scoped(
        session,
        scope,
        f"equipment.work_order.{action}",
        "work_order",
        order.id,
        before=before,
        after=snapshot(order),
    )


def update(session: Session, scope: Scope, order_id: int, data: OrderIn) -> WorkOrder:
    """Change an open or started order's fault, priority and assignee (not its machine)."""
    order = WorkOrderRepository(session, scope).get(order_id)
    if order.status not in LIVE:
        raise refuse(order, "edit")
    if data.machine_id is not None and data.machine_id != order.machine_id:
        raise ValidationFailed(
            "machine_id: the machine of a work order cannot change", field="machine_id"
        )
    raise_problems(
        order_problems(OrderIn(order.machine_id, data.fault, data.priority, data.assignee), True)
    )
    before = snapshot(order)
    order.fault = data.fault.strip()
    order.priority = data.priority
    order.assignee = data.assignee.strip()
    if snapshot(order) != before:
        _audit(session, scope, "updated", order, before)
    return order


def start(session: Session, scope: Scope, order_id: int, assignee: str = "") -> WorkOrder:
    """Start an open work order, optionally naming who works on it."""
    order = WorkOrderRepository(session, scope).get(order_id)
    if order.status != "open":
        raise refuse(order, "start")
    raise_problems(text_problems("assignee", assignee, 100, required=False))
    before = snapshot(order)
    order.status = "in_progress"
    order.started_at = utcnow()
    if assignee.strip():
        order.assignee = assignee.strip()
    _audit(session, scope, "started", order, before)
    return order


def close(session: Session, scope: Scope, order_id: int, data: CloseIn) -> WorkOrder:
    """Close a started work order with its downtime, parts and what was done."""
    order = WorkOrderRepository(session, scope).get(order_id)
    if order.status != "in_progress":
        raise refuse(order, "close")
    raise_problems(close_problems(data, len(order.checklist)))
    before = snapshot(order)
    order.status = "closed"
    order.closed_at = utcnow()
    order.downtime_minutes = data.downtime_minutes
    order.resolution = data.resolution.strip()
    order.parts = [{"part": p.part.strip(), "qty": p.qty} for p in data.parts]
    done = set(data.done_items)
    order.checklist = [
        {"item": entry["item"], "done": n in done} for n, entry in enumerate(order.checklist)
    ]
    _audit(session, scope, "closed", order, before)
    return order


def cancel(session: Session, scope: Scope, order_id: int, reason: str = "") -> WorkOrder:
    """Cancel an open or started work order; the reason is kept as its resolution."""
    order = WorkOrderRepository(session, scope).get(order_id)
    if order.status not in LIVE:
        raise refuse(order, "cancel")
    raise_problems(text_problems("resolution", reason, 500, required=False))
    before = snapshot(order)
    order.status = "cancelled"
    order.closed_at = utcnow()
    order.resolution = reason.strip()
    _audit(session, scope, "cancelled", order, before)
    return order


def delete(session: Session, scope: Scope, order_id: int) -> None:
    """Delete an open or cancelled work order; closed ones are the machine's history."""
    repo = WorkOrderRepository(session, scope)
    order = repo.get(order_id)
    if order.status == "closed":
        raise Conflict(
            "work order %(number)s is closed: it is the machine's history and stays",
            field="status",
            params={"number": order.number},
        )
    if order.status == "in_progress":
        raise refuse(order, "delete")
    before = snapshot(order)
    repo.delete(order)
    record_scoped(
        session, scope, "equipment.work_order.deleted", "work_order", order_id, before=before
    )


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    status: str = "",
    kind: str = "",
    machine_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[WorkOrder]:
    """Return one page of work orders, live ones first, by priority then age."""
    repo = WorkOrderRepository(session, scope)
    stmt = repo.select()
    term = q.strip()
    if term:
        like = f"%{term}%"
        machines = select(Machine.id).where(
            Machine.org_id == scope.org_id, Machine.code.ilike(like)
        )
        stmt = stmt.where(
            or_(
                WorkOrder.number.ilike(like),
                WorkOrder.fault.ilike(like),
                WorkOrder.assignee.ilike(like),
                WorkOrder.machine_id.in_(machines),
            )
        )
    if status == "live":
        stmt = stmt.where(WorkOrder.status.in_(LIVE))
    elif status:
        stmt = stmt.where(WorkOrder.status == status)
    if kind:
        stmt = stmt.where(WorkOrder.kind == kind)
    if machine_id is not None:
        stmt = stmt.where(WorkOrder.machine_id == machine_id)
    stmt = stmt.order_by(*ordering())
    return repo.page(stmt, offset=offset, limit=limit)


def ordering() -> tuple[Any, ...]:
    """Return the list order: live orders first, urgent first, then the newest."""
    live = case((WorkOrder.status.in_(LIVE), 0), else_=1)
    urgency = case({p: n for n, p in enumerate(reversed(PRIORITIES))}, value=WorkOrder.priority)
    return (live, urgency, WorkOrder.opened_at.desc(), WorkOrder.id.desc())


def live_count(session: Session, scope: Scope) -> int:
    """Return how many work orders are open or in progress."""
    return (
        session.scalar(
            select(func.count())
            .select_from(WorkOrder)
            .where(WorkOrder.org_id == scope.org_id, WorkOrder.status.in_(LIVE))
        )
        or 0
    )
