"""Workstations (工位) of a line, each optionally with the scanner installed there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import Conflict, NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine, Workstation
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.lines import LineRepository
from loom.modules.masterdata.service.operations import MACHINE_TYPES

MAX_SEQ = 9999  # positions along one line: a typo guard, not a business rule


@dataclass(frozen=True)
class WorkstationIn:
    """A workstation as a user enters it; a blank ``device_code`` means no scanner."""

    code: str
    seq: int = 1
    machine_type: str = "lockstitch"
    device_code: str = ""


class WorkstationRepository(TenantRepository[Workstation]):
    """The scope's enterprise's workstations."""

    model = Workstation


def workstation_problems(data: WorkstationIn) -> list[FieldProblem]:
    """Return every bad field of a workstation."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("device_code", data.device_code, 64, required=False),
    ]
    if not 1 <= data.seq <= MAX_SEQ:
        found.append(FieldProblem("seq", "a position from 1 to 9999"))
    if data.machine_type not in MACHINE_TYPES:
        found.append(
            FieldProblem("machine_type", "one of %(kinds)s", {"kinds": ", ".join(MACHINE_TYPES)})
        )
    return found


def snapshot(station: Workstation) -> dict[str, Any]:
    """Return a workstation's fields as the audit trail records them."""
    return {
        "line_id": station.line_id,
        "code": station.code,
        "seq": station.seq,
        "machine_type": station.machine_type,
        "device_code": station.device_code,
    }


def get(session: Session, scope: Scope, line_id: int, workstation_id: int) -> Workstation:
    """Return a workstation of a line; one of another line or enterprise answers 404."""
    line = LineRepository(session, scope).get(line_id)
    station = WorkstationRepository(session, scope).get(workstation_id)
    if station.line_id != line.id:
        raise NotFound(
            "%(kind)s %(id)s not found", params={"kind": "Workstation", "id": workstation_id}
        )
    return station


def stations_of(session: Session, scope: Scope, line_id: int) -> Sequence[Workstation]:
    """Return a line's workstations in their order along it (404 for another's line)."""
    line = LineRepository(session, scope).get(line_id)
    stmt = (
        WorkstationRepository(session, scope)
        .select()
        .where(Workstation.line_id == line.id)
        .order_by(Workstation.seq, Workstation.code, Workstation.id)
    )
    return session.scalars(stmt).all()


def by_device(session: Session, scope: Scope, device_code: str) -> Workstation | None:
    """Return the workstation whose scanner is ``device_code``, if any."""
    code = device_code.strip()
    if not code:
        return None
    stmt = WorkstationRepository(session, scope).select().where(Workstation.device_code == code)
    return session.scalars(stmt).first()


def _check_free(
    session: Session, scope: Scope, line_id: int, data: WorkstationIn, own_id: int | None
) -> None:
    code = data.code.strip()
    repo = WorkstationRepository(session, scope)
    stmt = repo.select().where(Workstation.line_id == line_id, Workstation.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(
            "code: workstation %(code)s exists on this line already",
            field="code",
            params={"code": code},
        )
    holder = by_device(session, scope, data.device_code)
    if holder is not None and holder.id != own_id:
        raise Conflict(
            "device_code: device %(device)s is installed at workstation %(code)s already",
            field="device_code",
            params={"device": data.device_code.strip(), "code": holder.code},
        )


def _fill(station: Workstation, data: WorkstationIn) -> None:
    station.code = data.code.strip()
    station.seq = data.seq
    station.machine_type = data.machine_type
    # NULL, not "": the unique (org, device_code) key must allow many stations without one
    station.device_code = data.device_code.strip() or None


def create(session: Session, scope: Scope, line_id: int, data: WorkstationIn) -> Workstation:
    """Add a workstation to a line; its code must be new on the line, its device in the firm."""
    line = LineRepository(session, scope).get(line_id)
    raise_problems(workstation_problems(data))
    _check_free(session, scope, line.id, data, None)
    station = Workstation(org_id=scope.org_id, line_id=line.id)
    _fill(station, data)
    session.add(station)
    session.flush()
    record_scoped(
        session,
        scope,
        "masterdata.workstation.created",
        "workstation",
        station.id,
        after=snapshot(station),
    )
    return station


def update(
    session: Session, scope: Scope, line_id: int, workstation_id: int, data: WorkstationIn
) -> Workstation:
    """Replace a workstation's fields; it stays on its line."""
    station = get(session, scope, line_id, workstation_id)
    raise_problems(workstation_problems(data))
    _check_free(session, scope, station.line_id, data, station.id)
    before = snapshot(station)
    _fill(station, data)
    after = snapshot(station)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "masterdata.workstation.updated",
            "workstation",
            station.id,
            before=before,
            after=after,
        )
    return station


def delete(session: Session, scope: Scope, line_id: int, workstation_id: int) -> None:
    """Delete a workstation no machine is placed at."""
    station = get(session, scope, line_id, workstation_id)
    placed = session.scalar(
        select(func.count()).select_from(Machine).where(Machine.workstation_id == station.id)
    )
    if placed:
        raise Conflict(
            "workstation %(code)s still has %(machines)s machine(s) placed at it",
            params={"code": station.code, "machines": placed},
        )
    before = snapshot(station)
    WorkstationRepository(session, scope).delete(station)
    record_scoped(
        session,
        scope,
        "masterdata.workstation.deleted",
        "workstation",
        workstation_id,
        before=before,
    )
