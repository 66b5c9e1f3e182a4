"""Pages of the meters: list, Excel export, add, edit and delete with confirmation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import KINDS
from loom.apps.energy.models import EnergyMeter
from loom.apps.energy.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    base_context,
    domain_errors,
    kind_options,
    labels,
    lines_of,
    machines_of,
    problem_errors,
    translator,
    xlsx,
)
from loom.apps.energy.permissions import METER_DELETE, METER_WRITE, READ, READING_WRITE
from loom.apps.energy.service import meters
from loom.apps.energy.service.export import workbook
from loom.apps.energy.service.numbers import from_e4, parse_decimal
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.lines import line_ids
from loom.modules.masterdata.service.machines import MachineRepository

router = APIRouter()
FIELDS: tuple[str, ...] = ("code", "name", "kind", "attached_to", "line_id", "machine_id")
FIELDS += ("main", "mode", "multiplier", "rollover_at", "active", "note")


@router.get("/meters")
def meters_list(
    request: Request,
    q: str = Query("", max_length=100),
    kind: str = Query("", max_length=40),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the meters, searched by code, name or note, by kind."""
    chosen = kind if kind in KINDS else ""
    page = meters.search(db, scope, q=q, kind=chosen, offset=offset, limit=PAGE_SIZE)
    context = base_context(
        request,
        "meters",
        page=page,
        q=q,
        params={"kind": chosen},
        kinds=kind_options(request),
        line_codes={line.id: line.code for line in lines_of(db, scope)},
        machine_codes={m.id: m.code for m in machines_of(db, scope)},
        can_write=scope.can(METER_WRITE),
        can_delete=scope.can(METER_DELETE),
        can_read_in=scope.can(READING_WRITE),
        from_e4=from_e4,
    )
    return render(request, "energy/meters_list.html", context)


