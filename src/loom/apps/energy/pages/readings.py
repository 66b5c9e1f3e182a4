"""Pages of the readings: a meter's readings with the entry form, deletion and file upload."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.energy.models import EnergyMeter
from loom.apps.energy.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    base_context,
    domain_errors,
    lines_of,
    locale_of,
    machines_of,
    problem_errors,
    translator,
    xlsx,
)
from loom.apps.energy.permissions import READ, READING_DELETE, READING_WRITE
from loom.apps.energy.service import meters, readings, upload
from loom.apps.energy.service.export import workbook
from loom.apps.energy.service.numbers import from_e4, parse_decimal
from loom.apps.energy.service.readings import ReadingIn, ReadingRefused
from loom.apps.energy.service.times import local_text, parse_day, parse_local_time
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()
READING_FIELDS = ("at", "value", "event", "old_final", "period_start", "period_end", "note")


def reading_form(
    at: str = Form("", max_length=40),
    value: str = Form("", max_length=40),
    event: str = Form("", max_length=20),
    old_final: str = Form("", max_length=40),
    period_start: str = Form("", max_length=40),
    period_end: str = Form("", max_length=40),
    note: str = Form("", max_length=1000),
) -> dict[str, str]:
    """Collect the reading form exactly as typed."""
    return {
        "at": at,
        "value": value,
        "event": event,
        "old_final": old_final,
        "period_start": period_start,
        "period_end": period_end,
        "note": note,
    }


def detail_page(
    request: Request,
    db: Session,
    scope: Scope,
    meter: EnergyMeter,
    offset: int = 0,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
    **more: object,
) -> Response:
    """Render a meter with its readings (newest first) and the form for the next one."""
    page = readings.page_of(db, scope, meter.id, offset=offset, limit=PAGE_SIZE)
    line = {x.id: x for x in lines_of(db, scope)}.get(meter.line_id or 0)
    machine = {x.id: x for x in machines_of(db, scope)}.get(meter.machine_id or 0)
    context = base_context(
        request,
        "meters",
        meter=meter,
        line=line,
        machine=machine,
        page=page,
        values=values or dict.fromkeys(READING_FIELDS, ""),
        errors=errors or {},
        from_e4=from_e4,
        local_text=local_text,
        can_write=scope.can(READING_WRITE),
        can_delete=scope.can(READING_DELETE),
        **more,
    )
    return render(request, "energy/meter_detail.html", context, status=status)


@router.get("/meters/{meter_id:int}")
def meter_detail(
    request: Request,
    meter_id: RowId,
    offset: int = Query(0, ge=0, le=10_000_000),
    saved: int = Query(0, ge=0, le=1),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show a meter, its readings and (to those who may) the form for a new reading."""
    meter = meters.MeterRepository(db, scope).get(meter_id)
    return detail_page(request, db, scope, meter, offset, saved=bool(saved))


@router.post("/meters/{meter_id:int}/readings")
def reading_create(
    request: Request,
    meter_id: RowId,
    values: dict[str, str] = Depends(reading_form),
    scope: Scope = require(READING_WRITE),
    db: Session = DB,
) -> Response:
    """Record a reading and show the meter, or the form again naming each bad field."""
    meter = meters.MeterRepository(db, scope).get(meter_id)
    data = ReadingIn(
        at=parse_local_time(values["at"]),
        value=parse_decimal(values["value"]),
        event=values["event"],
        old_final=parse_decimal(values["old_final"]),
        period_start=parse_day(values["period_start"]),
        period_end=parse_day(values["period_end"]),
        note=values["note"],
    )
    try:
        readings.add(db, scope, meter.id, data)
    except ReadingRefused as exc:
        db.rollback()
        errors = problem_errors(request, exc.problems)
        meter = meters.MeterRepository(db, scope).get(meter_id)
        return detail_page(request, db, scope, meter, 0, values, errors, 422)
    except DomainError as exc:
        db.rollback()
        meter = meters.MeterRepository(db, scope).get(meter_id)
        errors = domain_errors(request, exc)
        return detail_page(request, db, scope, meter, 0, values, errors, exc.status_code)
    return RedirectResponse(f"{BASE}/meters/{meter_id}?saved=1", status_code=303)


