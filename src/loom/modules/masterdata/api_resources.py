"""JSON API of production lines, workstations, operators with their skills, and machines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.masterdata.models import OperatorSkill
from loom.modules.masterdata.schemas_resources import (
    LineBody,
    LineOut,
    MachineBody,
    MachineOut,
    MachineTypeOut,
    MatrixOut,
    MatrixRowOut,
    OperatorBody,
    OperatorOut,
    SkillBody,
    SkillsBody,
    SkillsOut,
    WorkstationBody,
    WorkstationOut,
)
from loom.modules.masterdata.service import lines, machines, operators, workstations
from loom.modules.masterdata.service.operations import MACHINE_TYPES

router = APIRouter()
DB = Depends(get_db, scope="function")
OFFSET = Query(0, ge=0)
LIMIT = Query(50, ge=1, le=200)
SEARCH = Query("", max_length=100)
ACTIVE = Query(None, description="only active (true) or inactive (false) rows")
LINE_FILTER = Query(None, ge=1, le=2_147_483_647)
#: ids the INTEGER columns can hold; PostgreSQL would fail on larger ones instead of answering
LineId = Annotated[int, Path(ge=1, le=2_147_483_647)]
WorkstationId = Annotated[int, Path(ge=1, le=2_147_483_647)]
OperatorId = Annotated[int, Path(ge=1, le=2_147_483_647)]
MachineId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/lines", response_model=PageOut[LineOut])
def list_lines(
    q: str = SEARCH,
    kind: str = Query("", max_length=40),
    active: bool | None = ACTIVE,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("masterdata.line.read"),
    db: Session = DB,
) -> Any:
    """List the enterprise's lines by code, searched in code and name, by kind."""
    page = lines.search(db, scope, q=q, kind=kind, active=active, offset=offset, limit=limit)
    return PageOut.of(page, LineOut)


@router.post("/lines", response_model=LineOut, status_code=201)
def create_line(
    body: LineBody, scope: Scope = require("masterdata.line.write"), db: Session = DB
) -> Any:
    """Create a line; a 422 names every bad field, a taken code answers 409."""
    return lines.create(db, scope, body.to_input())


@router.get("/lines/{line_id}", response_model=LineOut)
def read_line(
    line_id: LineId, scope: Scope = require("masterdata.line.read"), db: Session = DB
) -> Any:
    """Return one line."""
    return lines.LineRepository(db, scope).get(line_id)


@router.put("/lines/{line_id}", response_model=LineOut)
def update_line(
    line_id: LineId,
    body: LineBody,
    scope: Scope = require("masterdata.line.write"),
    db: Session = DB,
) -> Any:
    """Replace a line's fields."""
    return lines.update(db, scope, line_id, body.to_input())


@router.delete("/lines/{line_id}", status_code=204)
def delete_line(
    line_id: LineId, scope: Scope = require("masterdata.line.delete"), db: Session = DB
) -> Response:
    """Delete a line; one still used by operators, workstations or machines answers 409."""
    lines.delete(db, scope, line_id)
    return Response(status_code=204)


@router.get("/lines/{line_id}/workstations", response_model=list[WorkstationOut])
def list_workstations(
    line_id: LineId, scope: Scope = require("masterdata.line.read"), db: Session = DB
) -> Any:
    """Return a line's workstations in their order along it."""
    return workstations.stations_of(db, scope, line_id)


@router.post("/lines/{line_id}/workstations", response_model=WorkstationOut, status_code=201)
def create_workstation(
    line_id: LineId,
    body: WorkstationBody,
    scope: Scope = require("masterdata.line.write"),
    db: Session = DB,
) -> Any:
    """Add a workstation to a line; a taken code or device answers 409."""
    return workstations.create(db, scope, line_id, body.to_input())


@router.get("/lines/{line_id}/workstations/{workstation_id}", response_model=WorkstationOut)
def read_workstation(
    line_id: LineId,
    workstation_id: WorkstationId,
    scope: Scope = require("masterdata.line.read"),
    db: Session = DB,
) -> Any:
    """Return one workstation of a line."""
    return workstations.get(db, scope, line_id, workstation_id)


@router.put("/lines/{line_id}/workstations/{workstation_id}", response_model=WorkstationOut)
def update_workstation(
    line_id: LineId,
    workstation_id: WorkstationId,
    body: WorkstationBody,
    scope: Scope = require("masterdata.line.write"),
    db: Session = DB,
) -> Any:
    """Replace a workstation's fields; it stays on its line."""
    return workstations.update(db, scope, line_id, workstation_id, body.to_input())


@router.delete("/lines/{line_id}/workstations/{workstation_id}", status_code=204)
def delete_workstation(
    line_id: LineId,
    workstation_id: WorkstationId,
    scope: Scope = require("masterdata.line.delete"),
    db: Session = DB,
) -> Response:
    """Delete a workstation; one with machines placed at it answers 409."""
    workstations.delete(db, scope, line_id, workstation_id)
    return Response(status_code=204)


@router.get("/operators", response_model=PageOut[OperatorOut])
def list_operators(
    q: str = SEARCH,
    line_id: int | None = LINE_FILTER,
    active: bool | None = ACTIVE,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("masterdata.operator.read"),
    db: Session = DB,
) -> Any:
    """List operators by badge code, searched in code and name, by line."""
    page = operators.search(
        db, scope, q=q, line_id=line_id, active=active, offset=offset, limit=limit
    )
    return PageOut.of(page, OperatorOut)


