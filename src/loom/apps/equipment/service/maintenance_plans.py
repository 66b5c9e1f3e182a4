"""Preventive maintenance plans: every N days or N running hours, for a machine or a type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import MaintenancePlan, WorkOrder
from loom.apps.equipment.service.maintenance_common import (
    PlanRepository,
    WorkOrderRepository,
    checklist_problems,
    clean_items,
    machine_or_none,
)
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.operations import MACHINE_TYPES

MAX_DAYS = 3660  # ten years: a longer interval is a typo
MAX_HOURS = 100_000


@dataclass(frozen=True)
class PlanIn:
    """A plan as a user enters it: one target (machine or type) and one interval."""

    code: str
    name: str
    starts_on: date
    machine_id: int | None = None
    machine_type: str | None = None
    interval_days: int | None = None
    interval_hours: int | None = None
    checklist: list[str] = field(default_factory=list)
    active: bool = True


def plan_problems(data: PlanIn, machine_known: bool) -> list[FieldProblem]:
    """Return every bad field of a plan, given whether its machine is in the ledger."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("name", data.name, 100, required=True),
        *checklist_problems("checklist", data.checklist, required=True),
    ]
    if data.machine_id is None and not data.machine_type:
        found.append(FieldProblem("machine_id", "choose a machine or a machine type"))
    elif data.machine_id is not None and data.machine_type:
        found.append(FieldProblem("machine_type", "a machine or a machine type, not both"))
    elif data.machine_id is not None and not machine_known:
        found.append(FieldProblem("machine_id", "no such machine"))
    elif data.machine_type and data.machine_type not in MACHINE_TYPES:
        found.append(
            FieldProblem("machine_type", "one of %(kinds)s", {"kinds": ", ".join(MACHINE_TYPES)})
        )
    if data.interval_days is None and data.interval_hours is None:
        found.append(FieldProblem("interval_days", "give an interval in days or in running hours"))
    elif data.interval_days is not None and data.interval_hours is not None:
        found.append(FieldProblem("interval_hours", "days or running hours, not both"))
    elif data.interval_days is not None and not 1 <= data.interval_days <= MAX_DAYS:
        found.append(
            FieldProblem("interval_days", "a whole number from 1 to %(max)s", {"max": MAX_DAYS})
        )
    elif data.interval_hours is not None and not 1 <= data.interval_hours <= MAX_HOURS:
        found.append(
            FieldProblem("interval_hours", "a whole number from 1 to %(max)s", {"max": MAX_HOURS})
        )
    return found


def snapshot(plan: MaintenancePlan) -> dict[str, Any]:
    """Return a plan's fields as the audit trail records them."""
    return {
        "code": plan.code,
        "name": plan.name,
        "machine_id": plan.machine_id,
        "machine_type": plan.machine_type,
        "interval_days": plan.interval_days,
        "interval_hours": plan.interval_hours,
        "starts_on": plan.starts_on.isoformat(),
        "checklist": list(plan.checklist),
        "active": plan.active,
    }


def validate(session: Session, scope: Scope, data: PlanIn) -> None:
    """Raise a 422 naming every bad field of the plan."""
    known = machine_or_none(session, scope, data.machine_id) is not None
    raise_problems(plan_problems(data, known))


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = PlanRepository(session, scope).select().where(MaintenancePlan.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict("code: plan %(code)s exists already", field="code", params={"code": code})


def _fill(plan: MaintenancePlan, data: PlanIn) -> None:
    plan.code = data.code.strip()
    plan.name = data.name.strip()
    plan.machine_id = data.machine_id
    plan.machine_type = data.machine_type or None
    plan.interval_days = data.interval_days
    plan.interval_hours = data.interval_hours
    plan.starts_on = data.starts_on
    plan.checklist = clean_items([item for item in data.checklist if item.strip()])
    plan.active = data.active


def create(session: Session, scope: Scope, data: PlanIn) -> MaintenancePlan:
    """Add a plan; its code must be new in the enterprise."""
    validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), None)
    plan = MaintenancePlan(org_id=scope.org_id)
    _fill(plan, data)
    session.add(plan)
    session.flush()
    record_scoped(
        session, scope, "equipment.plan.created", "maintenance_plan", plan.id, after=snapshot(plan)
    )
    return plan


