"""Spot-inspection (点巡检) checklists: one per machine type, walked daily or every shift."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import (
    FREQUENCIES,
    InspectionRound,
    InspectionTemplate,
)
from loom.apps.equipment.service.maintenance_common import (
    TemplateRepository,
    checklist_problems,
    clean_items,
)
from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.operations import MACHINE_TYPES


@dataclass(frozen=True)
class TemplateIn:
    """A checklist as a user enters it: the machine type, a name, how often, the items."""

    machine_type: str
    name: str
    frequency: str = "daily"
    items: list[str] = field(default_factory=list)


def template_problems(data: TemplateIn) -> list[FieldProblem]:
    """Return every bad field of a checklist."""
    found = [
        *text_problems("name", data.name, 100, required=True),
        *checklist_problems("items", data.items, required=True),
    ]
    if data.machine_type not in MACHINE_TYPES:
        found.append(
            FieldProblem("machine_type", "one of %(kinds)s", {"kinds": ", ".join(MACHINE_TYPES)})
        )
    if data.frequency not in FREQUENCIES:
        found.append(
            FieldProblem("frequency", "one of %(kinds)s", {"kinds": ", ".join(FREQUENCIES)})
        )
    return found


def template_snapshot(row: InspectionTemplate) -> dict[str, Any]:
    """Return a checklist's fields as the audit trail records them."""
    return {
        "machine_type": row.machine_type,
        "name": row.name,
        "frequency": row.frequency,
        "items": list(row.items),
    }


def _check_type_free(session: Session, scope: Scope, kind: str, own_id: int | None) -> None:
    stmt = (
        TemplateRepository(session, scope).select().where(InspectionTemplate.machine_type == kind)
    )
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(
            "machine_type: this machine type has a checklist already",
            field="machine_type",
        )


def _fill_template(row: InspectionTemplate, data: TemplateIn) -> None:
    row.machine_type = data.machine_type
    row.name = data.name.strip()
    row.frequency = data.frequency
    row.items = clean_items([item for item in data.items if item.strip()])


def create_template(session: Session, scope: Scope, data: TemplateIn) -> InspectionTemplate:
    """Add the checklist of a machine type (one per type)."""
    raise_problems(template_problems(data))
    _check_type_free(session, scope, data.machine_type, None)
    row = InspectionTemplate(org_id=scope.org_id)
    _fill_template(row, data)
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "equipment.checklist.created",
        "inspection_checklist",
        row.id,
        after=template_snapshot(row),
    )
    return row


def update_template(
    session: Session, scope: Scope, template_id: int, data: TemplateIn
) -> InspectionTemplate:
    """Replace a checklist; rounds already walked keep the items they were walked with."""
    row = TemplateRepository(session, scope).get(template_id)
    raise_problems(template_problems(data))
    _check_type_free(session, scope, data.machine_type, row.id)
    before = template_snapshot(row)
    _fill_template(row, data)
    after = template_snapshot(row)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "equipment.checklist.updated",
            "inspection_checklist",
            row.id,
            before=before,
            after=after,
        )
    return row


def delete_template(session: Session, scope: Scope, template_id: int) -> None:
    """Delete a checklist no round was walked with."""
    repo = TemplateRepository(session, scope)
    row = repo.get(template_id)
    used = session.scalar(
        select(func.count())
        .select_from(InspectionRound)
        .where(InspectionRound.org_id == scope.org_id, InspectionRound.template_id == row.id)
    )
    if used:
        raise Conflict(
            "%(n)s rounds were walked with this checklist: it cannot be deleted",
            field="checklist",
            params={"n": used},
        )
    before = template_snapshot(row)
    repo.delete(row)
    record_scoped(
        session,
        scope,
        "equipment.checklist.deleted",
        "inspection_checklist",
        template_id,
        before=before,
    )


def template_for(session: Session, scope: Scope, machine_type: str) -> InspectionTemplate | None:
    """Return the checklist of a machine type, if there is one."""
    stmt = TemplateRepository(session, scope).select()
    return session.scalars(stmt.where(InspectionTemplate.machine_type == machine_type)).first()


def templates(session: Session, scope: Scope) -> list[InspectionTemplate]:
    """Return every checklist of the enterprise by machine type."""
    stmt = TemplateRepository(session, scope).select().order_by(InspectionTemplate.machine_type)
    return list(session.scalars(stmt))
