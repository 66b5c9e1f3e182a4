"""Pages of the machine ledger (设备台账): machines placed on lines and workstations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.excel.layout import Column, SheetSpec
from loom.modules.masterdata.models import Machine, Workstation
from loom.modules.masterdata.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    base_context,
    domain_errors,
    int_field,
    locale_of,
    machine_options,
    msgid,
    problem_errors,
    xlsx,
)
from loom.modules.masterdata.pages.operators import line_choices
from loom.modules.masterdata.service import machines
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.lines import line_ids
from loom.modules.masterdata.service.operations import MACHINE_TYPES
from loom.modules.masterdata.service.workstations import WorkstationRepository

router = APIRouter()
READ, WRITE = "masterdata.machine.read", "masterdata.machine.write"
DELETE = "masterdata.machine.delete"
FIELDS = (
    *("code", "machine_type", "brand", "model", "serial"),
    *("line_id", "workstation_id", "purchased_on", "active"),
)
SHEET = SheetSpec(
    "machines",
    "设备台账",
    msgid("Machine ledger"),
    (
        Column("code", "设备编号", msgid("Asset code")),
        Column("machine_type", "机种", msgid("Machine type")),
        Column("brand", "品牌", msgid("Brand")),
        Column("model", "型号", msgid("Model")),
        Column("serial", "出厂编号", msgid("Serial number")),
        Column("line", "产线", msgid("Line code")),
        Column("workstation", "工位", msgid("Workstation code")),
        Column("purchased_on", "购置日期", msgid("Purchased on")),
    ),
)


def _stations(db: Session, scope: Scope) -> list[tuple[int, str]]:
    """Return (id, "LINE / STATION") of every workstation, for the select box."""
    codes = {line.id: line.code for line in line_choices(db, scope)}
    stmt = WorkstationRepository(db, scope).select().order_by(Workstation.line_id, Workstation.seq)
    return [(s.id, f"{codes.get(s.line_id, '?')} / {s.code}") for s in db.scalars(stmt)]


@router.get("/machines")
def machines_list(
    request: Request,
    q: str = Query("", max_length=100),
    machine_type: str = Query("", max_length=40),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the machine ledger, searched by code, brand, model or serial, by machine type."""
    chosen = machine_type if machine_type in MACHINE_TYPES else ""
    page = machines.search(db, scope, q=q, machine_type=chosen, offset=offset, limit=PAGE_SIZE)
    context = base_context(
        "machines",
        page=page,
        q=q,
        params={"machine_type": chosen},
        machines=machine_options(request),
        line_codes={line.id: line.code for line in line_choices(db, scope)},
        stations=dict(_stations(db, scope)),
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
    )
    return render(request, "masterdata/machines_list.html", context)


