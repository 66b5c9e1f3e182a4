"""Pages of the plans: list, new plan, detail, rename, copy, delete and Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.balancing.pages.board import board_context
from loom.apps.balancing.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    PlanId,
    base_context,
    export_response,
    names,
    translator,
)
from loom.apps.balancing.permissions import DELETE, READ, WRITE
from loom.apps.balancing.service import plans
from loom.apps.balancing.service.inputs import PlanIn, PlanRefused
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import ProductionLine, Style
from loom.modules.masterdata.service.lines import LineRepository
from loom.modules.masterdata.service.styles import StyleRepository

router = APIRouter()


@router.get("/plans")
def plans_list(
    request: Request,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the plans, newest first, searched by plan name or style."""
    page = plans.search(db, scope, q=q, offset=offset, limit=PAGE_SIZE)
    styles, lines = names(db, scope, page.items)
    context = base_context(page=page, q=q, styles=styles, lines=lines, can_write=scope.can(WRITE))
    return render(request, "balancing/plans_list.html", context)


def plan_form(
    name: str = Form("", max_length=1000),
    style_id: str = Form("", max_length=20),
    line_id: str = Form("", max_length=20),
    mode: str = Form("target", max_length=20),
    target_per_hour: str = Form("", max_length=20),
    operators: str = Form("", max_length=20),
) -> dict[str, str]:
    """Collect the new-plan form exactly as typed."""
    return {
        "name": name,
        "style_id": style_id,
        "line_id": line_id,
        "mode": mode,
        "target_per_hour": target_per_hour,
        "operators": operators,
    }


def _whole(raw: str) -> int:
    # -1 is below every range, so the service names the field
    text = raw.strip()
    return int(text) if text.isdigit() and len(text) < 10 else -1


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
) -> Response:
    styles = db.scalars(StyleRepository(db, scope).select().order_by(Style.code)).all()
    lines = db.scalars(
        LineRepository(db, scope)
        .select()
        .where(ProductionLine.active.is_(True), ProductionLine.kind == "sewing")
        .order_by(ProductionLine.code)
    ).all()
    context = base_context(values=values, errors=errors, styles=styles, lines=lines)
    return render(request, "balancing/plan_form.html", context, status=status)


@router.get("/plans/new")
def plan_new(
    request: Request,
    style_id: str = Query("", max_length=20),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Show the form that balances a style."""
    values = {
        "name": "",
        "style_id": style_id,
        "line_id": "",
        "mode": "target",
        "target_per_hour": "",
        "operators": "",
    }
    return _form_page(request, db, scope, values, {})


@router.post("/plans/new")
def plan_create(
    request: Request,
    values: dict[str, str] = Depends(plan_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Solve the style and show the plan, or the form again naming every bad field."""
    gettext = translator(request)
    data = PlanIn(
        name=values["name"],
        style_id=_whole(values["style_id"]),
        line_id=_whole(values["line_id"]) if values["line_id"].strip() else None,
        mode=values["mode"],
        target_per_hour=_whole(values["target_per_hour"]) if values["mode"] == "target" else None,
        operators=_whole(values["operators"]) if values["mode"] == "operators" else None,
    )
    try:
        plan = plans.create(db, scope, data)
    except PlanRefused as exc:
        db.rollback()
        errors: dict[str, str] = {}
        for problem in exc.problems:
            text = gettext(problem.template, **problem.params)
            errors[problem.field] = (
                f"{errors[problem.field]}; {text}" if problem.field in errors else text
            )
        return _form_page(request, db, scope, values, errors, 422)
    except DomainError as exc:
        db.rollback()
        errors = {exc.field or "form": gettext(exc.template, **exc.params)}
        return _form_page(request, db, scope, values, errors, exc.status_code)
    return RedirectResponse(f"{BASE}/plans/{plan.id}", status_code=303)


def detail_page(
    request: Request,
    db: Session,
    scope: Scope,
    plan_id: int,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """Render a plan's page: figures, load chart, stations and the tools to edit them."""
    context = board_context(request, db, scope, plans.get(db, scope, plan_id))
    context.update(extra or {})
    return render(request, "balancing/plan_detail.html", context, status=status)


@router.get("/plans/{plan_id:int}")
def plan_detail(
    request: Request,
    plan_id: PlanId,
    published: int = Query(0, ge=0, le=1),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show a plan."""
    return detail_page(request, db, scope, plan_id, {"just_published": bool(published)})


@router.post("/plans/{plan_id:int}/rename")
def plan_rename(
    request: Request,
    plan_id: PlanId,
    name: str = Form("", max_length=1000),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the plan under another name, or show it again naming the problem."""
    try:
        plans.rename(db, scope, plan_id, name)
    except DomainError as exc:
        db.rollback()
        error = _first_problem(request, exc)
        return detail_page(request, db, scope, plan_id, {"name_error": error}, 422)
    return RedirectResponse(f"{BASE}/plans/{plan_id}", status_code=303)


@router.post("/plans/{plan_id:int}/copy")
def plan_copy(
    request: Request,
    plan_id: PlanId,
    name: str = Form("", max_length=1000),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the plan as a new plan under another name, and show the copy."""
    try:
        copy = plans.copy(db, scope, plan_id, name)
    except DomainError as exc:
        db.rollback()
        error = _first_problem(request, exc)
        return detail_page(request, db, scope, plan_id, {"copy_error": error}, 422)
    return RedirectResponse(f"{BASE}/plans/{copy.id}", status_code=303)


def _first_problem(request: Request, exc: DomainError) -> str:
    gettext = translator(request)
    if isinstance(exc, PlanRefused) and exc.problems:
        return gettext(exc.problems[0].template, **exc.problems[0].params)
    return gettext(exc.template, **exc.params)


@router.get("/plans/{plan_id:int}/export.xlsx")
def plan_export(
    request: Request, plan_id: PlanId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download the plan as an Excel workbook."""
    return export_response(request, db, scope, plans.get(db, scope, plan_id))


@router.get("/plans/{plan_id:int}/delete")
def plan_confirm_delete(
    request: Request, plan_id: PlanId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a plan."""
    context = base_context(plan=plans.get(db, scope, plan_id))
    return render(request, "balancing/plan_delete.html", context)


@router.post("/plans/{plan_id:int}/delete")
def plan_delete(
    request: Request, plan_id: PlanId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the plan and go back to the list."""
    plans.delete(db, scope, plan_id)
    return RedirectResponse(f"{BASE}/plans", status_code=303)
