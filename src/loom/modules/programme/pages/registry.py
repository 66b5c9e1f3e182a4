"""Pages of the programme console: the enterprise registry (list, form, delete, downloads)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import Conflict, DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context, render
from loom.modules.programme.api.registry import READ, WRITE, filters, xlsx
from loom.modules.programme.pages import registry_entry, registry_import
from loom.modules.programme.pages.common import (
    DB,
    PAGE_SIZE,
    SECTOR_LABELS,
    msgid,
    org_names,
    translator,
)
from loom.modules.programme.pages.registry_entry import HOME, SIZE_LABELS
from loom.modules.programme.registry import SECTORS, export_workbook, template_workbook, towns
from loom.modules.programme.service import registry as svc

router = APIRouter()
# one entry's pages and the import live in their own files; ids are typed (`:int`), so
# no path of one file shadows another's
router.include_router(registry_import.router)
router.include_router(registry_entry.router)

#: one plain hint per field, shown in English; Chinese pages show the sheet's own message
FIELD_HINTS = {
    "name": msgid("Enter the full registered name (up to 200 characters)."),
    "credit_code": msgid(
        "Enter the 18-character unified social credit code; its check characters must match."
    ),
    "sector": msgid("Choose a sector."),
    "sub_sector": msgid("Keep the sub-sector under 100 characters."),
    "size": msgid("Choose above or below designated size."),
    "town": msgid("Choose the town or street."),
    "employees": msgid("Enter a whole number of employees, 0 or more."),
    "revenue_wan": msgid(
        "Enter last year's revenue in 10,000 CNY, 0 or more, two decimals at most."
    ),
    "cloud": msgid("Choose whether the enterprise uses the cloud."),
    "contact_name": msgid("Keep the contact's name under 60 characters."),
    "contact_phone": msgid("Enter an 11-digit mobile or a landline such as 0574-87654321."),
}


def entry_form(
    name: str = Form(""),
    credit_code: str = Form(""),
    sector: str = Form(""),
    sub_sector: str = Form(""),
    size: str = Form(""),
    town: str = Form(""),
    employees: str = Form(""),
    revenue_wan: str = Form(""),
    cloud: str = Form(""),
    contact_name: str = Form(""),
    contact_phone: str = Form(""),
) -> dict[str, str]:
    """Collect the entry form exactly as typed, so a refused form shows it again."""
    return {
        "name": name,
        "credit_code": credit_code,
        "sector": sector,
        "sub_sector": sub_sector,
        "size": size,
        "town": town,
        "employees": employees,
        "revenue_wan": revenue_wan,
        "cloud": cloud,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
    }


def field_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """Return one message per field of a refused entry, in the page's language."""
    gettext = translator(request)
    chinese = page_context(request)["locale"] == "zh_CN"
    errors: dict[str, str] = {}
    for detail in exc.details or []:
        field = str(detail.get("field", ""))
        sheet_text = str(detail.get("message", "")).removeprefix(f"{field}: ")
        errors[field] = sheet_text if chinese else gettext(FIELD_HINTS.get(field, sheet_text))
    if exc.field is not None:
        errors[exc.field] = gettext(exc.template, **exc.params)
    return errors


def choices(gettext: Callable[..., str]) -> dict[str, Any]:
    """Return the labelled options of the sector, size and town fields."""
    return {
        "sectors": [(key, gettext(SECTOR_LABELS[key])) for key in SECTORS],
        "sizes": [(key, gettext(label)) for key, label in SIZE_LABELS.items()],
        "towns": towns(),
        "town_options": [(name, name) for name in towns()],
    }


