"""Meters (计量表): what they measure, where they hang, how they are read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import KINDS
from loom.apps.energy.models import ATTACHMENTS, MODES, EnergyMeter, EnergyReading
from loom.apps.energy.service.numbers import from_e4, refuse, to_e4
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem, text_problems
from loom.modules.masterdata.service.lines import line_ids
from loom.modules.masterdata.service.machines import MachineRepository


@dataclass(frozen=True)
class MeterIn:
    """A meter as a user enters it; numbers as typed (None when blank or not a number)."""

    code: str
    name: str
    kind: str
    attached_to: str = "factory"
    line_id: int | None = None
    machine_id: int | None = None
    main: bool = True
    mode: str = "register"
    multiplier: Decimal | None = Decimal(1)
    rollover_at: Decimal | None = None
    active: bool = True
    note: str = ""


class MeterRepository(TenantRepository[EnergyMeter]):
    """The scope's enterprise's meters."""

    model = EnergyMeter


def meter_problems(
    data: MeterIn, known_lines: set[int], machine: Machine | None
) -> tuple[list[FieldProblem], int | None, int | None]:
    """Return every bad field of a meter, its multiplier and rollover value in ten-thousandths."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("name", data.name, 200, required=True),
        *text_problems("note", data.note, 200, required=False),
    ]
    if data.kind not in KINDS:
        found.append(FieldProblem("kind", "one of %(kinds)s", {"kinds": ", ".join(KINDS)}))
    if data.mode not in MODES:
        found.append(FieldProblem("mode", "one of %(kinds)s", {"kinds": ", ".join(MODES)}))
    if data.attached_to not in ATTACHMENTS:
        found.append(
            FieldProblem("attached_to", "one of %(kinds)s", {"kinds": ", ".join(ATTACHMENTS)})
        )
    elif data.attached_to == "line":
        if data.line_id is None:
            found.append(FieldProblem("line_id", "choose the line the meter measures"))
        elif data.line_id not in known_lines:
            found.append(FieldProblem("line_id", "no such line"))
    elif data.attached_to == "machine":
        if data.machine_id is None:
            found.append(FieldProblem("machine_id", "choose the machine the meter measures"))
        elif machine is None:
            found.append(FieldProblem("machine_id", "no such machine"))
    multiplier, bad = to_e4("multiplier", data.multiplier, positive=True)
    found += bad
    if data.mode == "period" and multiplier not in (None, 10_000):
        found.append(
            FieldProblem("multiplier", "a period meter's figures are consumption: keep it at 1")
        )
    rollover, bad = to_e4("rollover_at", data.rollover_at, required=False, positive=True)
    found += bad
    if data.mode == "period" and rollover is not None:
        found.append(FieldProblem("rollover_at", "only register meters roll over"))
    return found, multiplier, rollover


def snapshot(meter: EnergyMeter) -> dict[str, Any]:
    """Return a meter's fields as the audit trail records them."""
    return {
        "code": meter.code,
        "name": meter.name,
        "kind": meter.kind,
        "attached_to": meter.attached_to,
        "line_id": meter.line_id,
        "machine_id": meter.machine_id,
        "main": meter.main,
        "mode": meter.mode,
        "multiplier": str(from_e4(meter.multiplier_e4)),
        "rollover_at": None if meter.rollover_at_e4 is None else str(from_e4(meter.rollover_at_e4)),
        "active": meter.active,
        "note": meter.note,
    }


