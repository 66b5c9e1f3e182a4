"""Pages of spot-inspection checklists: one per machine type, with its items."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import InspectionTemplate
from loom.apps.equipment.pages.maintenance_common import (
    BASE,
    DB,
    DELETE,
    READ,
    WRITE,
    RowId,
    context,
    gettext_of,
    lines_of,
    problem_errors,
)
from loom.apps.equipment.service import maintenance_checklists as checklists
from loom.apps.equipment.service.maintenance_common import TemplateRepository, factory_today
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()


@router.get("/maintenance/checklists")
def checklist_list(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """List the spot-inspection checklists by machine type."""
    extra = {"templates": checklists.templates(db, scope)}
    page = context(request, db, scope, "checklists", factory_today(), **extra)
    return render(request, "equipment/maintenance_checklists.html", page)


def checklist_form(
    machine_type: str = Form("", max_length=100),
    name: str = Form("", max_length=400),
    frequency: str = Form("daily", max_length=20),
    items: str = Form("", max_length=10_000),
) -> dict[str, str]:
    """Collect the checklist form exactly as typed."""
    return {"machine_type": machine_type, "name": name, "frequency": frequency, "items": items}


def _checklist_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    template_id: int | None,
    status: int = 200,
) -> Response:
    extra = {"values": values, "errors": errors, "template_id": template_id}
    page = context(request, db, scope, "checklists", factory_today(), **extra)
    return render(request, "equipment/maintenance_checklist_form.html", page, status=status)


def _save_checklist(
    request: Request, db: Session, scope: Scope, values: dict[str, str], template_id: int | None
) -> Response:
    data = checklists.TemplateIn(
        machine_type=values["machine_type"],
        name=values["name"],
        frequency=values["frequency"],
        items=lines_of(values["items"]),
    )
    found = checklists.template_problems(data)
    if found:
        errors = problem_errors(request, found)
        return _checklist_page(request, db, scope, values, errors, template_id, 422)
    try:
        if template_id is None:
            checklists.create_template(db, scope, data)
        else:
            checklists.update_template(db, scope, template_id, data)
    except DomainError as exc:
        db.rollback()
        errors = {exc.field or "form": gettext_of(request)(exc.template, **exc.params)}
        return _checklist_page(request, db, scope, values, errors, template_id, exc.status_code)
    return RedirectResponse(f"{BASE}/checklists", status_code=303)


@router.get("/maintenance/checklists/new")
def checklist_new(request: Request, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Show an empty checklist form."""
    values = {"machine_type": "lockstitch", "name": "", "frequency": "daily", "items": ""}
    return _checklist_page(request, db, scope, values, {}, None)


@router.post("/maintenance/checklists/new")
def checklist_create(
    request: Request,
    values: dict[str, str] = Depends(checklist_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the checklist, or show the form again naming each bad field."""
    return _save_checklist(request, db, scope, values, None)


def _checklist_values(row: InspectionTemplate) -> dict[str, str]:
    return {
        "machine_type": row.machine_type,
        "name": row.name,
        "frequency": row.frequency,
        "items": "\n".join(row.items),
    }


@router.get("/maintenance/checklists/{template_id:int}/edit")
def checklist_edit(
    request: Request, template_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the checklist form filled with the checklist."""
    row = TemplateRepository(db, scope).get(template_id)
    return _checklist_page(request, db, scope, _checklist_values(row), {}, row.id)


@router.post("/maintenance/checklists/{template_id:int}/edit")
def checklist_save(
    request: Request,
    template_id: RowId,
    values: dict[str, str] = Depends(checklist_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the checklist, or show the form again naming each bad field."""
    TemplateRepository(db, scope).get(template_id)
    return _save_checklist(request, db, scope, values, template_id)


@router.get("/maintenance/checklists/{template_id:int}/delete")
def checklist_confirm_delete(
    request: Request, template_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a checklist."""
    row = TemplateRepository(db, scope).get(template_id)
    extra = {
        "question": gettext_of(request)(
            "Delete checklist %(name)s? This cannot be undone.", name=row.name
        ),
        "action": f"{BASE}/checklists/{row.id}/delete",
        "back": f"{BASE}/checklists",
        "error": "",
    }
    page = context(request, db, scope, "checklists", factory_today(), **extra)
    return render(request, "equipment/maintenance_delete.html", page)


@router.post("/maintenance/checklists/{template_id:int}/delete")
def checklist_delete(
    request: Request, template_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the checklist, or say why it stays."""
    try:
        checklists.delete_template(db, scope, template_id)
    except DomainError as exc:
        db.rollback()
        TemplateRepository(db, scope).get(template_id)  # another tenant's: 404, not a message
        extra = {
            "question": "",
            "action": "",
            "back": f"{BASE}/checklists",
            "error": gettext_of(request)(exc.template, **exc.params),
        }
        page = context(request, db, scope, "checklists", factory_today(), **extra)
        return render(request, "equipment/maintenance_delete.html", page, status=exc.status_code)
    return RedirectResponse(f"{BASE}/checklists", status_code=303)
