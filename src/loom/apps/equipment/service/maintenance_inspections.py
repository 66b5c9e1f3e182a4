"""Spot inspections (点巡检): a checklist per machine type and the rounds walked with it.

A round records OK or abnormal for every item of the machine type's checklist, with a note
(required for an abnormal item: the mechanic must know what was seen). An abnormal item can
raise one work order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import (
    PRIORITIES,
    SHIFTS,
    InspectionRound,
    InspectionTemplate,
    WorkOrder,
)
from loom.apps.equipment.service import maintenance_orders as orders
from loom.apps.equipment.service.maintenance_checklists import template_for, templates
from loom.apps.equipment.service.maintenance_common import (
    RoundRepository,
    WorkOrderRepository,
    active_machines,
    machine_or_none,
)
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems


@dataclass(frozen=True)
class Result:
    """One item as walked: OK or abnormal, with a note."""

    ok: bool
    note: str = ""


@dataclass(frozen=True)
class RoundIn:
    """A round as recorded: the machine, the day (and shift), who walked it, the results."""

    machine_id: int | None
    day: date
    inspector: str
    results: list[Result]
    shift: str = ""


def round_problems(
    data: RoundIn, template: InspectionTemplate | None, today: date
) -> list[FieldProblem]:
    """Return every bad field of a round, given the machine's checklist (None: no machine)."""
    found = [*text_problems("inspector", data.inspector, 100, required=True)]
    if data.day > today:
        found.append(
            FieldProblem("day", "cannot be later than today (%(today)s)", {"today": today})
        )
    if template is None:
        return found
    if template.frequency == "shift" and data.shift not in SHIFTS:
        found.append(FieldProblem("shift", "one of %(kinds)s", {"kinds": ", ".join(SHIFTS)}))
    if template.frequency == "daily" and data.shift:
        found.append(FieldProblem("shift", "this checklist is walked once a day"))
    if len(data.results) != len(template.items):
        found.append(
            FieldProblem(
                "results", "one result per checklist item (%(n)s)", {"n": len(template.items)}
            )
        )
    for index, result in enumerate(data.results):
        where = f"results[{index}]"
        if not result.ok and not result.note.strip():
            found.append(FieldProblem(where, "say what is abnormal"))
        found += text_problems(where, result.note, 200, required=False)
    return found


def round_snapshot(row: InspectionRound) -> dict[str, Any]:
    """Return a round's fields as the audit trail records them."""
    return {
        "machine_id": row.machine_id,
        "template_id": row.template_id,
        "day": row.day.isoformat(),
        "shift": row.shift,
        "inspector": row.inspector,
        "results": list(row.results),
        "abnormal": row.abnormal,
    }


def record_round(session: Session, scope: Scope, data: RoundIn, today: date) -> InspectionRound:
    """Record a round at a machine with its type's checklist; one per day (or shift)."""
    machine = machine_or_none(session, scope, data.machine_id)
    template = template_for(session, scope, machine.machine_type) if machine else None
    found = round_problems(data, template, today)
    if machine is None:
        found.insert(0, FieldProblem("machine_id", "no such machine"))
    elif template is None:
        found.insert(0, FieldProblem("machine_id", "no checklist for this machine's type"))
    raise_problems(found)
    assert machine is not None  # checked above
    assert template is not None
    clash = session.scalars(
        RoundRepository(session, scope)
        .select()
        .where(
            InspectionRound.machine_id == machine.id,
            InspectionRound.day == data.day,
            InspectionRound.shift == data.shift,
        )
    ).first()
    if clash is not None:
        raise Conflict(
            "day: machine %(code)s was inspected on %(day)s already",
            field="day",
            params={"code": machine.code, "day": data.day.isoformat()},
        )
    row = InspectionRound(
        org_id=scope.org_id,
        template_id=template.id,
        machine_id=machine.id,
        day=data.day,
        shift=data.shift,
        inspector=data.inspector.strip(),
        results=[
            {"item": item, "ok": r.ok, "note": r.note.strip()}
            for item, r in zip(template.items, data.results, strict=True)
        ],
        abnormal=sum(1 for r in data.results if not r.ok),
        recorded_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "equipment.inspection.recorded",
        "inspection_round",
        row.id,
        after=round_snapshot(row),
    )
    return row


