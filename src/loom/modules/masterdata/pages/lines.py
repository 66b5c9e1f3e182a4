"""Pages of the production lines and their workstations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import Conflict, DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import ProductionLine
from loom.modules.masterdata.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    base_context,
    domain_errors,
    int_field,
    machine_options,
    msgid,
    problem_errors,
    translator,
)
from loom.modules.masterdata.service import line_plans, lines, workstations

router = APIRouter()
READ, WRITE = "masterdata.line.read", "masterdata.line.write"
DELETE = "masterdata.line.delete"
KIND_LABELS = {
    "sewing": msgid("Sewing"),
    "cutting": msgid("Cutting"),
    "finishing": msgid("Finishing"),
}


def kind_options(request: Request) -> list[tuple[str, str]]:
    """Return (key, label) of every line kind in the page's language."""
    gettext = translator(request)
    return [(key, gettext(KIND_LABELS[key])) for key in lines.LINE_KINDS]


@router.get("/lines")
def lines_list(
    request: Request,
    q: str = Query("", max_length=100),
    kind: str = Query("", max_length=20),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the production lines, searched by code or name and filtered by kind."""
    chosen = kind if kind in lines.LINE_KINDS else ""
    page = lines.search(db, scope, q=q, kind=chosen, offset=offset, limit=PAGE_SIZE)
    context = base_context(
        "lines",
        page=page,
        q=q,
        params={"kind": chosen},
        kinds=kind_options(request),
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
    )
    return render(request, "masterdata/lines_list.html", context)


def line_form(
    code: str = Form("", max_length=400),
    name: str = Form("", max_length=1000),
    kind: str = Form("sewing", max_length=100),
    shift_minutes: str = Form("", max_length=100),
    active: str = Form("", max_length=10),
) -> dict[str, str]:
    """Collect the line form exactly as typed."""
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "shift_minutes": shift_minutes,
        "active": active,
    }


def _line_page(
    request: Request,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    line_id: int | None,
    status: int = 200,
) -> Response:
    context = base_context(
        "lines", values=values, errors=errors, line_id=line_id, kinds=kind_options(request)
    )
    return render(request, "masterdata/lines_form.html", context, status=status)


def _save_line(
    request: Request, db: Session, scope: Scope, values: dict[str, str], line_id: int | None
) -> Response:
    data = lines.ProductionLineIn(
        code=values["code"],
        name=values["name"],
        kind=values["kind"],
        shift_minutes=int_field(values["shift_minutes"]),
        active=bool(values["active"]),
    )
    problems = lines.line_problems(data)
    if problems:
        return _line_page(request, values, problem_errors(request, problems), line_id, 422)
    try:
        if line_id is None:
            line_id = lines.create(db, scope, data).id
        else:
            lines.update(db, scope, line_id, data)
    except DomainError as exc:
        db.rollback()
        return _line_page(request, values, domain_errors(request, exc), line_id, exc.status_code)
    return RedirectResponse(f"{BASE}/lines/{line_id}", status_code=303)


@router.get("/lines/new")
def line_new(request: Request, scope: Scope = require(WRITE)) -> Response:
    """Show an empty line form."""
    values = {"code": "", "name": "", "kind": "sewing", "shift_minutes": "480", "active": "on"}
    return _line_page(request, values, {}, None)


@router.post("/lines/new")
def line_create(
    request: Request,
    values: dict[str, str] = Depends(line_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the line, or show the form again with the problems."""
    return _save_line(request, db, scope, values, None)


def _line_values(line: ProductionLine) -> dict[str, str]:
    return {
        "code": line.code,
        "name": line.name,
        "kind": line.kind,
        "shift_minutes": str(line.shift_minutes),
        "active": "on" if line.active else "",
    }


@router.get("/lines/{line_id:int}/edit")
def line_edit(
    request: Request, line_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the line form filled with the line."""
    line = lines.LineRepository(db, scope).get(line_id)
    return _line_page(request, _line_values(line), {}, line.id)


@router.post("/lines/{line_id:int}/edit")
def line_save(
    request: Request,
    line_id: RowId,
    values: dict[str, str] = Depends(line_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the edited line, or show the form again with the problems."""
    lines.LineRepository(db, scope).get(line_id)
    return _save_line(request, db, scope, values, line_id)


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    line: ProductionLine,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = base_context(
        "lines",
        line=line,
        kind_label=dict(kind_options(request)).get(line.kind, line.kind),
        stations=workstations.stations_of(db, scope, line.id),
        plan=line_plans.current_line_plan(db, scope, line.id),
        machines=machine_options(request),
        values=values or {"code": "", "seq": "", "machine_type": "lockstitch", "device_code": ""},
        errors=errors or {},
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
    )
    return render(request, "masterdata/line_detail.html", context, status=status)


@router.get("/lines/{line_id:int}")
def line_detail(
    request: Request, line_id: RowId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a line with its workstations in order."""
    return _detail(request, db, scope, lines.LineRepository(db, scope).get(line_id))


def station_form(
    code: str = Form("", max_length=400),
    seq: str = Form("", max_length=100),
    machine_type: str = Form("", max_length=100),
    device_code: str = Form("", max_length=400),
) -> dict[str, str]:
    """Collect the workstation form exactly as typed."""
    return {"code": code, "seq": seq, "machine_type": machine_type, "device_code": device_code}


def _station_in(values: Mapping[str, str]) -> workstations.WorkstationIn:
    return workstations.WorkstationIn(
        code=values["code"],
        seq=int_field(values["seq"]),
        machine_type=values["machine_type"],
        device_code=values["device_code"],
    )


@router.post("/lines/{line_id:int}/workstations")
def station_add(
    request: Request,
    line_id: RowId,
    values: dict[str, str] = Depends(station_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add a workstation to the line, or show the line again with the problems."""
    line = lines.LineRepository(db, scope).get(line_id)
    data = _station_in(values)
    problems = workstations.workstation_problems(data)
    if problems:
        return _detail(request, db, scope, line, values, problem_errors(request, problems), 422)
    try:
        workstations.create(db, scope, line.id, data)
    except DomainError as exc:
        db.rollback()
        return _detail(
            request, db, scope, line, values, domain_errors(request, exc), exc.status_code
        )
    return RedirectResponse(f"{BASE}/lines/{line.id}#stations", status_code=303)


def _station_page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    full = base_context("lines", machines=machine_options(request), **context)
    return render(request, "masterdata/station_form.html", full, status=status)


@router.get("/lines/{line_id:int}/workstations/{station_id:int}/edit")
def station_edit(
    request: Request,
    line_id: RowId,
    station_id: RowId,
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Show the workstation form filled with the workstation."""
    station = workstations.get(db, scope, line_id, station_id)
    values = {
        "code": station.code,
        "seq": str(station.seq),
        "machine_type": station.machine_type,
        "device_code": station.device_code or "",
    }
    return _station_page(request, {"station": station, "values": values, "errors": {}})


@router.post("/lines/{line_id:int}/workstations/{station_id:int}/edit")
def station_save(
    request: Request,
    line_id: RowId,
    station_id: RowId,
    values: dict[str, str] = Depends(station_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the workstation, or show its form again with the problems."""
    station = workstations.get(db, scope, line_id, station_id)
    data = _station_in(values)
    problems = workstations.workstation_problems(data)
    errors = problem_errors(request, problems)
    if not problems:
        try:
            workstations.update(db, scope, line_id, station_id, data)
            return RedirectResponse(f"{BASE}/lines/{line_id}#stations", status_code=303)
        except DomainError as exc:
            db.rollback()
            errors = domain_errors(request, exc)
    return _station_page(request, {"station": station, "values": values, "errors": errors}, 422)


@router.get("/lines/{line_id:int}/workstations/{station_id:int}/delete")
def station_confirm_delete(
    request: Request,
    line_id: RowId,
    station_id: RowId,
    scope: Scope = require(DELETE),
    db: Session = DB,
) -> Response:
    """Ask before deleting a workstation."""
    station = workstations.get(db, scope, line_id, station_id)
    return _confirm(request, {"station": station, "line_id": line_id})


@router.post("/lines/{line_id:int}/workstations/{station_id:int}/delete")
def station_delete(
    request: Request,
    line_id: RowId,
    station_id: RowId,
    scope: Scope = require(DELETE),
    db: Session = DB,
) -> Response:
    """Delete the workstation, or say which machine is still placed at it."""
    station = workstations.get(db, scope, line_id, station_id)
    try:
        workstations.delete(db, scope, line_id, station_id)
    except Conflict as exc:
        db.rollback()
        problem = translator(request)(exc.template, **exc.params)
        return _confirm(request, {"station": station, "line_id": line_id, "problem": problem}, 409)
    return RedirectResponse(f"{BASE}/lines/{line_id}#stations", status_code=303)


def _confirm(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(
        request, "masterdata/lines_delete.html", base_context("lines", **context), status=status
    )


@router.get("/lines/{line_id:int}/delete")
def line_confirm_delete(
    request: Request, line_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a line."""
    return _confirm(request, {"line": lines.LineRepository(db, scope).get(line_id)})


@router.post("/lines/{line_id:int}/delete")
def line_delete(
    request: Request, line_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the line, or say what still uses it."""
    line = lines.LineRepository(db, scope).get(line_id)
    try:
        lines.delete(db, scope, line_id)
    except Conflict as exc:
        db.rollback()
        problem = translator(request)(exc.template, **exc.params)
        return _confirm(request, {"line": line, "problem": problem}, 409)
    return RedirectResponse(f"{BASE}/lines", status_code=303)
