"""Pages of the defect catalogue: search, add, edit, delete, the common defects, Excel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.quality.models import CATEGORIES, DEFECT_CLASSES
from loom.apps.quality.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    domain_errors,
    labels,
    locale_of,
    msgid,
    problem_errors,
    xlsx,
)
from loom.apps.quality.permissions import CATALOGUE_WRITE, INSPECTION_READ
from loom.apps.quality.service import catalogue as svc
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.excel.layout import Column, SheetSpec

router = APIRouter()
SHEET = SheetSpec(
    "defects",
    "疵点库",
    msgid("Defect catalogue"),
    (
        Column("code", "疵点代码", msgid("Defect code")),
        Column("name", "疵点名称", msgid("Defect name"), width=24),
        Column("defect_class", "缺陷类别", msgid("Defect class")),
        Column("category", "疵点分类", msgid("Defect category")),
        Column("active", "启用", msgid("In use")),
    ),
)
CLASS_FILTER = Query("", pattern="^(" + "|".join(DEFECT_CLASSES) + ")?$")


@router.get("/defects")
def defects_list(
    request: Request,
    q: str = Query("", max_length=100),
    defect_class: str = CLASS_FILTER,
    offset: int = Query(0, ge=0, le=10_000_000),
    seeded: int | None = Query(None, ge=0, le=1000),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """List the defect catalogue, searched by code or name, by class."""
    page = svc.search(db, scope, q=q, defect_class=defect_class, offset=offset, limit=PAGE_SIZE)
    context = {
        "tab": "defects",
        "page": page,
        "q": q,
        "params": {"defect_class": defect_class},
        "seeded": seeded,
        "can_write": scope.can(CATALOGUE_WRITE),
        **labels(request),
    }
    return render(request, "quality/defects_list.html", context)


@router.get("/defects.xlsx")
def defects_export(
    request: Request, scope: Scope = require(INSPECTION_READ), db: Session = DB
) -> Response:
    """Download the defect catalogue."""
    names = labels(request)
    records: list[dict[str, object]] = [
        {
            "code": d.code,
            "name": d.name,
            "defect_class": names["class_labels"][d.defect_class],
            "category": names["category_labels"].get(d.category, d.category),
            "active": "✓" if d.active else "",
        }
        for d in svc.all_defects(db, scope)
    ]
    content = write_workbook([(SHEET, records)], locale_of(request))
    return xlsx(content, f"defects-{date.today().isoformat()}.xlsx")


@router.post("/defects/common")
def defects_seed(scope: Scope = require(CATALOGUE_WRITE), db: Session = DB) -> Response:
    """Add the common garment defects the catalogue lacks."""
    added = svc.seed_common(db, scope)
    return RedirectResponse(f"{BASE}/defects?seeded={len(added)}", status_code=303)


def defect_form(
    code: str = Form("", max_length=400),
    name: str = Form("", max_length=400),
    defect_class: str = Form("", max_length=40),
    category: str = Form("", max_length=40),
    active: str = Form("", max_length=10),
) -> dict[str, str]:
    """Collect the catalogue form exactly as typed."""
    return {
        "code": code,
        "name": name,
        "defect_class": defect_class,
        "category": category,
        "active": active,
    }


def _form_page(
    request: Request,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    defect_id: int | None,
    status: int = 200,
) -> Response:
    context = {
        "tab": "defects",
        "values": values,
        "errors": errors,
        "defect_id": defect_id,
        "classes": DEFECT_CLASSES,
        "categories": CATEGORIES,
        **labels(request),
    }
    return render(request, "quality/defects_form.html", context, status=status)


def _save(
    request: Request, db: Session, scope: Scope, values: dict[str, str], defect_id: int | None
) -> Response:
    data = svc.DefectIn(
        code=values["code"],
        name=values["name"],
        defect_class=values["defect_class"],
        category=values["category"],
        active=bool(values["active"]),
    )
    problems = svc.defect_problems(data)
    if problems:
        return _form_page(request, values, problem_errors(request, problems), defect_id, 422)
    try:
        if defect_id is None:
            svc.create(db, scope, data)
        else:
            svc.update(db, scope, defect_id, data)
    except DomainError as exc:
        db.rollback()
        return _form_page(request, values, domain_errors(request, exc), defect_id, exc.status_code)
    return RedirectResponse(f"{BASE}/defects", status_code=303)


@router.get("/defects/new")
def defect_new(request: Request, scope: Scope = require(CATALOGUE_WRITE)) -> Response:
    """Show an empty catalogue form."""
    values = {"code": "", "name": "", "defect_class": "major", "category": "sewing", "active": "on"}
    return _form_page(request, values, {}, None)


@router.post("/defects/new")
def defect_create(
    request: Request,
    values: dict[str, str] = Depends(defect_form),
    scope: Scope = require(CATALOGUE_WRITE),
    db: Session = DB,
) -> Response:
    """Add the defect, or show the form again with the problems."""
    return _save(request, db, scope, values, None)


@router.get("/defects/{defect_id:int}/edit")
def defect_edit(
    request: Request, defect_id: RowId, scope: Scope = require(CATALOGUE_WRITE), db: Session = DB
) -> Response:
    """Show the catalogue form filled with the entry."""
    d = svc.DefectRepository(db, scope).get(defect_id)
    values = {
        "code": d.code,
        "name": d.name,
        "defect_class": d.defect_class,
        "category": d.category,
        "active": "on" if d.active else "",
    }
    return _form_page(request, values, {}, d.id)


@router.post("/defects/{defect_id:int}/edit")
def defect_save(
    request: Request,
    defect_id: RowId,
    values: dict[str, str] = Depends(defect_form),
    scope: Scope = require(CATALOGUE_WRITE),
    db: Session = DB,
) -> Response:
    """Save the entry, or show the form again with the problems."""
    svc.DefectRepository(db, scope).get(defect_id)
    return _save(request, db, scope, values, defect_id)


@router.get("/defects/{defect_id:int}/delete")
def defect_confirm_delete(
    request: Request, defect_id: RowId, scope: Scope = require(CATALOGUE_WRITE), db: Session = DB
) -> Response:
    """Ask before deleting a catalogue entry."""
    d = svc.DefectRepository(db, scope).get(defect_id)
    context = {"tab": "defects", "defect": d, "used": svc.usage(db, scope, d)}
    return render(request, "quality/defects_delete.html", context)


@router.post("/defects/{defect_id:int}/delete")
def defect_delete(
    request: Request, defect_id: RowId, scope: Scope = require(CATALOGUE_WRITE), db: Session = DB
) -> Response:
    """Delete the entry, or say why it cannot go."""
    d = svc.DefectRepository(db, scope).get(defect_id)
    try:
        svc.delete(db, scope, defect_id)
    except DomainError as exc:
        db.rollback()
        context = {
            "tab": "defects",
            "defect": d,
            "used": svc.usage(db, scope, d),
            "errors": domain_errors(request, exc),
        }
        return render(request, "quality/defects_delete.html", context, status=exc.status_code)
    return RedirectResponse(f"{BASE}/defects", status_code=303)
