"""Pages of the Excel exchange: the whole-workbook import, templates and the full export."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import NotFound
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import (
    MAX_BYTES,
    SHEETS,
    CellError,
    SheetRejected,
    template_workbook,
    write_workbook,
)
from loom.modules.masterdata.pages.common import (
    DB,
    KIND_LABELS,
    base_context,
    locale_of,
    machine_options,
    msgid,
    translator,
    xlsx,
)
from loom.modules.masterdata.service import sheets
from loom.modules.masterdata.service.bom import KINDS, UNITS
from loom.modules.masterdata.service.operations import MACHINE_TYPES

router = APIRouter()
READ = "masterdata.style.read"
#: an import may touch styles, operations and rates: it needs every one of these
WRITES = ("masterdata.style.write", "masterdata.operation.write", "masterdata.rate.write")
CHOICES = {"machine_type": list(MACHINE_TYPES), "kind": list(KINDS), "unit": list(UNITS)}
COUNT_LABELS = {
    "styles_created": msgid("Styles added"),
    "styles_updated": msgid("Styles checked or updated"),
    "operations_created": msgid("Operations added"),
    "operations_updated": msgid("Operations checked or updated"),
    "rates_added": msgid("Piece-rate versions added"),
    "routings_set": msgid("Routings replaced"),
    "boms_set": msgid("BOMs replaced"),
}


def _page(request: Request, scope: Scope, status: int = 200, **more: Any) -> Response:
    context = base_context(
        "import",
        sheets=SHEETS,
        max_mb=MAX_BYTES // (1024 * 1024),
        can_import=all(scope.can(p) for p in WRITES),
        **more,
    )
    return render(request, "masterdata/import.html", context, status=status)


@router.get("/import")
def import_page(request: Request, scope: Scope = require(READ)) -> Response:
    """Show the templates, the full export and (to editors) the upload form."""
    return _page(request, scope)


def _shown(request: Request, errors: list[CellError]) -> list[dict[str, object]]:
    gettext = translator(request)
    return [
        {
            "sheet": e.sheet,
            "row": e.row or "",
            "column": f"{e.column} {e.header}".strip(),
            "message": gettext(e.template, **e.params),
        }
        for e in errors
    ]


@router.post("/import")
async def import_upload(
    request: Request,
    file: UploadFile = File(...),
    scope: Scope = require(WRITES[0]),
    db: Session = DB,
) -> Response:
    """Import a clean workbook whole, or nothing and every bad cell by sheet, row and column."""
    gettext = translator(request)
    filename = file.filename or ""
    if not all(scope.can(p) for p in WRITES):
        refusal = gettext(msgid("Importing needs the right to edit styles, operations and rates."))
        return _page(request, scope, 403, rejected=refusal, filename=filename)
    data = await file.read(MAX_BYTES + 1)
    try:
        outcome = sheets.import_workbook(db, scope, data)
    except SheetRejected as exc:
        rejected = gettext(exc.template, **exc.params)
        return _page(request, scope, 422, rejected=rejected, filename=filename)
    if outcome.errors:
        db.rollback()  # a service may have flushed before refusing: keep nothing
        return _page(request, scope, 422, errors=_shown(request, outcome.errors), filename=filename)
    counts = [(gettext(label), outcome.counts.get(key, 0)) for key, label in COUNT_LABELS.items()]
    if not any(n for _label, n in counts):
        empty = gettext(msgid("The workbook has no rows to import."))
        return _page(request, scope, 422, rejected=empty, filename=filename)
    return _page(request, scope, done=counts, filename=filename)


@router.get("/template/{sheet}.xlsx")
def template_download(request: Request, sheet: str, scope: Scope = require(READ)) -> Response:
    """Download an empty sheet (or all four) to fill in; it holds no time data."""
    chosen = [s for s in SHEETS if sheet in {s.key, "all"}]
    if not chosen:
        raise NotFound("no such template")
    gettext = translator(request)
    labels = {
        gettext(msgid("Machine types")): machine_options(request),
        gettext(msgid("BOM kinds")): [(k, gettext(v)) for k, v in KIND_LABELS.items()],
        gettext(msgid("Units")): [(unit, "") for unit in UNITS],
    }
    content = template_workbook(chosen, locale_of(request), gettext, CHOICES, labels)
    return xlsx(content, f"masterdata-template-{sheet}.xlsx")


@router.get("/export.xlsx")
def export_all(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Download styles, operations with current rates, routings and BOMs in one workbook."""
    keys = [s.key for s in SHEETS]
    records = sheets.export_sheets(db, scope, keys, date.today())
    content = write_workbook(records, locale_of(request), CHOICES)
    return xlsx(content, f"masterdata-{date.today().isoformat()}.xlsx")
