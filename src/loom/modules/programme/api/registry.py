"""JSON API of the programme console: the enterprise registry and its Excel import/export."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import ValidationFailed
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.openapi import download_responses
from loom.kernel.web.pagination import PageOut
from loom.modules.programme.registry import (
    MAX_BYTES,
    SheetRejected,
    error_workbook,
    export_workbook,
    parse_workbook,
    template_workbook,
)
from loom.modules.programme.schemas.registry import (
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    ImportOut,
    LevelIn,
    LinkIn,
    SmartFactoryIn,
)
from loom.modules.programme.service import registry as svc

router = APIRouter(prefix="/registry")
DB = Depends(get_db, scope="function")
READ = "programme.registry.read"
WRITE = "programme.registry.write"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LINKED = {"": None, "yes": True, "no": False}


def filters(
    q: str = Query("", max_length=100),
    sector: str = Query("", max_length=30),
    size: str = Query("", max_length=10),
    town: str = Query("", max_length=40),
    linked: str = Query("", pattern="^(|yes|no)$"),
) -> svc.Filters:
    """Return the list filters of a request (shared by the list and the export)."""
    return svc.Filters(q=q, sector=sector, size=size, town=town, linked=_LINKED[linked])


def xlsx(content: bytes, filename: str) -> Response:
    """Return an Excel download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)


async def read_upload(file: UploadFile) -> bytes:
    """Return an uploaded sheet's bytes, refusing more than the sheet limit without reading on."""
    return await file.read(MAX_BYTES + 1)


def sheet_problem(exc: SheetRejected) -> ValidationFailed:
    """Return the 422 for a file that cannot be read as a registry sheet at all."""
    return ValidationFailed("file: %(problem)s", field="file", params={"problem": str(exc)})


@router.get("", response_model=PageOut[EnterpriseOut])
def list_enterprises(
    chosen: svc.Filters = Depends(filters),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List registry entries by name, searched by name or credit code and filtered."""
    page = svc.EnterpriseRepository(db, scope).listing(chosen, offset=offset, limit=limit)
    return PageOut[EnterpriseOut].of(page, EnterpriseOut)


@router.post("", response_model=EnterpriseOut, status_code=201)
def create_enterprise(body: EnterpriseIn, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Add an enterprise (409 naming credit_code when its code is already in the registry)."""
    return svc.create(db, scope, body.model_dump())


@router.get("/export.xlsx", response_class=Response, responses=download_responses(XLSX))
def export(
    chosen: svc.Filters = Depends(filters),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the (filtered) registry as a sheet the import reads back."""
    entries = svc.EnterpriseRepository(db, scope).matching(chosen)
    return xlsx(export_workbook(svc.rows_of(entries)), f"registry-{date.today().isoformat()}.xlsx")


@router.get("/template.xlsx", response_class=Response, responses=download_responses(XLSX))
def template(scope: Scope = require(WRITE)) -> Response:
    """Download the empty import sheet, with dropdowns and instructions."""
    return xlsx(template_workbook(), "registry-template.xlsx")


@router.post("/import", response_model=ImportOut, status_code=201)
async def import_sheet(
    file: UploadFile = File(...), scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Import a sheet whole; a 422 lists every bad cell by row and column and imports nothing."""
    data = await read_upload(file)
    try:
        outcome = svc.import_workbook(db, scope, data)
    except SheetRejected as exc:
        raise sheet_problem(exc) from exc
    errors = outcome.result.errors
    if errors:
        details = [{"field": f"row {e.row} / {e.column}", "message": e.message} for e in errors]
        raise ValidationFailed(
            "%(count)s problem(s) in the file; nothing was imported",
            details=details,
            params={"count": len(errors)},
        )
    return ImportOut(imported=len(outcome.created), ids=[e.id for e in outcome.created])


@router.post("/import/errors.xlsx", response_class=Response, responses=download_responses(XLSX))
async def import_errors(
    file: UploadFile = File(...), scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Return the uploaded sheet with every problem marked, without importing anything."""
    data = await read_upload(file)
    try:
        result = parse_workbook(data, svc.existing_codes(db, scope))
        marked = error_workbook(data, result.errors)
    except SheetRejected as exc:
        raise sheet_problem(exc) from exc
    return xlsx(marked, "registry-errors.xlsx")


@router.get("/{enterprise_id}", response_model=EnterpriseOut)
def read(enterprise_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one entry (an enterprise organisation reads only its own)."""
    return svc.get(db, scope, enterprise_id)


@router.patch("/{enterprise_id}", response_model=EnterpriseOut)
def update(
    enterprise_id: int, body: EnterprisePatch, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Change some fields of an entry."""
    return svc.update(db, scope, enterprise_id, body.model_dump(exclude_unset=True))


@router.delete("/{enterprise_id}", status_code=204)
def delete(enterprise_id: int, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Delete an entry (409 while applications, a project or survey needs refer to it)."""
    svc.delete(db, scope, enterprise_id)
    return Response(status_code=204)


@router.put("/{enterprise_id}/link", response_model=EnterpriseOut)
def link(enterprise_id: int, body: LinkIn, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Link an entry to its enterprise organisation in Loom."""
    return svc.link(db, scope, enterprise_id, body.org_id)


@router.delete("/{enterprise_id}/link", response_model=EnterpriseOut)
def unlink(enterprise_id: int, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Undo an entry's link to an enterprise organisation."""
    return svc.unlink(db, scope, enterprise_id)


@router.put("/{enterprise_id}/level", response_model=EnterpriseOut)
def record_level(
    enterprise_id: int, body: LevelIn, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Record a digital level assessed outside Loom."""
    return svc.record_level(
        db, scope, enterprise_id, level=body.level, assessed_on=body.assessed_on
    )


@router.put("/{enterprise_id}/smart-factory", response_model=EnterpriseOut)
def smart_factory(
    enterprise_id: int, body: SmartFactoryIn, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Record (or clear) the date an entry was named a digital workshop or smart factory."""
    return svc.mark_smart_factory(db, scope, enterprise_id, body.named_on)
