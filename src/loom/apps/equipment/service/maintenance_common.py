"""Shared pieces of maintenance: repositories, the factory's day, machine lookups, checklists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import (
    InspectionRound,
    InspectionTemplate,
    MaintenancePlan,
    WorkOrder,
)
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem, list_problems
from loom.modules.masterdata.service.machines import MachineRepository
from loom.modules.shopfloor.engine.figures import local_today

#: a checklist longer than this is a pasted document, not a checklist
MAX_ITEMS = 40
ITEM_LENGTH = 100
#: ids the INTEGER columns can hold
MAX_ID = 2_147_483_647


class PlanRepository(TenantRepository[MaintenancePlan]):
    """The scope's enterprise's preventive maintenance plans."""

    model = MaintenancePlan


class WorkOrderRepository(TenantRepository[WorkOrder]):
    """The scope's enterprise's maintenance work orders."""

    model = WorkOrder


class TemplateRepository(TenantRepository[InspectionTemplate]):
    """The scope's enterprise's spot-inspection checklists."""

    model = InspectionTemplate


class RoundRepository(TenantRepository[InspectionRound]):
    """The scope's enterprise's recorded spot-inspection rounds."""

    model = InspectionRound


def factory_today() -> date:
    """Return the factory's calendar day now: due dates turn at Beijing midnight."""
    return local_today(utcnow())


def local_day(moment: datetime) -> date:
    """Return the factory's calendar day of an instant."""
    return local_today(moment)


def machine_or_none(session: Session, scope: Scope, machine_id: int | None) -> Machine | None:
    """Return the scope's machine of ``machine_id``, or None (also for another tenant's)."""
    if machine_id is None or not 0 < machine_id <= MAX_ID:
        return None
    stmt = MachineRepository(session, scope).select().where(Machine.id == machine_id)
    return session.scalars(stmt).first()


def machines_by_id(session: Session, scope: Scope, ids: Iterable[int]) -> dict[int, Machine]:
    """Return the scope's machines of ``ids`` by id."""
    wanted = sorted({i for i in ids if 0 < i <= MAX_ID})
    found: dict[int, Machine] = {}
    # chunks keep the IN list within every database's parameter limit
    for start in range(0, len(wanted), 500):
        stmt = MachineRepository(session, scope).select()
        stmt = stmt.where(Machine.id.in_(wanted[start : start + 500]))
        found.update((m.id, m) for m in session.scalars(stmt))
    return found


def active_machines(session: Session, scope: Scope) -> list[Machine]:
    """Return the scope's machines in service, by asset code."""
    stmt = MachineRepository(session, scope).select().where(Machine.active.is_(True))
    return list(session.scalars(stmt.order_by(Machine.code, Machine.id)))


def checklist_problems(field: str, items: Sequence[str], *, required: bool) -> list[FieldProblem]:
    """Return the problems of a checklist: empty when required, blank, long or repeated items."""
    if required and not [item for item in items if item.strip()]:
        return [FieldProblem(field, "list at least one item")]
    if len(items) > MAX_ITEMS:
        return [FieldProblem(field, "at most %(n)s entries", {"n": MAX_ITEMS})]
    return list_problems(field, items, ITEM_LENGTH)


def clean_items(items: Sequence[str]) -> list[str]:
    """Return a checklist's items stripped, in order."""
    return [item.strip() for item in items]
