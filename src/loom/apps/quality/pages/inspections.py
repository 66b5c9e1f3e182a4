"""Pages of inline and end-of-line inspections: the list, the form, one inspection, delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.quality.engine.dhu import dhu
from loom.apps.quality.models import KINDS
from loom.apps.quality.pages.common import (
    BASE,
    DB,
    EXPORT_LIMIT,
    PAGE_SIZE,
    RowId,
    domain_errors,
    labels,
    locale_of,
    msgid,
    optional_id,
    problem_errors,
    whole,
    xlsx,
)
from loom.apps.quality.permissions import INSPECTION_DELETE, INSPECTION_READ, INSPECTION_WRITE
from loom.apps.quality.service import catalogue, views
from loom.apps.quality.service import inspections as svc
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.excel.layout import Column, SheetSpec
from loom.modules.masterdata.models import Operation, Operator, ProductionLine

router = APIRouter()
#: defect rows the form offers; an inspection with more is recorded through the API
FORM_ROWS = 6
KIND_FILTER = Query("", pattern="^(inline|endline)?$")
SHEET = SheetSpec(
    "inspections",
    "质量检验",
    msgid("Quality inspections"),
    (
        Column("inspected_at", "检验时间", msgid("Inspected at"), width=18),
        Column("kind", "检验类型", msgid("Inspection type"), width=14),
        Column("line", "产线", msgid("Line code")),
        Column("operation", "工序", msgid("Operation"), width=20),
        Column("operator", "员工", msgid("Operator"), width=18),
        Column("bundle", "扎号", msgid("Bundle no.")),
        Column("order", "订单号", msgid("Order number")),
        Column("pieces", "抽检件数", msgid("Pieces checked")),
        Column("defects", "疵点数", msgid("Defects")),
        Column("defective", "次品件数", msgid("Defective pieces")),
        Column("dhu", "DHU", msgid("DHU")),
        Column("codes", "疵点明细", msgid("Defects by code"), width=30),
        Column("inspector", "检验员", msgid("Inspector"), width=16),
    ),
)


def choices(db: Session, scope: Scope) -> dict[str, Any]:
    """Return the lines, operations, operators and active defects the forms offer."""

    def rows(model: Any) -> list[Any]:
        stmt = select(model).where(model.org_id == scope.org_id).order_by(model.code)
        return list(db.scalars(stmt))

    return {
        "lines": rows(ProductionLine),
        "operations": rows(Operation),
        "operators": rows(Operator),
        "defect_types": catalogue.all_defects(db, scope, active_only=True),
    }


@router.get("/inspections")
def inspections_list(
    request: Request,
    q: str = Query("", max_length=100),
    kind: str = KIND_FILTER,
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """List inspections, the latest first, searched by operator or bundle number."""
    page = views.search(db, scope, q=q, kind=kind, line_id=line_id, offset=offset, limit=PAGE_SIZE)
    params = {"kind": kind, "line_id": line_id or ""}
    context = {
        "tab": "inspections",
        "page": page,
        "q": q,
        "params": params,
        "export_query": {"q": q, **params},
        "names": views.names_of(db, scope, page.items),
        "counts": views.defect_counts(db, scope, [r.id for r in page.items]),
        "dhu": dhu,
        "lines": choices(db, scope)["lines"],
        "can_write": scope.can(INSPECTION_WRITE),
        **labels(request),
    }
    return render(request, "quality/inspections_list.html", context)


@router.get("/inspections.xlsx")
def inspections_export(
    request: Request,
    q: str = Query("", max_length=100),
    kind: str = KIND_FILTER,
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """Download the filtered inspections as an Excel sheet."""
    page = views.search(db, scope, q=q, kind=kind, line_id=line_id, offset=0, limit=200)
    rows = list(page.items)
    offset = len(rows)
    while offset < min(page.total, EXPORT_LIMIT):
        more = views.search(db, scope, q=q, kind=kind, line_id=line_id, offset=offset, limit=200)
        rows += more.items
        offset += len(more.items) or 1
    shown = views.names_of(db, scope, rows)
    counts = views.defect_counts(db, scope, [r.id for r in rows])
    kinds = labels(request)["kind_labels"]
    records: list[dict[str, object]] = [
        {
            "inspected_at": r.inspected_at.strftime("%Y-%m-%d %H:%M"),
            "kind": kinds[r.kind],
            "line": shown.line(r.line_id),
            "operation": shown.operation(r.operation_id),
            "operator": shown.operator(r.operator_id),
            "bundle": shown.bundle(r.bundle_id),
            "order": shown.order(r.order_id),
            "pieces": r.pieces_checked,
            "defects": r.defects_total,
            "defective": r.defective_pieces,
            "dhu": str(dhu(r.defects_total, r.pieces_checked)),
            "codes": ", ".join(f"{c}×{n}" for c, n in counts.get(r.id, {}).items()),
            "inspector": r.inspector,
        }
        for r in rows
    ]
    content = write_workbook([(SHEET, records)], locale_of(request))
    return xlsx(content, f"inspections-{date.today().isoformat()}.xlsx")


def _blank(kind: str) -> dict[str, str]:
    values = dict.fromkeys(
        (
            "line_id",
            "operation_id",
            "operator_id",
            "bundle_no",
            "pieces_checked",
            "defective_pieces",
            "note",
        ),
        "",
    )
    values["kind"] = kind
    for i in range(FORM_ROWS):
        values |= {f"code_{i}": "", f"qty_{i}": "", f"op_{i}": ""}
    return values


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "tab": "inspections",
        "values": values,
        "errors": errors,
        "rows": range(FORM_ROWS),
        **choices(db, scope),
        **labels(request),
    }
    return render(request, "quality/inspections_form.html", context, status=status)


@router.get("/inspections/new")
def inspection_new(
    request: Request,
    kind: str = Query("inline", pattern="^(inline|endline)$"),
    scope: Scope = require(INSPECTION_WRITE),
    db: Session = DB,
) -> Response:
    """Show an empty inspection form of the kind asked for."""
    return _form_page(request, db, scope, _blank(kind), {})


def _input(values: dict[str, str]) -> svc.InspectionIn:
    defects: list[svc.DefectCount] = []
    for i in range(FORM_ROWS):
        code, qty = values[f"code_{i}"].strip(), values[f"qty_{i}"].strip()
        if not code and not qty:
            continue
        defects.append(svc.DefectCount(code, whole(qty), optional_id(values[f"op_{i}"])))
    bundle = values["bundle_no"].strip()
    defective = values["defective_pieces"].strip()
    return svc.InspectionIn(
        kind=values["kind"],
        line_id=optional_id(values["line_id"]),
        pieces_checked=whole(values["pieces_checked"]),
        defects=tuple(defects),
        operation_id=optional_id(values["operation_id"]),
        operator_id=optional_id(values["operator_id"]),
        bundle_no=whole(bundle) if bundle else None,
        defective_pieces=whole(defective) if defective else None,
        note=values["note"],
    )


def _row_errors(values: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """Return the errors with "defects[k]" renamed to the form row it came from."""
    filled = [
        i for i in range(FORM_ROWS) if values[f"code_{i}"].strip() or values[f"qty_{i}"].strip()
    ]
    renamed: dict[str, str] = {}
    for key, text in errors.items():
        if key.startswith("defects[") and "]" in key:
            index = int(key[8 : key.index("]")])
            part = key[key.index("]") + 2 :] or "code"
            field = {"code": "code", "qty": "qty", "operation_id": "op"}.get(part, "code")
            key = f"{field}_{filled[index]}" if index < len(filled) else "defects"
        renamed[key] = f"{renamed[key]}; {text}" if key in renamed else text
    return renamed


@router.post("/inspections/new")
async def inspection_create(
    request: Request, scope: Scope = require(INSPECTION_WRITE), db: Session = DB
) -> Response:
    """Record the inspection, or show the form again with every bad field named."""
    form = await request.form()
    kind = str(form.get("kind", ""))
    values = {key: str(form.get(key, ""))[:500] for key in _blank(kind)}
    values["kind"] = kind if kind in KINDS else "inline"
    data = _input(values)
    _got, problems = svc.resolve(db, scope, data)
    if problems:
        errors = _row_errors(values, problem_errors(request, problems))
        return _form_page(request, db, scope, values, errors, 422)
    try:
        row = svc.create(db, scope, data)
    except DomainError as exc:
        db.rollback()
        return _form_page(request, db, scope, values, domain_errors(request, exc), exc.status_code)
    return RedirectResponse(f"{BASE}/inspections/{row.id}", status_code=303)


@router.get("/inspections/{inspection_id:int}")
def inspection_detail(
    request: Request,
    inspection_id: RowId,
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """Show an inspection with its defects traced to bundle, operation and operator."""
    found = views.detail(db, scope, inspection_id)
    row = found.inspection
    context = {
        "tab": "inspections",
        "d": found,
        "row": row,
        "n": found.names,
        "dhu": dhu(row.defects_total, row.pieces_checked),
        "can_delete": scope.can(INSPECTION_DELETE),
        **labels(request),
    }
    return render(request, "quality/inspection_detail.html", context)


@router.get("/inspections/{inspection_id:int}/delete")
def inspection_confirm_delete(
    request: Request,
    inspection_id: RowId,
    scope: Scope = require(INSPECTION_DELETE),
    db: Session = DB,
) -> Response:
    """Ask before deleting an inspection."""
    found = views.detail(db, scope, inspection_id)
    context = {"tab": "inspections", "row": found.inspection, "n": found.names, **labels(request)}
    return render(request, "quality/inspection_delete.html", context)


@router.post("/inspections/{inspection_id:int}/delete")
def inspection_delete(
    inspection_id: RowId, scope: Scope = require(INSPECTION_DELETE), db: Session = DB
) -> Response:
    """Delete the inspection."""
    svc.delete(db, scope, inspection_id)
    return RedirectResponse(f"{BASE}/inspections", status_code=303)
