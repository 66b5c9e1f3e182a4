"""What preventive maintenance is due: every active plan at every machine it covers.

A calendar plan falls due on its start day, then N days after the day its last preventive
work order was closed. A running-hours plan falls due when the machine has run N hours
(from telemetry) since then; it is "due" from 90 % of the hours on, like a calendar plan is
from a week before its day, so the mechanic can plan the job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.equipment.engine.timeline import (
    DEFAULT_MAX_SILENCE,
    RUNNING,
    StateReport,
    reported_spans,
    resolve,
)
from loom.apps.equipment.models.maintenance import MaintenancePlan, WorkOrder
from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.apps.equipment.service import maintenance_orders as orders
from loom.apps.equipment.service.maintenance_common import (
    PlanRepository,
    active_machines,
    local_day,
    machine_or_none,
)
from loom.apps.equipment.service.maintenance_plans import (
    covers,
    last_closed,
    next_due,
    open_preventive,
)
from loom.kernel.db.base import utcnow
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine
from loom.modules.shopfloor.engine.events import LOCAL_TZ

#: a calendar plan is "due" this many days before its day
DUE_SOON = timedelta(days=7)
#: a running-hours plan is "due" from this share of its hours
DUE_SHARE = 0.9
#: where the item stands: overdue, due (soon), or planned (later)
STATUSES = ("overdue", "due", "planned")


@dataclass(frozen=True)
class DueItem:
    """One plan at one machine: when it was last served and when it falls due."""

    plan: MaintenancePlan
    machine: Machine
    last_done: date | None
    due_on: date | None
    hours_run: float | None
    status: str
    open_order: WorkOrder | None
    # days until the due day (negative: overdue); None for running-hours plans
    days_left: int | None


def running_hours(session: Session, scope: Scope, machine_id: int, since: datetime) -> float:
    """Return the hours the machine ran since ``since``, by its telemetry state reports."""
    now = utcnow()
    if since >= now:
        return 0.0
    # the last report before ``since`` carries into the window for at most the silence limit
    stmt = select(TelemetryRecord.ts, TelemetryRecord.kind, TelemetryRecord.state).where(
        TelemetryRecord.org_id == scope.org_id,
        TelemetryRecord.machine_id == machine_id,
        TelemetryRecord.ts >= since - DEFAULT_MAX_SILENCE,
        TelemetryRecord.ts <= now,
    )
    reports: list[StateReport] = []
    life: list[datetime] = []
    for ts, kind, state in session.execute(stmt):
        if kind == "state" and state:
            reports.append(StateReport(ts, state))
        else:
            life.append(ts)
    segments = resolve(since, now, reported_spans(reports, life))
    return sum(s.seconds for s in segments if s.state == RUNNING) / 3600


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), LOCAL_TZ)


def judge(plan: MaintenancePlan, due_on: date | None, hours: float | None, today: date) -> str:
    """Return where a plan stands at a machine: overdue, due or planned."""
    if due_on is not None:
        if due_on < today:
            return "overdue"
        return "due" if due_on - today <= DUE_SOON else "planned"
    limit = plan.interval_hours or 0
    if hours is not None and limit and hours >= limit:
        return "overdue"
    if hours is not None and limit and hours >= DUE_SHARE * limit:
        return "due"
    return "planned"


def due_items(
    session: Session, scope: Scope, today: date, *, statuses: Sequence[str] = STATUSES
) -> list[DueItem]:
    """Return every active plan at every machine it covers, most urgent first."""
    plans = list(
        session.scalars(
            PlanRepository(session, scope)
            .select()
            .where(MaintenancePlan.active.is_(True))
            .order_by(MaintenancePlan.code)
        )
    )
    if not plans:
        return []
    machines = active_machines(session, scope)
    done = last_closed(session, scope)
    opened = open_preventive(session, scope)
    items: list[DueItem] = []
    for plan in plans:
        for machine in machines:
            if not covers(plan, machine):
                continue
            last = done.get((plan.id, machine.id))
            last_at = last.closed_at if last is not None else None
            last_day = local_day(last_at) if last_at is not None else None
            due_on = next_due(plan, last_day)
            hours = None
            if plan.interval_hours is not None:
                since = last_at if last_at is not None else _start_of(plan.starts_on)
                hours = running_hours(session, scope, machine.id, since)
            status = judge(plan, due_on, hours, today)
            if status in statuses:
                items.append(
                    DueItem(
                        plan=plan,
                        machine=machine,
                        last_done=last_day,
                        due_on=due_on,
                        hours_run=hours,
                        status=status,
                        open_order=opened.get((plan.id, machine.id)),
                        days_left=(due_on - today).days if due_on is not None else None,
                    )
                )
    rank = {status: n for n, status in enumerate(STATUSES)}
    items.sort(key=lambda i: (rank[i.status], i.due_on or date.max, i.plan.code, i.machine.code))
    return items


def due_count(session: Session, scope: Scope, today: date) -> int:
    """Return how many plan-machine pairs are due or overdue with no work order under way."""
    items = due_items(session, scope, today, statuses=("overdue", "due"))
    return sum(1 for item in items if item.open_order is None)


def open_from_plan(
    session: Session, scope: Scope, plan_id: int, machine_id: int, today: date
) -> WorkOrder:
    """Open the preventive work order of a plan at a machine, with the plan's checklist."""
    plan = PlanRepository(session, scope).get(plan_id)
    machine = machine_or_none(session, scope, machine_id)
    if machine is None:
        raise NotFound("machine %(id)s not found", params={"id": machine_id})
    if not plan.active:
        raise Conflict(
            "plan %(code)s is inactive: activate it first", field="plan", params={"code": plan.code}
        )
    if not covers(plan, machine):
        raise ValidationFailed(
            "machine_id: plan %(code)s does not cover machine %(machine)s",
            field="machine_id",
            params={"code": plan.code, "machine": machine.code},
        )
    running = open_preventive(session, scope).get((plan.id, machine.id))
    if running is not None:
        raise Conflict(
            "work order %(number)s is already open for this plan and machine",
            field="plan",
            params={"number": running.number},
        )
    last = last_closed(session, scope).get((plan.id, machine.id))
    due_on = next_due(plan, local_day(last.closed_at) if last and last.closed_at else None)
    order = WorkOrder(
        kind="preventive",
        machine_id=machine.id,
        plan_id=plan.id,
        fault=plan.name,
        priority="high" if due_on is not None and due_on < today else "normal",
        assignee="",
        due_on=due_on,
        checklist=[{"item": item, "done": False} for item in plan.checklist],
        parts=[],
        downtime_minutes=0,
        resolution="",
    )
    return orders.add(session, scope, order)


def open_all_due(session: Session, scope: Scope, today: date) -> list[WorkOrder]:
    """Open a work order for every due or overdue plan-machine pair that has none."""
    return [
        open_from_plan(session, scope, item.plan.id, item.machine.id, today)
        for item in due_items(session, scope, today, statuses=("overdue", "due"))
        if item.open_order is None
    ]