@router.get("/machines.xlsx")
def machines_export(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Download the machine ledger."""
    lines = {line.id: line.code for line in line_choices(db, scope)}
    stations = dict(_stations(db, scope))
    rows = db.scalars(machines.MachineRepository(db, scope).select().order_by(Machine.code))
    records: list[dict[str, object]] = [
        {
            "code": m.code,
            "machine_type": m.machine_type,
            "brand": m.brand,
            "model": m.model,
            "serial": m.serial,
            "line": lines.get(m.line_id or 0, ""),
            "workstation": stations.get(m.workstation_id or 0, "").split(" / ")[-1],
            "purchased_on": m.purchased_on,
        }
        for m in rows
    ]
    content = write_workbook([(SHEET, records)], locale_of(request))
    return xlsx(content, f"machines-{date.today().isoformat()}.xlsx")


def machine_form(
    code: str = Form("", max_length=400),
    machine_type: str = Form("", max_length=100),
    brand: str = Form("", max_length=400),
    model: str = Form("", max_length=400),
    serial: str = Form("", max_length=400),
    line_id: str = Form("", max_length=20),
    workstation_id: str = Form("", max_length=20),
    purchased_on: str = Form("", max_length=40),
    active: str = Form("", max_length=10),
) -> dict[str, str]:
    """Collect the machine form exactly as typed."""
    return {
        "code": code,
        "machine_type": machine_type,
        "brand": brand,
        "model": model,
        "serial": serial,
        "line_id": line_id,
        "workstation_id": workstation_id,
        "purchased_on": purchased_on,
        "active": active,
    }


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    machine_id: int | None,
    status: int = 200,
) -> Response:
    context = base_context(
        "machines",
        values=values,
        errors=errors,
        machine_id=machine_id,
        machines=machine_options(request),
        lines=line_choices(db, scope),
        stations=_stations(db, scope),
    )
    return render(request, "masterdata/machines_form.html", context, status=status)


def _save(
    request: Request, db: Session, scope: Scope, values: dict[str, str], machine_id: int | None
) -> Response:
    found: list[FieldProblem] = []
    bought: date | None = None
    if values["purchased_on"].strip():
        try:
            bought = date.fromisoformat(values["purchased_on"].strip())
        except ValueError:
            found.append(
                FieldProblem("purchased_on", msgid("a date such as 2026-03-01 is expected here"))
            )
    line, station = values["line_id"].strip(), values["workstation_id"].strip()
    data = machines.MachineIn(
        code=values["code"],
        machine_type=values["machine_type"],
        brand=values["brand"],
        model=values["model"],
        serial=values["serial"],
        line_id=int_field(line) if line else None,
        workstation_id=int_field(station) if station else None,
        purchased_on=bought,
        active=bool(values["active"]),
    )
    found += _problems(db, scope, data)
    if found:
        return _form_page(
            request, db, scope, values, problem_errors(request, found), machine_id, 422
        )
    try:
        if machine_id is None:
            machine_id = machines.create(db, scope, data).id
        else:
            machines.update(db, scope, machine_id, data)
    except DomainError as exc:
        db.rollback()
        errors = domain_errors(request, exc)
        return _form_page(request, db, scope, values, errors, machine_id, exc.status_code)
    return RedirectResponse(f"{BASE}/machines", status_code=303)


def _problems(db: Session, scope: Scope, data: machines.MachineIn) -> list[FieldProblem]:
    # the same lookups as the service, so each problem keeps its msgid for the page
    station = None
    if data.workstation_id is not None:
        stmt = WorkstationRepository(db, scope).select()
        station = db.scalars(stmt.where(Workstation.id == data.workstation_id)).first()
    wanted = {data.line_id} if data.line_id is not None else set()
    return machines.machine_problems(data, line_ids(db, scope, wanted), station)


@router.get("/machines/new")
def machine_new(request: Request, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Show an empty machine form."""
    values = dict.fromkeys(FIELDS, "") | {"machine_type": "lockstitch", "active": "on"}
    return _form_page(request, db, scope, values, {}, None)


@router.post("/machines/new")
def machine_create(
    request: Request,
    values: dict[str, str] = Depends(machine_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the machine, or show the form again with the problems."""
    return _save(request, db, scope, values, None)


@router.get("/machines/{machine_id:int}/edit")
def machine_edit(
    request: Request, machine_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the machine form filled with the machine."""
    m = machines.MachineRepository(db, scope).get(machine_id)
    values = {
        "code": m.code,
        "machine_type": m.machine_type,
        "brand": m.brand,
        "model": m.model,
        "serial": m.serial,
        "line_id": str(m.line_id or ""),
        "workstation_id": str(m.workstation_id or ""),
        "purchased_on": m.purchased_on.isoformat() if m.purchased_on else "",
        "active": "on" if m.active else "",
    }
    return _form_page(request, db, scope, values, {}, m.id)


@router.post("/machines/{machine_id:int}/edit")
def machine_save(
    request: Request,
    machine_id: RowId,
    values: dict[str, str] = Depends(machine_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the machine, or show the form again with the problems."""
    machines.MachineRepository(db, scope).get(machine_id)
    return _save(request, db, scope, values, machine_id)


@router.get("/machines/{machine_id:int}/delete")
def machine_confirm_delete(
    request: Request, machine_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a machine from the ledger."""
    machine = machines.MachineRepository(db, scope).get(machine_id)
    return render(
        request, "masterdata/machines_delete.html", base_context("machines", machine=machine)
    )


@router.post("/machines/{machine_id:int}/delete")
def machine_delete(machine_id: RowId, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete the machine."""
    machines.delete(db, scope, machine_id)
    return RedirectResponse(f"{BASE}/machines", status_code=303)
