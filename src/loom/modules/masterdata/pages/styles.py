"""Pages of the styles: the list with search and export, the form, and deletion."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    StyleId,
    base_context,
    domain_errors,
    labels,
    locale_of,
    problem_errors,
    xlsx,
)
from loom.modules.masterdata.service import sheets, styles

router = APIRouter()
READ, WRITE, DELETE = "masterdata.style.read", "masterdata.style.write", "masterdata.style.delete"
FIELDS = ("code", "name", "season", "customer", "colours", "sizes")


@router.get("/")
def home(scope: Scope = require(READ)) -> Response:
    """Open the styles, the first thing a factory keeps here."""
    return RedirectResponse(f"{BASE}/styles", status_code=303)


@router.get("/styles")
def styles_list(
    request: Request,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    imported: int | None = Query(None, ge=0, le=1_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the styles with search and pages."""
    page = styles.search(db, scope, q=q, offset=offset, limit=PAGE_SIZE)
    context = base_context(
        "styles",
        page=page,
        q=q,
        imported=imported,
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
    )
    return render(request, "masterdata/styles_list.html", context)


@router.get("/styles.xlsx")
def styles_export(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Download every style with its colours and sizes, as the import reads it back."""
    content = write_workbook(
        sheets.export_sheets(db, scope, ["styles"], date.today()), locale_of(request)
    )
    return xlsx(content, f"styles-{date.today().isoformat()}.xlsx")


def style_form(
    code: str = Form("", max_length=400),
    name: str = Form("", max_length=1000),
    season: str = Form("", max_length=400),
    customer: str = Form("", max_length=1000),
    colours: str = Form("", max_length=10_000),
    sizes: str = Form("", max_length=10_000),
) -> dict[str, str]:
    """Collect the style form exactly as typed, so a refused form shows it again."""
    return {
        "code": code,
        "name": name,
        "season": season,
        "customer": customer,
        "colours": colours,
        "sizes": sizes,
    }


def _input(values: dict[str, str]) -> styles.StyleIn:
    return styles.StyleIn(
        code=values["code"],
        name=values["name"],
        season=values["season"],
        customer=values["customer"],
        colours=labels(values["colours"]),
        sizes=labels(values["sizes"]),
    )


def _form_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    style_id: int | None = None,
    status: int = 200,
) -> Response:
    context = base_context("styles", values=values, errors=errors, style_id=style_id)
    return render(request, "masterdata/styles_form.html", context, status=status)


def _save(
    request: Request, db: Session, scope: Scope, values: dict[str, str], style_id: int | None
) -> Response:
    data = _input(values)
    problems = styles.style_problems(data)
    if problems:
        return _form_page(request, values, problem_errors(request, problems), style_id, 422)
    try:
        if style_id is None:
            style_id = styles.create(db, scope, data).id
        else:
            styles.update(db, scope, style_id, data)
    except DomainError as exc:
        db.rollback()
        return _form_page(request, values, domain_errors(request, exc), style_id, exc.status_code)
    return RedirectResponse(f"{BASE}/styles/{style_id}", status_code=303)


@router.get("/styles/new")
def style_new(request: Request, scope: Scope = require(WRITE)) -> Response:
    """Show an empty style form."""
    return _form_page(request, dict.fromkeys(FIELDS, ""), {})


@router.post("/styles/new")
def style_create(
    request: Request,
    values: dict[str, str] = Depends(style_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the style, or show the form again with every problem next to its field."""
    return _save(request, db, scope, values, None)


def _values(style: Style) -> dict[str, str]:
    return {
        "code": style.code,
        "name": style.name,
        "season": style.season,
        "customer": style.customer,
        "colours": ", ".join(style.colours),
        "sizes": ", ".join(style.sizes),
    }


@router.get("/styles/{style_id:int}/edit")
def style_edit(
    request: Request, style_id: StyleId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the style form filled with the style."""
    style = styles.StyleRepository(db, scope).get(style_id)
    return _form_page(request, _values(style), {}, style.id)


@router.post("/styles/{style_id:int}/edit")
def style_save(
    request: Request,
    style_id: StyleId,
    values: dict[str, str] = Depends(style_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the edited style, or show the form again with the problems."""
    styles.StyleRepository(db, scope).get(style_id)  # 404 before validation for another's id
    return _save(request, db, scope, values, style_id)


@router.get("/styles/{style_id:int}/delete")
def style_confirm_delete(
    request: Request, style_id: StyleId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a style with its routing and BOM."""
    style = styles.StyleRepository(db, scope).get(style_id)
    context = base_context("styles", style=style)
    return render(request, "masterdata/styles_delete.html", context)


@router.post("/styles/{style_id:int}/delete")
def style_delete(style_id: StyleId, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete the style with its routing and BOM."""
    styles.delete(db, scope, style_id)
    return RedirectResponse(f"{BASE}/styles", status_code=303)
