"""How a published line plan reads on a page: codes and names next to the stored ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.db.repository import MAX_ID
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import LinePlan, Operation, Operator, ProductionLine, Style


def get_owned(session: Session, model: type[Any], org_id: int, object_id: int) -> Any:
    """Return the organisation's row of ``model`` with that id, or None."""
    if not 0 < object_id <= MAX_ID:
        return None
    return session.scalars(
        select(model).where(model.id == object_id, model.org_id == org_id)
    ).first()


@dataclass(frozen=True)
class PlanTaskView:
    """One task of a plan with the codes and names to show (blank for a deleted record)."""

    station_seq: int
    operator_id: int
    operator_code: str
    operator_name: str
    operation_id: int
    operation_code: str
    operation_name: str
    parts: int


@dataclass(frozen=True)
class PlanStationView:
    """One station of a plan: its operator and the operations they sew."""

    station_seq: int
    operator_id: int
    operator_code: str
    operator_name: str
    tasks: tuple[PlanTaskView, ...]


@dataclass(frozen=True)
class LinePlanView:
    """A line's published plan with everything a page or a dashboard shows about it."""

    id: int
    line_id: int
    line_code: str
    style_id: int
    style_code: str
    style_name: str
    version: int
    source: str
    cycle_time_e4: int | None
    published_at: datetime
    published_by: str
    stations: tuple[PlanStationView, ...]

    @property
    def planned_per_hour(self) -> float | None:
        """Return the pieces per hour the plan's cycle time allows (600,000 / cycle_time_e4)."""
        if not self.cycle_time_e4:
            return None
        return 600_000 / self.cycle_time_e4

    @property
    def tasks(self) -> tuple[PlanTaskView, ...]:
        """Return every task of the plan in line order."""
        return tuple(task for station in self.stations for task in station.tasks)


def describe(session: Session, scope: Scope, plan: LinePlan) -> LinePlanView:
    """Return a stored plan with the codes and names of its line, style, operators, operations."""
    org = scope.org_id
    line: ProductionLine | None = get_owned(session, ProductionLine, org, plan.line_id)
    style: Style | None = get_owned(session, Style, org, plan.style_id)
    operator_ids = {t["operator_id"] for t in plan.tasks}
    operation_ids = {t["operation_id"] for t in plan.tasks}
    operators = {
        o.id: o
        for o in session.scalars(
            select(Operator).where(Operator.org_id == org, Operator.id.in_(operator_ids))
        )
    }
    operations = {
        o.id: o
        for o in session.scalars(
            select(Operation).where(Operation.org_id == org, Operation.id.in_(operation_ids))
        )
    }
    stations: dict[int, list[PlanTaskView]] = {}
    for task in plan.tasks:
        operator = operators.get(task["operator_id"])
        operation = operations.get(task["operation_id"])
        stations.setdefault(task["station_seq"], []).append(
            PlanTaskView(
                station_seq=task["station_seq"],
                operator_id=task["operator_id"],
                operator_code=operator.code if operator else "",
                operator_name=operator.name if operator else "",
                operation_id=task["operation_id"],
                operation_code=operation.code if operation else "",
                operation_name=operation.name if operation else "",
                parts=task["parts"],
            )
        )
    return LinePlanView(
        id=plan.id,
        line_id=plan.line_id,
        line_code=line.code if line else "",
        style_id=plan.style_id,
        style_code=style.code if style else "",
        style_name=style.name if style else "",
        version=plan.version,
        source=plan.source,
        cycle_time_e4=plan.cycle_time_e4,
        published_at=plan.published_at,
        published_by=plan.published_by,
        stations=tuple(
            PlanStationView(
                station_seq=seq,
                operator_id=tasks[0].operator_id,
                operator_code=tasks[0].operator_code,
                operator_name=tasks[0].operator_name,
                tasks=tuple(tasks),
            )
            for seq, tasks in sorted(stations.items())
        ),
    )