@router.get("/meters.xlsx")
def meters_export(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Download the meters as an Excel workbook."""
    gettext = translator(request)
    names = labels(request)
    lines = {line.id: line.code for line in lines_of(db, scope)}
    machines = {m.id: m.code for m in machines_of(db, scope)}
    headings = [
        gettext(h)
        for h in (
            "Meter code",
            "Name",
            "Kind",
            "Unit",
            "Attached to",
            "Line",
            "Machine",
            "Main meter",
            "Reading mode",
            "Multiplier",
            "Rolls over at",
            "Note",
        )
    ]
    rows = [
        (
            m.code,
            m.name,
            names["kind"][m.kind],
            KINDS[m.kind].unit,
            names["attached"][m.attached_to],
            lines.get(m.line_id or 0, ""),
            machines.get(m.machine_id or 0, ""),
            gettext("yes") if m.main else gettext("no"),
            names["mode"][m.mode],
            float(from_e4(m.multiplier_e4) or 1),
            float(from_e4(m.rollover_at_e4) or 0) or "",
            m.note,
        )
        for m in meters.all_meters(db, scope)
    ]
    content = workbook(gettext("Meters"), headings, rows)
    return xlsx(content, f"energy-meters-{date.today().isoformat()}.xlsx")


def meter_form(
    code: str = Form("", max_length=400),
    name: str = Form("", max_length=1000),
    kind: str = Form("", max_length=40),
    attached_to: str = Form("factory", max_length=20),
    line_id: str = Form("", max_length=20),
    machine_id: str = Form("", max_length=20),
    main: str = Form("", max_length=10),
    mode: str = Form("register", max_length=20),
    multiplier: str = Form("1", max_length=40),
    rollover_at: str = Form("", max_length=40),
    active: str = Form("", max_length=10),
    note: str = Form("", max_length=1000),
) -> dict[str, str]:
    """Collect the meter form exactly as typed."""
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "attached_to": attached_to,
        "line_id": line_id,
        "machine_id": machine_id,
        "main": main,
        "mode": mode,
        "multiplier": multiplier,
        "rollover_at": rollover_at,
        "active": active,
        "note": note,
    }


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    meter_id: int | None,
    status: int = 200,
) -> Response:
    context = base_context(
        request,
        "meters",
        values=values,
        errors=errors,
        meter_id=meter_id,
        kinds=kind_options(request),
        lines=lines_of(db, scope),
        machines=machines_of(db, scope),
    )
    return render(request, "energy/meters_form.html", context, status=status)


def _id(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    # -1 is no row's id, so the service names the field
    return int(text) if text.isdigit() and len(text) < 10 else -1


def _input(values: dict[str, str]) -> tuple[meters.MeterIn, list[FieldProblem]]:
    found: list[FieldProblem] = []
    multiplier = parse_decimal(values["multiplier"])
    if multiplier is None:
        found.append(FieldProblem("multiplier", "a number is expected here"))
    rollover = parse_decimal(values["rollover_at"])
    if values["rollover_at"].strip() and rollover is None:
        found.append(FieldProblem("rollover_at", "a number is expected here"))
    data = meters.MeterIn(
        code=values["code"],
        name=values["name"],
        kind=values["kind"],
        attached_to=values["attached_to"],
        line_id=_id(values["line_id"]) if values["attached_to"] == "line" else None,
        machine_id=_id(values["machine_id"]) if values["attached_to"] == "machine" else None,
        main=bool(values["main"]),
        mode=values["mode"],
        multiplier=multiplier,
        rollover_at=rollover,
        active=bool(values["active"]),
        note=values["note"],
    )
    return data, found


def _save(
    request: Request, db: Session, scope: Scope, values: dict[str, str], meter_id: int | None
) -> Response:
    data, found = _input(values)
    machine = None
    if data.machine_id is not None:
        stmt = MachineRepository(db, scope).select().where(Machine.id == data.machine_id)
        machine = db.scalars(stmt).first()
    wanted = {data.line_id} if data.line_id is not None else set()
    problems, _m, _r = meters.meter_problems(data, line_ids(db, scope, wanted), machine)
    # a blank multiplier is reported once, by the form
    found += [p for p in problems if p.field not in {f.field for f in found}]
    if found:
        errors = problem_errors(request, found)
        return _form_page(request, db, scope, values, errors, meter_id, 422)
    try:
        if meter_id is None:
            meter_id = meters.create(db, scope, data).id
        else:
            meters.update(db, scope, meter_id, data)
    except DomainError as exc:
        db.rollback()
        errors = domain_errors(request, exc)
        return _form_page(request, db, scope, values, errors, meter_id, exc.status_code)
    return RedirectResponse(f"{BASE}/meters/{meter_id}", status_code=303)


@router.get("/meters/new")
def meter_new(request: Request, scope: Scope = require(METER_WRITE), db: Session = DB) -> Response:
    """Show an empty meter form."""
    values = dict.fromkeys(FIELDS, "") | {
        "kind": "electricity",
        "attached_to": "factory",
        "mode": "register",
        "multiplier": "1",
        "main": "on",
        "active": "on",
    }
    return _form_page(request, db, scope, values, {}, None)


@router.post("/meters/new")
def meter_create(
    request: Request,
    values: dict[str, str] = Depends(meter_form),
    scope: Scope = require(METER_WRITE),
    db: Session = DB,
) -> Response:
    """Add the meter and show it, or show the form again naming every bad field."""
    return _save(request, db, scope, values, None)


def _values(m: EnergyMeter) -> dict[str, str]:
    rollover = from_e4(m.rollover_at_e4)
    return {
        "code": m.code,
        "name": m.name,
        "kind": m.kind,
        "attached_to": m.attached_to,
        "line_id": str(m.line_id or ""),
        "machine_id": str(m.machine_id or ""),
        "main": "on" if m.main else "",
        "mode": m.mode,
        "multiplier": f"{from_e4(m.multiplier_e4):f}".rstrip("0").rstrip("."),
        "rollover_at": "" if rollover is None else f"{rollover:f}".rstrip("0").rstrip("."),
        "active": "on" if m.active else "",
        "note": m.note,
    }


@router.get("/meters/{meter_id:int}/edit")
def meter_edit(
    request: Request, meter_id: RowId, scope: Scope = require(METER_WRITE), db: Session = DB
) -> Response:
    """Show the meter form filled with the meter."""
    meter = meters.MeterRepository(db, scope).get(meter_id)
    return _form_page(request, db, scope, _values(meter), {}, meter.id)


@router.post("/meters/{meter_id:int}/edit")
def meter_save(
    request: Request,
    meter_id: RowId,
    values: dict[str, str] = Depends(meter_form),
    scope: Scope = require(METER_WRITE),
    db: Session = DB,
) -> Response:
    """Save the meter, or show the form again naming every bad field."""
    meters.MeterRepository(db, scope).get(meter_id)
    return _save(request, db, scope, values, meter_id)


@router.get("/meters/{meter_id:int}/delete")
def meter_confirm_delete(
    request: Request, meter_id: RowId, scope: Scope = require(METER_DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a meter with its readings."""
    meter = meters.MeterRepository(db, scope).get(meter_id)
    count = meters.reading_count(db, scope, meter.id)
    context = base_context(request, "meters", meter=meter, readings=count)
    return render(request, "energy/meters_delete.html", context)


@router.post("/meters/{meter_id:int}/delete")
def meter_delete(
    meter_id: RowId, scope: Scope = require(METER_DELETE), db: Session = DB
) -> Response:
    """Delete the meter with its readings."""
    meters.delete(db, scope, meter_id)
    return RedirectResponse(f"{BASE}/meters", status_code=303)