def update(session: Session, scope: Scope, plan_id: int, data: PlanIn) -> MaintenancePlan:
    """Replace a plan's fields; another enterprise's plan answers 404."""
    plan = PlanRepository(session, scope).get(plan_id)
    validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), plan.id)
    before = snapshot(plan)
    _fill(plan, data)
    after = snapshot(plan)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "equipment.plan.updated",
            "maintenance_plan",
            plan.id,
            before=before,
            after=after,
        )
    return plan


def delete(session: Session, scope: Scope, plan_id: int) -> None:
    """Delete a plan that no work order was opened from (else: deactivate it)."""
    repo = PlanRepository(session, scope)
    plan = repo.get(plan_id)
    used = session.scalar(
        select(func.count())
        .select_from(WorkOrder)
        .where(WorkOrder.org_id == scope.org_id, WorkOrder.plan_id == plan.id)
    )
    if used:
        raise Conflict(
            "plan %(code)s has %(n)s work orders: deactivate it instead of deleting it",
            field="plan",
            params={"code": plan.code, "n": used},
        )
    before = snapshot(plan)
    repo.delete(plan)
    record_scoped(
        session, scope, "equipment.plan.deleted", "maintenance_plan", plan_id, before=before
    )


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[MaintenancePlan]:
    """Return one page of plans by code, searched in code, name and machine type."""
    repo = PlanRepository(session, scope)
    stmt = repo.select().order_by(MaintenancePlan.code, MaintenancePlan.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        machines = select(Machine.id).where(
            Machine.org_id == scope.org_id, Machine.code.ilike(like)
        )
        stmt = stmt.where(
            or_(
                MaintenancePlan.code.ilike(like),
                MaintenancePlan.name.ilike(like),
                MaintenancePlan.machine_type.ilike(like),
                MaintenancePlan.machine_id.in_(machines),
            )
        )
    if active is not None:
        stmt = stmt.where(MaintenancePlan.active.is_(active))
    return repo.page(stmt, offset=offset, limit=limit)


def covers(plan: MaintenancePlan, machine: Machine) -> bool:
    """Return whether the plan applies to the machine."""
    if plan.machine_id is not None:
        return plan.machine_id == machine.id
    return plan.machine_type == machine.machine_type


def last_closed(session: Session, scope: Scope) -> dict[tuple[int, int], WorkOrder]:
    """Return the latest closed preventive work order of every (plan, machine)."""
    stmt = (
        WorkOrderRepository(session, scope)
        .select()
        .where(WorkOrder.kind == "preventive", WorkOrder.status == "closed")
        .order_by(WorkOrder.closed_at, WorkOrder.id)
    )
    found: dict[tuple[int, int], WorkOrder] = {}
    for order in session.scalars(stmt):
        if order.plan_id is not None:
            found[(order.plan_id, order.machine_id)] = order
    return found


def open_preventive(session: Session, scope: Scope) -> dict[tuple[int, int], WorkOrder]:
    """Return the open or started preventive work order of every (plan, machine)."""
    stmt = (
        WorkOrderRepository(session, scope)
        .select()
        .where(WorkOrder.kind == "preventive", WorkOrder.status.in_(("open", "in_progress")))
        .order_by(WorkOrder.id)
    )
    return {
        (order.plan_id, order.machine_id): order
        for order in session.scalars(stmt)
        if order.plan_id is not None
    }


def next_due(plan: MaintenancePlan, last_done: date | None) -> date | None:
    """Return when a calendar plan falls due: the start day, then N days after each service."""
    if plan.interval_days is None:
        return None
    if last_done is None:
        return plan.starts_on
    return last_done + timedelta(days=plan.interval_days)