@router.get("/registry")
def registry_list(
    request: Request,
    chosen: svc.Filters = Depends(filters),
    imported: int | None = Query(None, ge=0),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the registry with search, filters and pages."""
    page = svc.EnterpriseRepository(db, scope).listing(chosen, offset=offset, limit=PAGE_SIZE)
    linked = {True: "yes", False: "no", None: ""}[chosen.linked]
    params = {"sector": chosen.sector, "size": chosen.size, "town": chosen.town, "linked": linked}
    query = {"q": chosen.q, **params}
    return render(
        request,
        "programme/registry_list.html",
        {
            "tab": "registry",
            "page": page,
            "q": chosen.q,
            "params": params,
            "filtering": any(query.values()),
            "query": query,
            "imported": imported,
            "orgs": org_names(db, [e.enterprise_org_id for e in page.items]),
            "can_write": scope.can(WRITE),
            **choices(translator(request)),
        },
    )


@router.get("/registry.xlsx")
def registry_export(
    chosen: svc.Filters = Depends(filters), scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download the filtered registry as an Excel sheet the import reads back."""
    entries = svc.EnterpriseRepository(db, scope).matching(chosen)
    return xlsx(export_workbook(svc.rows_of(entries)), f"registry-{date.today().isoformat()}.xlsx")


@router.get("/registry/template.xlsx")
def registry_template(scope: Scope = require(WRITE)) -> Response:
    """Download the empty import sheet."""
    return xlsx(template_workbook(), "registry-template.xlsx")


def form_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    enterprise_id: int | None = None,
    status: int = 200,
) -> Response:
    """Render the entry form (new or edit) with what was typed and what is wrong."""
    context = {
        "tab": "registry",
        "values": values,
        "errors": errors,
        "enterprise_id": enterprise_id,
        "hints": FIELD_HINTS,
        **choices(translator(request)),
    }
    return render(request, "programme/registry_form.html", context, status=status)


def _refused(request: Request, db: Session, exc: DomainError) -> dict[str, str]:
    db.rollback()  # drop anything flushed before the rule broke
    return field_errors(request, exc)


@router.get("/registry/new")
def registry_new(request: Request, scope: Scope = require(WRITE)) -> Response:
    """Show an empty entry form."""
    return form_page(request, {"sector": "apparel", "size": "below"}, {})


@router.post("/registry/new")
def registry_create(
    request: Request,
    values: dict[str, str] = Depends(entry_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the entry, or show the form again with every problem next to its field."""
    try:
        entry = svc.create(db, scope, values)
    except DomainError as exc:
        errors = _refused(request, db, exc)
        return form_page(request, values, errors, status=exc.status_code)
    return RedirectResponse(f"{HOME}/{entry.id}", status_code=303)


@router.get("/registry/{enterprise_id:int}/edit")
def registry_edit(
    request: Request, enterprise_id: int, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the entry form filled with the entry."""
    entry = svc.owned(db, scope, enterprise_id)
    values = {key: str(getattr(entry, key)) for key in svc.FIELDS}
    values["cloud"] = "yes" if entry.cloud else "no"
    return form_page(request, values, {}, enterprise_id)


@router.post("/registry/{enterprise_id:int}/edit")
def registry_save(
    request: Request,
    enterprise_id: int,
    values: dict[str, str] = Depends(entry_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the edited entry, or show the form again with the problems."""
    svc.owned(db, scope, enterprise_id)  # 404 before validation for another registry's id
    try:
        svc.update(db, scope, enterprise_id, values)
    except DomainError as exc:
        errors = _refused(request, db, exc)
        return form_page(request, values, errors, enterprise_id, status=exc.status_code)
    return RedirectResponse(f"{HOME}/{enterprise_id}", status_code=303)


def _confirm_page(request: Request, entry: Any, problem: str = "", status: int = 200) -> Response:
    context = {"tab": "registry", "entry": entry, "problem": problem}
    return render(request, "programme/registry_delete.html", context, status=status)


@router.get("/registry/{enterprise_id:int}/delete")
def registry_confirm_delete(
    request: Request, enterprise_id: int, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Ask before deleting an entry."""
    return _confirm_page(request, svc.owned(db, scope, enterprise_id))


@router.post("/registry/{enterprise_id:int}/delete")
def registry_delete(
    request: Request, enterprise_id: int, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Delete the entry, or say what still refers to it."""
    entry = svc.owned(db, scope, enterprise_id)
    try:
        svc.delete(db, scope, enterprise_id)
    except Conflict as exc:
        db.rollback()
        problem = translator(request)(exc.template, **exc.params)
        return _confirm_page(request, entry, problem, status=409)
    return RedirectResponse(HOME, status_code=303)
