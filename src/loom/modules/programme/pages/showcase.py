"""Pages of the showcase cases (典型案例): gallery, printable case, the bureau's write-up form."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.pages.analytics_rows import level_label
from loom.modules.programme.pages.common import (
    BASE,
    DB,
    HONOUR_LABELS,
    SECTOR_LABELS,
    cny,
    translator,
)
from loom.modules.programme.service import showcase as svc

router = APIRouter()
READ = "programme.showcase.read"
MANAGE = "programme.showcase.manage"


def _labels() -> dict[str, Any]:
    return {"sector_labels": SECTOR_LABELS, "honour_labels": HONOUR_LABELS, "cny": cny}


@router.get("/showcase")
def gallery(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Show the showcase cases the organisation may see; the bureau also its drafts."""
    found = svc.gallery(db, scope)
    gettext = translator(request)
    return render(
        request,
        "programme/showcase_gallery.html",
        {
            "tab": "showcase",
            "gallery": found,
            "can_manage": scope.can(MANAGE),
            "level": lambda n: level_label(n, gettext),
            **_labels(),
        },
    )


def _show(
    request: Request, db: Session, scope: Scope, case: svc.Case, error: str = "", status: int = 200
) -> Response:
    gettext = translator(request)
    return render(
        request,
        "programme/showcase_case.html",
        {
            "tab": "showcase",
            "case": case,
            "can_manage": scope.can(MANAGE) and case.project.org_id == scope.org_id,
            "level": lambda n: level_label(n, gettext),
            "error": error,
            **_labels(),
        },
        status=status,
    )


@router.get("/showcase/{project_id:int}")
def case_page(
    request: Request, project_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show one case, laid out to be printed for an on-site promotion meeting (现场会)."""
    return _show(request, db, scope, svc.case(db, scope, project_id))


def _form(
    request: Request,
    case: svc.Case,
    write_up: svc.WriteUp,
    error: str = "",
    error_field: str = "",
    status: int = 200,
) -> Response:
    rows = list(write_up.figures) + [{}] * (svc.MAX_FIGURES - len(write_up.figures))
    return render(
        request,
        "programme/showcase_form.html",
        {
            "tab": "showcase",
            "case": case,
            "w": write_up,
            "rows": rows[: max(svc.MAX_FIGURES, len(write_up.figures))],
            "error": error,
            "error_field": error_field,
            **_labels(),
        },
        status=status,
    )


@router.get("/showcase/{project_id:int}/edit")
def edit_form(
    request: Request, project_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Show the write-up form of an accepted project's case."""
    case = svc.case(db, scope, project_id)
    row = case.showcase
    write_up = svc.WriteUp(
        title=row.title if row else case.project.title,
        problem=row.problem if row else "",
        solution=row.solution if row else "",
        results=row.results if row else "",
        figures=list(row.figures) if row else [],
    )
    return _form(request, case, write_up)


@router.post("/showcase/{project_id:int}/edit")
def edit_save(
    request: Request,
    project_id: int,
    title: str = Form("", max_length=400),
    problem: str = Form("", max_length=4000),
    solution: str = Form("", max_length=4000),
    results: str = Form("", max_length=4000),
    figure_label: list[str] = Form([]),
    figure_before: list[str] = Form([]),
    figure_after: list[str] = Form([]),
    figure_unit: list[str] = Form([]),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Save the write-up; a bad field re-shows the form naming it."""
    figures = [
        {"label": a or "", "before": b or "", "after": c or "", "unit": d or ""}
        for a, b, c, d in zip_longest(figure_label, figure_before, figure_after, figure_unit)
    ]
    write_up = svc.WriteUp(title, problem, solution, results, figures)
    try:
        svc.save(db, scope, project_id, write_up)
    except DomainError as exc:
        db.rollback()
        message = translator(request)(exc.template, **exc.params)
        case = svc.case(db, scope, project_id)
        return _form(request, case, write_up, message, exc.field or "", exc.status_code)
    return RedirectResponse(f"{BASE}/showcase/{project_id}", status_code=303)


@router.post("/showcase/{project_id:int}/feature")
def feature(
    request: Request,
    project_id: int,
    featured: str = Form(...),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Show the case as a showcase (featured=1) or take the mark off (featured=0)."""
    try:
        if featured not in ("0", "1"):
            raise ValidationFailed(
                "featured: 1 to show the case, 0 to take it off", field="featured"
            )
        svc.set_featured(db, scope, project_id, featured == "1")
    except DomainError as exc:
        db.rollback()
        message = translator(request)(exc.template, **exc.params)
        return _show(request, db, scope, svc.case(db, scope, project_id), message, exc.status_code)
    return RedirectResponse(f"{BASE}/showcase/{project_id}", status_code=303)
