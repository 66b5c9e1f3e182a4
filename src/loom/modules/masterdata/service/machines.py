"""The machine ledger (设备台账): sewing machines and other equipment, placed on lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine, Workstation
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.lines import line_ids
from loom.modules.masterdata.service.operations import MACHINE_TYPES
from loom.modules.masterdata.service.workstations import WorkstationRepository


@dataclass(frozen=True)
class MachineIn:
    """A machine as a user enters it; ``code`` is the asset number painted on it.

    A workstation without a line places the machine on the workstation's line.
    """

    code: str
    machine_type: str
    brand: str = ""
    model: str = ""
    serial: str = ""
    line_id: int | None = None
    workstation_id: int | None = None
    purchased_on: date | None = None
    active: bool = True


class MachineRepository(TenantRepository[Machine]):
    """The scope's enterprise's machines."""

    model = Machine


def machine_problems(
    data: MachineIn, known_lines: set[int], station: Workstation | None
) -> list[FieldProblem]:
    """Return every bad field of a machine, given its line's and workstation's lookups."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("brand", data.brand, 100, required=False),
        *text_problems("model", data.model, 100, required=False),
        *text_problems("serial", data.serial, 100, required=False),
    ]
    if data.machine_type not in MACHINE_TYPES:
        found.append(
            FieldProblem("machine_type", "one of %(kinds)s", {"kinds": ", ".join(MACHINE_TYPES)})
        )
    if data.line_id is not None and data.line_id not in known_lines:
        found.append(FieldProblem("line_id", "no such line"))
    if data.workstation_id is not None:
        if station is None:
            found.append(FieldProblem("workstation_id", "no such workstation"))
        elif data.line_id is not None and station.line_id != data.line_id:
            found.append(FieldProblem("workstation_id", "the workstation is on another line"))
    return found


def snapshot(machine: Machine) -> dict[str, Any]:
    """Return a machine's fields as the audit trail records them."""
    return {
        "code": machine.code,
        "machine_type": machine.machine_type,
        "brand": machine.brand,
        "model": machine.model,
        "serial": machine.serial,
        "line_id": machine.line_id,
        "workstation_id": machine.workstation_id,
        "purchased_on": machine.purchased_on.isoformat() if machine.purchased_on else None,
        "active": machine.active,
    }


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = MachineRepository(session, scope).select().where(Machine.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict("code: machine %(code)s exists already", field="code", params={"code": code})


def _validate(session: Session, scope: Scope, data: MachineIn) -> Workstation | None:
    station = None
    if data.workstation_id is not None:
        stmt = WorkstationRepository(session, scope).select()
        station = session.scalars(stmt.where(Workstation.id == data.workstation_id)).first()
    wanted = {data.line_id} if data.line_id is not None else set()
    raise_problems(machine_problems(data, line_ids(session, scope, wanted), station))
    return station


def _fill(machine: Machine, data: MachineIn, station: Workstation | None) -> None:
    machine.code = data.code.strip()
    machine.machine_type = data.machine_type
    machine.brand = data.brand.strip()
    machine.model = data.model.strip()
    machine.serial = data.serial.strip()
    machine.line_id = station.line_id if station is not None else data.line_id
    machine.workstation_id = data.workstation_id
    machine.purchased_on = data.purchased_on
    machine.active = data.active


def create(session: Session, scope: Scope, data: MachineIn) -> Machine:
    """Add a machine to the scope's ledger; its asset code must be new there."""
    station = _validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), None)
    machine = Machine(org_id=scope.org_id)
    _fill(machine, data, station)
    session.add(machine)
    session.flush()
    record_scoped(
        session, scope, "masterdata.machine.created", "machine", machine.id, after=snapshot(machine)
    )
    return machine


def update(session: Session, scope: Scope, machine_id: int, data: MachineIn) -> Machine:
    """Replace a machine's fields; another enterprise's machine answers 404."""
    machine = MachineRepository(session, scope).get(machine_id)
    station = _validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), machine.id)
    before = snapshot(machine)
    _fill(machine, data, station)
    after = snapshot(machine)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "masterdata.machine.updated",
            "machine",
            machine.id,
            before=before,
            after=after,
        )
    return machine


def delete(session: Session, scope: Scope, machine_id: int) -> None:
    """Delete a machine from the ledger."""
    repo = MachineRepository(session, scope)
    machine = repo.get(machine_id)
    before = snapshot(machine)
    repo.delete(machine)
    record_scoped(
        session, scope, "masterdata.machine.deleted", "machine", machine_id, before=before
    )


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    machine_type: str = "",
    line_id: int | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Machine]:
    """Return one page of machines by asset code, searched in code, brand, model and serial."""
    repo = MachineRepository(session, scope)
    stmt = repo.select().order_by(Machine.code, Machine.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(
            or_(
                Machine.code.ilike(like),
                Machine.brand.ilike(like),
                Machine.model.ilike(like),
                Machine.serial.ilike(like),
            )
        )
    if machine_type:
        if machine_type not in MACHINE_TYPES:
            raise ValidationFailed(
                "machine_type: one of %(kinds)s",
                field="machine_type",
                params={"kinds": ", ".join(MACHINE_TYPES)},
            )
        stmt = stmt.where(Machine.machine_type == machine_type)
    if line_id is not None:
        stmt = stmt.where(Machine.line_id == line_id)
    if active is not None:
        stmt = stmt.where(Machine.active.is_(active))
    return repo.page(stmt, offset=offset, limit=limit)