def _validate(
    session: Session, scope: Scope, data: MeterIn
) -> tuple[Machine | None, int, int | None]:
    machine = None
    if data.attached_to == "machine" and data.machine_id is not None:
        stmt = MachineRepository(session, scope).select().where(Machine.id == data.machine_id)
        machine = session.scalars(stmt).first()
    wanted = {data.line_id} if data.line_id is not None else set()
    found, multiplier, rollover = meter_problems(data, line_ids(session, scope, wanted), machine)
    refuse(found)
    assert multiplier is not None  # no problem means the multiplier parsed
    return machine, multiplier, rollover


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = MeterRepository(session, scope).select().where(EnergyMeter.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict("code: meter %(code)s exists already", field="code", params={"code": code})


def _fill(
    meter: EnergyMeter,
    data: MeterIn,
    machine: Machine | None,
    multiplier: int,
    rollover: int | None,
) -> None:
    meter.code = data.code.strip()
    meter.name = data.name.strip()
    meter.kind = data.kind
    meter.attached_to = data.attached_to
    meter.machine_id = machine.id if machine is not None else None
    if data.attached_to == "line":
        meter.line_id = data.line_id
    elif machine is not None:
        meter.line_id = machine.line_id
    else:
        meter.line_id = None
    meter.main = data.main
    meter.mode = data.mode
    meter.multiplier_e4 = multiplier
    meter.rollover_at_e4 = rollover
    meter.active = data.active
    meter.note = data.note.strip()


def reading_count(session: Session, scope: Scope, meter_id: int) -> int:
    """Return how many readings a meter has."""
    stmt = (
        select(func.count())
        .select_from(EnergyReading)
        .where(EnergyReading.org_id == scope.org_id, EnergyReading.meter_id == meter_id)
    )
    return session.scalar(stmt) or 0


def create(session: Session, scope: Scope, data: MeterIn) -> EnergyMeter:
    """Add a meter; its code must be new in the enterprise."""
    machine, multiplier, rollover = _validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), None)
    meter = EnergyMeter(org_id=scope.org_id)
    _fill(meter, data, machine, multiplier, rollover)
    session.add(meter)
    session.flush()
    record_scoped(session, scope, "energy.meter.created", "meter", meter.id, after=snapshot(meter))
    return meter


def update(session: Session, scope: Scope, meter_id: int, data: MeterIn) -> EnergyMeter:
    """Replace a meter's fields; the reading mode is fixed once it has readings."""
    meter = MeterRepository(session, scope).get(meter_id)
    machine, multiplier, rollover = _validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), meter.id)
    if data.mode != meter.mode and reading_count(session, scope, meter.id):
        raise ValidationFailed(
            "mode: the meter has readings; its reading mode cannot change", field="mode"
        )
    before = snapshot(meter)
    _fill(meter, data, machine, multiplier, rollover)
    after = snapshot(meter)
    if after != before:
        session.flush()
        record_scoped(
            session, scope, "energy.meter.updated", "meter", meter.id, before=before, after=after
        )
    return meter


def delete(session: Session, scope: Scope, meter_id: int) -> None:
    """Delete a meter with its readings."""
    repo = MeterRepository(session, scope)
    meter = repo.get(meter_id)
    before = snapshot(meter) | {"readings": reading_count(session, scope, meter.id)}
    repo.delete(meter)
    record_scoped(session, scope, "energy.meter.deleted", "meter", meter_id, before=before)


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    kind: str = "",
    line_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[EnergyMeter]:
    """Return one page of meters by code, searched in code, name and note."""
    repo = MeterRepository(session, scope)
    stmt = repo.select().order_by(EnergyMeter.code, EnergyMeter.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(
            or_(
                EnergyMeter.code.ilike(like),
                EnergyMeter.name.ilike(like),
                EnergyMeter.note.ilike(like),
            )
        )
    if kind:
        if kind not in KINDS:
            raise ValidationFailed(
                "kind: one of %(kinds)s", field="kind", params={"kinds": ", ".join(KINDS)}
            )
        stmt = stmt.where(EnergyMeter.kind == kind)
    if line_id is not None:
        stmt = stmt.where(EnergyMeter.line_id == line_id)
    return repo.page(stmt, offset=offset, limit=limit)


def all_meters(session: Session, scope: Scope) -> list[EnergyMeter]:
    """Return every meter of the enterprise, by code."""
    repo = MeterRepository(session, scope)
    return list(session.scalars(repo.select().order_by(EnergyMeter.code)))