@router.post("/operators", response_model=OperatorOut, status_code=201)
def create_operator(
    body: OperatorBody, scope: Scope = require("masterdata.operator.write"), db: Session = DB
) -> Any:
    """Create an operator; a 422 names every bad field, a taken badge code answers 409."""
    return operators.create(db, scope, body.to_input())


@router.get("/operators/{operator_id}", response_model=OperatorOut)
def read_operator(
    operator_id: OperatorId, scope: Scope = require("masterdata.operator.read"), db: Session = DB
) -> Any:
    """Return one operator."""
    return operators.OperatorRepository(db, scope).get(operator_id)


@router.put("/operators/{operator_id}", response_model=OperatorOut)
def update_operator(
    operator_id: OperatorId,
    body: OperatorBody,
    scope: Scope = require("masterdata.operator.write"),
    db: Session = DB,
) -> Any:
    """Replace an operator's fields (their skills are set apart)."""
    return operators.update(db, scope, operator_id, body.to_input())


@router.delete("/operators/{operator_id}", status_code=204)
def delete_operator(
    operator_id: OperatorId,
    scope: Scope = require("masterdata.operator.delete"),
    db: Session = DB,
) -> Response:
    """Delete an operator with their skills."""
    operators.delete(db, scope, operator_id)
    return Response(status_code=204)


def _skills_out(operator_id: int, skills: Sequence[OperatorSkill]) -> SkillsOut:
    return SkillsOut(operator_id=operator_id, skills=[SkillBody.model_validate(s) for s in skills])


@router.get("/operators/{operator_id}/skills", response_model=SkillsOut)
def read_skills(
    operator_id: OperatorId, scope: Scope = require("masterdata.operator.read"), db: Session = DB
) -> Any:
    """Return an operator's skills by machine type."""
    return _skills_out(operator_id, operators.skills_of(db, scope, operator_id))


@router.put("/operators/{operator_id}/skills", response_model=SkillsOut)
def set_skills(
    operator_id: OperatorId,
    body: SkillsBody,
    scope: Scope = require("masterdata.operator.write"),
    db: Session = DB,
) -> Any:
    """Replace an operator's whole skills list; a 422 names every bad cell."""
    found = operators.set_skills(db, scope, operator_id, body.to_input())
    return _skills_out(operator_id, found)


@router.get("/skills-matrix", response_model=MatrixOut)
def skills_matrix(
    q: str = SEARCH,
    line_id: int | None = LINE_FILTER,
    active: bool | None = ACTIVE,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("masterdata.operator.read"),
    db: Session = DB,
) -> Any:
    """Return one page of operators × machine types with each operator's grade, for the UI."""
    page = operators.matrix(
        db, scope, q=q, line_id=line_id, active=active, offset=offset, limit=limit
    )
    rows = [
        MatrixRowOut(
            operator_id=row.operator.id,
            code=row.operator.code,
            name=row.operator.name,
            line_id=row.operator.line_id,
            active=row.operator.active,
            skills={t: SkillBody.model_validate(s) for t, s in row.skills.items()},
        )
        for row in page.items
    ]
    return MatrixOut(
        machine_types=[MachineTypeOut(code=c, name=n) for c, n in MACHINE_TYPES.items()],
        rows=rows,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.get("/machines", response_model=PageOut[MachineOut])
def list_machines(
    q: str = SEARCH,
    machine_type: str = Query("", max_length=40),
    line_id: int | None = LINE_FILTER,
    active: bool | None = ACTIVE,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("masterdata.machine.read"),
    db: Session = DB,
) -> Any:
    """List the machine ledger by asset code, searched in code, brand, model and serial."""
    page = machines.search(
        db,
        scope,
        q=q,
        machine_type=machine_type,
        line_id=line_id,
        active=active,
        offset=offset,
        limit=limit,
    )
    return PageOut.of(page, MachineOut)


@router.post("/machines", response_model=MachineOut, status_code=201)
def create_machine(
    body: MachineBody, scope: Scope = require("masterdata.machine.write"), db: Session = DB
) -> Any:
    """Add a machine; a 422 names every bad field, a taken asset code answers 409."""
    return machines.create(db, scope, body.to_input())


@router.get("/machines/{machine_id}", response_model=MachineOut)
def read_machine(
    machine_id: MachineId, scope: Scope = require("masterdata.machine.read"), db: Session = DB
) -> Any:
    """Return one machine."""
    return machines.MachineRepository(db, scope).get(machine_id)


@router.put("/machines/{machine_id}", response_model=MachineOut)
def update_machine(
    machine_id: MachineId,
    body: MachineBody,
    scope: Scope = require("masterdata.machine.write"),
    db: Session = DB,
) -> Any:
    """Replace a machine's fields."""
    return machines.update(db, scope, machine_id, body.to_input())


@router.delete("/machines/{machine_id}", status_code=204)
def delete_machine(
    machine_id: MachineId, scope: Scope = require("masterdata.machine.delete"), db: Session = DB
) -> Response:
    """Delete a machine from the ledger."""
    machines.delete(db, scope, machine_id)
    return Response(status_code=204)