@router.get("/meters/{meter_id:int}/readings.xlsx")
def readings_export(
    request: Request, meter_id: RowId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download a meter's readings as an Excel workbook (the upload's columns)."""
    meter = meters.MeterRepository(db, scope).get(meter_id)
    gettext = translator(request)
    page = readings.page_of(db, scope, meter.id, offset=0, limit=1_000_000)
    headings = [upload.COLUMNS[k][0] for k in upload.COLUMNS] + [gettext("Reading source")]
    rows = [
        (
            meter.code,
            local_text(r.read_at) if meter.mode == "register" else "",
            float(from_e4(r.value_e4) or 0),
            r.event,
            float(from_e4(r.old_final_e4) or 0) if r.old_final_e4 is not None else "",
            r.period_start.isoformat() if r.period_start else "",
            r.period_end.isoformat() if r.period_end else "",
            r.note,
            r.source,
        )
        for r in reversed(page.items)
    ]
    content = workbook(meter.code, headings, rows)
    return xlsx(content, f"energy-readings-{meter.code}-{date.today().isoformat()}.xlsx")


@router.get("/readings/{reading_id:int}/delete")
def reading_confirm_delete(
    request: Request, reading_id: RowId, scope: Scope = require(READING_DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a reading."""
    row = readings.ReadingRepository(db, scope).get(reading_id)
    meter = meters.MeterRepository(db, scope).get(row.meter_id)
    context = base_context(
        request, "meters", reading=row, meter=meter, from_e4=from_e4, local_text=local_text
    )
    return render(request, "energy/reading_delete.html", context)


@router.post("/readings/{reading_id:int}/delete")
def reading_delete(
    request: Request, reading_id: RowId, scope: Scope = require(READING_DELETE), db: Session = DB
) -> Response:
    """Delete the reading and go back to its meter, or say why it must stay."""
    row = readings.ReadingRepository(db, scope).get(reading_id)
    meter_id = row.meter_id
    try:
        readings.delete(db, scope, reading_id)
    except DomainError as exc:
        db.rollback()
        meter = meters.MeterRepository(db, scope).get(meter_id)
        problem = translator(request)(exc.template, **exc.params)
        return detail_page(request, db, scope, meter, 0, None, {"form": problem}, exc.status_code)
    return RedirectResponse(f"{BASE}/meters/{meter_id}", status_code=303)


def _upload_page(request: Request, status: int = 200, **more: object) -> Response:
    context = base_context(request, "upload", columns=upload.COLUMNS, max_mb=5, **more)
    return render(request, "energy/upload.html", context, status=status)


@router.get("/upload")
def upload_page(request: Request, scope: Scope = require(READING_WRITE)) -> Response:
    """Show how to upload readings from Excel or CSV, with the template."""
    return _upload_page(request)


@router.get("/upload/template.xlsx")
def upload_template(request: Request, scope: Scope = require(READING_WRITE)) -> Response:
    """Download the empty readings template (headings and one example row)."""
    headings = [names[0] for names in upload.COLUMNS.values()]
    example = ("E-01", "2026-03-01 08:00", 12345.6, "", "", "", "", "")
    return xlsx(workbook("readings", headings, [example]), "energy-readings-template.xlsx")


@router.post("/upload")
async def upload_file(
    request: Request,
    file: UploadFile = File(...),
    scope: Scope = require(READING_WRITE),
    db: Session = DB,
) -> Response:
    """Store the file's good rows and list each bad one with its row and field."""
    gettext = translator(request)
    data = await file.read(upload.MAX_BYTES + 1)
    name = file.filename or "readings"
    try:
        result = upload.import_rows(db, scope, name, upload.read_rows(name, data))
    except DomainError as exc:
        db.rollback()
        return _upload_page(
            request, exc.status_code, filename=name, refused=gettext(exc.template, **exc.params)
        )
    english = locale_of(request) != "zh_CN"

    def column(key: str) -> str:
        names = upload.COLUMNS.get(key)
        return names[int(english)] if names else key

    shown = [
        {"row": p.row, "field": column(p.field), "message": gettext(p.template, **p.params)}
        for p in result.rejected
    ]
    return _upload_page(
        request,
        200,
        filename=name,
        accepted=result.accepted,
        problems=shown,
        done=True,
    )
