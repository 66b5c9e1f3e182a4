"""What the equipment app proves for the national assessment: scene S08 设备管理.

The scene's levels (rules 2024-manufacturing.v1, S08): 1 — spot inspections by hand and a
machine ledger kept with IT tools; 2 — maintenance plans made with an information system,
spot inspections and servicing done through it; 3 — key running data collected in real time
with fault analysis, and OEE computed from it; 4 — models and a fault knowledge base.

The provider suggests level 1 when the ledger holds machines, level 2 when, in the last 90
days, active plans exist, preventive work orders were closed and spot inspections recorded,
and level 3 when level 2 holds and machines also sent telemetry (OEE is computed from it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import InspectionRound, MaintenancePlan, WorkOrder
from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.apps.equipment.service.maintenance_common import factory_today, local_day
from loom.apps.equipment.service.oee import oee_by_line
from loom.kernel.db.base import utcnow
from loom.kernel.plugins.spec import Evidence
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine

SCENE = "S08"
WINDOW_DAYS = 90
#: the OEE quoted next to the scene: the lines' figures over the last week
OEE_DAYS = 7


@dataclass(frozen=True)
class Figures:
    """The counts behind the evidence, over the last ``WINDOW_DAYS`` days."""

    machines: int
    plans: int
    preventive_closed: int
    on_time: int
    inspected_machines: int
    rounds: int
    telemetry_machines: int
    # (line code, OEE 0..1) over the last OEE_DAYS days, lines with a known OEE only
    line_oee: tuple[tuple[str, float], ...] = ()

    @property
    def on_time_pct(self) -> int | None:
        """Return the share of preventive orders closed by their due day, in whole percent."""
        if not self.preventive_closed:
            return None
        return round(100 * self.on_time / self.preventive_closed)

    @property
    def coverage_pct(self) -> int | None:
        """Return the share of machines in service inspected at least once, in whole percent."""
        if not self.machines:
            return None
        return round(100 * self.inspected_machines / self.machines)


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(stmt) or 0)


def figures(session: Session, scope: Scope) -> Figures:
    """Return the enterprise's maintenance and telemetry counts of the last 90 days."""
    org = scope.org_id
    today = factory_today()
    since_day = today - timedelta(days=WINDOW_DAYS)
    since = utcnow() - timedelta(days=WINDOW_DAYS)
    machines = _count(
        session,
        select(func.count())
        .select_from(Machine)
        .where(Machine.org_id == org, Machine.active.is_(True)),
    )
    plans = _count(
        session,
        select(func.count())
        .select_from(MaintenancePlan)
        .where(MaintenancePlan.org_id == org, MaintenancePlan.active.is_(True)),
    )
    closed = session.execute(
        select(WorkOrder.closed_at, WorkOrder.due_on).where(
            WorkOrder.org_id == org,
            WorkOrder.kind == "preventive",
            WorkOrder.status == "closed",
            WorkOrder.closed_at >= since,
        )
    ).all()
    on_time = sum(
        1
        for closed_at, due_on in closed
        if closed_at is not None and (due_on is None or local_day(closed_at) <= due_on)
    )
    rounds_where = (InspectionRound.org_id == org, InspectionRound.day >= since_day)
    rounds = _count(session, select(func.count()).select_from(InspectionRound).where(*rounds_where))
    inspected = _count(
        session,
        select(func.count(distinct(InspectionRound.machine_id)))
        .join(Machine, (Machine.id == InspectionRound.machine_id) & (Machine.org_id == org))
        .where(*rounds_where, Machine.active.is_(True)),
    )
    telemetry = _count(
        session,
        select(func.count(distinct(TelemetryRecord.machine_id))).where(
            TelemetryRecord.org_id == org, TelemetryRecord.ts >= since
        ),
    )
    line_oee: tuple[tuple[str, float], ...] = ()
    if telemetry:
        lines = oee_by_line(
            session, scope, day_from=today - timedelta(days=OEE_DAYS - 1), day_to=today
        )
        line_oee = tuple(
            (row.code, row.figures.oee) for row in lines if row.figures.oee is not None
        )
    return Figures(
        line_oee=line_oee,
        machines=machines,
        plans=plans,
        preventive_closed=len(closed),
        on_time=on_time,
        inspected_machines=inspected,
        rounds=rounds,
        telemetry_machines=telemetry,
    )


def suggested_level(f: Figures) -> int | None:
    """Return the level the figures support (None: nothing to show)."""
    if not f.machines:
        return None
    managed = f.plans > 0 and f.preventive_closed > 0 and f.rounds > 0
    if managed and f.telemetry_machines > 0:
        return 3
    return 2 if managed else 1


def summary(f: Figures) -> str:
    """Return the sentence shown next to the scene in the questionnaire."""
    parts = [f"Machine ledger of {f.machines} machines in service"]
    if f.plans:
        on_time = f" ({f.on_time_pct}% on time)" if f.on_time_pct is not None else ""
        parts.append(
            f"{f.plans} preventive maintenance plans, {f.preventive_closed} preventive work "
            f"orders closed{on_time}"
        )
    if f.rounds:
        parts.append(
            f"spot inspections on {f.inspected_machines} of {f.machines} machines "
            f"({f.coverage_pct}%, {f.rounds} rounds)"
        )
    if f.telemetry_machines:
        oee = ", ".join(f"{code} {value:.0%}" for code, value in f.line_oee)
        last_week = f" (last {OEE_DAYS} days: {oee})" if oee else ""
        parts.append(f"OEE from the telemetry of {f.telemetry_machines} machines{last_week}")
    return "; ".join(parts) + f" — last {WINDOW_DAYS} days"


def equipment_evidence(session: Session, scope: Scope) -> Sequence[Evidence]:
    """Return evidence for scene S08 (设备管理) from the ledger, maintenance and telemetry."""
    found = figures(session, scope)
    level = suggested_level(found)
    if level is None:
        return []
    details = {
        "machines": found.machines,
        "plans": found.plans,
        "preventive_closed": found.preventive_closed,
        "on_time_pct": found.on_time_pct,
        "inspected_machines": found.inspected_machines,
        "inspection_coverage_pct": found.coverage_pct,
        "rounds": found.rounds,
        "telemetry_machines": found.telemetry_machines,
        "line_oee": {code: round(value, 4) for code, value in found.line_oee},
        "window_days": WINDOW_DAYS,
    }
    return [Evidence(item_id=SCENE, summary=summary(found), suggested_level=level, details=details)]