def delete_round(session: Session, scope: Scope, round_id: int) -> None:
    """Delete a round that raised no work order."""
    repo = RoundRepository(session, scope)
    row = repo.get(round_id)
    if raised_orders(session, scope, row.id):
        raise Conflict("this round raised work orders: it cannot be deleted", field="round")
    before = round_snapshot(row)
    repo.delete(row)
    record_scoped(
        session, scope, "equipment.inspection.deleted", "inspection_round", round_id, before=before
    )


def raised_orders(session: Session, scope: Scope, round_id: int) -> dict[int, WorkOrder]:
    """Return the work orders a round raised, by checklist item."""
    stmt = WorkOrderRepository(session, scope).select().where(WorkOrder.round_id == round_id)
    return {o.round_item: o for o in session.scalars(stmt) if o.round_item is not None}


def raise_order(
    session: Session, scope: Scope, round_id: int, item: int, priority: str = "high"
) -> WorkOrder:
    """Open a work order for an abnormal item of a round (once per item)."""
    row = RoundRepository(session, scope).get(round_id)
    if not 0 <= item < len(row.results):
        raise NotFound("no checklist item %(n)s in this round", params={"n": item + 1})
    result = row.results[item]
    if result["ok"]:
        raise ValidationFailed("item: this item was OK: there is nothing to repair", field="item")
    existing = raised_orders(session, scope, row.id).get(item)
    if existing is not None:
        raise Conflict(
            "work order %(number)s was raised for this item already",
            field="item",
            params={"number": existing.number},
        )
    if priority not in PRIORITIES:
        raise ValidationFailed(
            "priority: one of %(kinds)s",
            field="priority",
            params={"kinds": ", ".join(PRIORITIES)},
        )
    fault = f"{result['item']}: {result['note']}"[:200]
    order = WorkOrder(
        kind="inspection",
        machine_id=row.machine_id,
        round_id=row.id,
        round_item=item,
        fault=fault,
        priority=priority,
        assignee="",
        parts=[],
        checklist=[],
        downtime_minutes=0,
        resolution="",
    )
    return orders.add(session, scope, order)


def search_rounds(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    abnormal: bool = False,
    since: date | None = None,
    until: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[InspectionRound]:
    """Return one page of rounds, newest first, searched by machine code or inspector."""
    repo = RoundRepository(session, scope)
    stmt = repo.select()
    term = q.strip()
    if term:
        like = f"%{term}%"
        machines = select(Machine.id).where(
            Machine.org_id == scope.org_id, Machine.code.ilike(like)
        )
        stmt = stmt.where(
            or_(InspectionRound.inspector.ilike(like), InspectionRound.machine_id.in_(machines))
        )
    if abnormal:
        stmt = stmt.where(InspectionRound.abnormal > 0)
    if since is not None:
        stmt = stmt.where(InspectionRound.day >= since)
    if until is not None:
        stmt = stmt.where(InspectionRound.day <= until)
    stmt = stmt.order_by(
        InspectionRound.day.desc(), InspectionRound.shift, InspectionRound.id.desc()
    )
    return repo.page(stmt, offset=offset, limit=limit)


@dataclass(frozen=True)
class ToWalk:
    """A machine with a checklist and whether today's round (or shift's) is recorded."""

    machine: Machine
    template: InspectionTemplate
    done: tuple[str, ...]
    missing: tuple[str, ...]


def todays_rounds(session: Session, scope: Scope, today: date) -> list[ToWalk]:
    """Return every machine in service with a checklist and today's rounds done and missing."""
    by_type = {t.machine_type: t for t in templates(session, scope)}
    stmt = RoundRepository(session, scope).select().where(InspectionRound.day == today)
    walked: dict[int, set[str]] = {}
    for row in session.scalars(stmt):
        walked.setdefault(row.machine_id, set()).add(row.shift)
    found: list[ToWalk] = []
    for machine in active_machines(session, scope):
        template = by_type.get(machine.machine_type)
        if template is None:
            continue
        wanted: Sequence[str] = SHIFTS if template.frequency == "shift" else ("",)
        done = walked.get(machine.id, set())
        found.append(
            ToWalk(
                machine=machine,
                template=template,
                done=tuple(s for s in wanted if s in done),
                missing=tuple(s for s in wanted if s not in done),
            )
        )
    return found
