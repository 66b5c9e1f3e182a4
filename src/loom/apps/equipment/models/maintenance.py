"""Tables of the equipment app's maintenance: preventive plans, work orders and spot inspections.

Machines are master data's ledger (``masterdata_machine``); every row here points at one with
``(machine_id, org_id)``, so nothing can reach another enterprise's machine. A plan covers one
machine or every machine of a type. When a plan falls due is computed when read, from the last
preventive work order closed for it, so a changed interval shows at once and nothing is stored
twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped, utcnow

#: how urgent a work order is, least urgent first
PRIORITIES = ("low", "normal", "high", "urgent")
#: why a work order exists: a plan fell due, a machine broke, or a spot inspection found a fault
ORDER_KINDS = ("preventive", "breakdown", "inspection")
#: a work order's life: open → in progress → closed; open or in progress → cancelled
ORDER_STATUSES = ("open", "in_progress", "closed", "cancelled")
#: how often a checklist is walked: once a day, or once per shift
FREQUENCIES = ("daily", "shift")
#: the shifts of a per-shift round; a daily round has the shift ""
SHIFTS = ("day", "night")


class MaintenancePlan(Timestamped, TenantOwned, Base):
    """A preventive plan for one machine or every machine of a type: every N days or N hours."""

    __tablename__ = "equipment_maintenance_plan"
    __table_args__ = (
        ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
        # exactly one target: a machine, or a machine type
        CheckConstraint("(machine_id IS NULL) <> (machine_type IS NULL)", name="one_target"),
        # exactly one interval: calendar days, or running hours from telemetry
        CheckConstraint("(interval_days IS NULL) <> (interval_hours IS NULL)", name="one_interval"),
        CheckConstraint("interval_days IS NULL OR interval_days BETWEEN 1 AND 3660", name="days"),
        CheckConstraint(
            "interval_hours IS NULL OR interval_hours BETWEEN 1 AND 100000", name="hours"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    machine_id: Mapped[int | None] = mapped_column(index=True, default=None)
    machine_type: Mapped[str | None] = mapped_column(String(20), default=None)
    interval_days: Mapped[int | None] = mapped_column(default=None)
    interval_hours: Mapped[int | None] = mapped_column(default=None)
    # the day the first service falls due when nothing was done yet under the plan
    starts_on: Mapped[date] = mapped_column()
    # what the mechanic does, in order: a list of short texts
    checklist: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class InspectionTemplate(Timestamped, TenantOwned, Base):
    """The spot-inspection (点巡检) checklist of one machine type, walked daily or per shift."""

    __tablename__ = "equipment_inspection_template"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "machine_type"),
        CheckConstraint("frequency IN ('daily', 'shift')", name="frequency_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    machine_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    frequency: Mapped[str] = mapped_column(String(10), default="daily")
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)


class InspectionRound(TenantOwned, Base):
    """One walk of a checklist at one machine: OK or abnormal per item, with a note."""

    __tablename__ = "equipment_inspection_round"
    __table_args__ = (
        ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
        ),
        ForeignKeyConstraint(
            ["template_id", "org_id"],
            ["equipment_inspection_template.id", "equipment_inspection_template.org_id"],
        ),
        UniqueConstraint("id", "org_id"),
        # one round per machine and day (daily checklists) or per machine, day and shift
        UniqueConstraint("org_id", "machine_id", "day", "shift"),
        CheckConstraint("abnormal >= 0", name="abnormal_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(index=True)
    machine_id: Mapped[int] = mapped_column(index=True)
    day: Mapped[date] = mapped_column()
    shift: Mapped[str] = mapped_column(String(10), default="")
    inspector: Mapped[str] = mapped_column(String(100))
    # [{"item": text, "ok": bool, "note": text}] in the checklist's order, as walked
    results: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # how many items were abnormal: the lists and the evidence count them without reading JSON
    abnormal: Mapped[int] = mapped_column(default=0)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkOrder(Timestamped, TenantOwned, Base):
    """A maintenance job on one machine: preventive, after a breakdown, or from an inspection."""

    __tablename__ = "equipment_work_order"
    __table_args__ = (
        ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
        ),
        ForeignKeyConstraint(
            ["plan_id", "org_id"],
            ["equipment_maintenance_plan.id", "equipment_maintenance_plan.org_id"],
        ),
        ForeignKeyConstraint(
            ["round_id", "org_id"],
            ["equipment_inspection_round.id", "equipment_inspection_round.org_id"],
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "number"),
        # one work order per abnormal item of a round (NULLs are distinct: other kinds pass)
        UniqueConstraint("org_id", "round_id", "round_item"),
        CheckConstraint("kind IN ('preventive', 'breakdown', 'inspection')", name="kind_known"),
        CheckConstraint(
            "status IN ('open', 'in_progress', 'closed', 'cancelled')", name="status_known"
        ),
        CheckConstraint("downtime_minutes >= 0", name="downtime_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # WO-YYYYMMDD-NNN: readable on a paper job card
    number: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    machine_id: Mapped[int] = mapped_column(index=True)
    plan_id: Mapped[int | None] = mapped_column(index=True, default=None)
    round_id: Mapped[int | None] = mapped_column(index=True, default=None)
    # which checklist item of the round (0-based) the order is about
    round_item: Mapped[int | None] = mapped_column(default=None)
    fault: Mapped[str] = mapped_column(String(200), default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    assignee: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    # a preventive order's due day (the plan's); none for breakdowns
    due_on: Mapped[date | None] = mapped_column(default=None)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # [{"part": text, "qty": int}]
    parts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    downtime_minutes: Mapped[int] = mapped_column(default=0)
    # [{"item": text, "done": bool}] copied from the plan when the order was opened
    checklist: Mapped[list[Any]] = mapped_column(JSON, default=list)
    resolution: Mapped[str] = mapped_column(String(500), default="")


__all__ = [
    "FREQUENCIES",
    "ORDER_KINDS",
    "ORDER_STATUSES",
    "PRIORITIES",
    "SHIFTS",
    "InspectionRound",
    "InspectionTemplate",
    "MaintenancePlan",
    "WorkOrder",
]
