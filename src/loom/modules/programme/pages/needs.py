"""Pages of the N+X lists: each sector's survey, N or X, scenarios and the published lists."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.models import Need
from loom.modules.programme.pages import needs_lists, needs_scenarios
from loom.modules.programme.pages.common import DB, PAGE_SIZE, translator
from loom.modules.programme.pages.needs_common import (
    HOME,
    MANAGE,
    READ,
    chosen_sector,
    labels,
    translated,
)
from loom.modules.programme.service import needs as svc
from loom.modules.programme.service import needs_lists as lists
from loom.modules.programme.service import needs_scenarios as scen

NEED_FIELDS = ("enterprise_id", "stage", "problem", "need_key", "need_title", "scenario_code")

router = APIRouter()
# scenarios and lists keep to their own paths under /needs, one file each to stay readable
router.include_router(needs_scenarios.router)
router.include_router(needs_lists.router)


def need_form(
    enterprise_id: str = Form(""),
    stage: str = Form(""),
    problem: str = Form(""),
    need_key: str = Form(""),
    need_title: str = Form(""),
    scenario_code: str = Form(""),
) -> dict[str, str]:
    """Collect the need form exactly as typed, so a refused form shows it again."""
    return {
        "enterprise_id": enterprise_id,
        "stage": stage,
        "problem": problem,
        "need_key": need_key,
        "need_title": need_title,
        "scenario_code": scenario_code,
    }


def need_of(values: dict[str, str]) -> svc.NeedIn:
    """Return the service input a need form describes (an unreadable id matches no one)."""
    raw = values["enterprise_id"].strip()
    return svc.NeedIn(
        enterprise_id=int(raw) if raw.isdigit() else 0,
        stage=values["stage"],
        problem=values["problem"],
        need_key=values["need_key"],
        need_title=values["need_title"],
        scenario_code=values["scenario_code"],
    )


def need_choices(db: Session, scope: Scope, sector: str) -> dict[str, Any]:
    """Return the enterprises and scenarios a need of ``sector`` may name."""
    return {
        "enterprises": svc.sector_enterprises(db, scope, sector),
        "scenario_options": [(s.code, s.title) for s in scen.scenarios(db, scope, sector)],
    }


@router.get("/needs")
def needs_home(
    request: Request,
    sector: str = Query("", max_length=30),
    q: str = Query("", max_length=100),
    stage: str = Query("", max_length=30),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show a sector's survey, the N or X of each need, its scenarios and published lists."""
    plan = svc.programme_plan(db, scope)
    sector = chosen_sector(plan, sector)
    filters = svc.SurveyFilters(sector=sector, stage=stage, q=q)
    page = svc.survey(db, scope, filters, offset=offset, limit=PAGE_SIZE)
    context: dict[str, Any] = {
        "tab": "needs",
        "sector": sector,
        "q": q,
        "stage": stage,
        "page": page,
        "names": svc.enterprise_names(db, scope, {n.enterprise_id for n in page.items}),
        "classified": lists.classify(db, scope, sector),
        "percent": lists.percent,
        "latest": lists.latest(db, scope, sector),
        "can_manage": scope.can(MANAGE),
        "values": {"stage": stage},
        "errors": {},
        **needs_scenarios.scenario_rows(db, scope, scen.scenarios(db, scope, sector)),
        **labels(request, plan),
    }
    if context["can_manage"]:
        context.update(need_choices(db, scope, sector))
    return render(request, "programme/needs_home.html", context)


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, str],
    errors: dict[str, str],
    sector: str,
    need: Need | None = None,
) -> Response:
    plan = svc.programme_plan(db, scope)
    context = {"tab": "needs", "values": values, "errors": errors, "sector": sector, "need": need}
    context.update(labels(request, plan))
    context.update(need_choices(db, scope, sector))
    status = 422 if errors else 200
    return render(request, "programme/needs_need_form.html", context, status=status)


def _save(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, str],
    sector: str,
    need: Need | None,
) -> Response:
    """Save the need, or show the form again with every bad field named."""
    gettext = translator(request)
    data = need_of(values)
    errors = translated(gettext, svc.need_problems(db, scope, data))
    if not errors:
        try:
            if need is None:
                saved = svc.record_need(db, scope, data)
            else:
                saved = svc.update_need(db, scope, need.id, data)
        except Conflict as exc:
            db.rollback()
            errors = {exc.field or "need_key": gettext(exc.template, **exc.params)}
        else:
            return RedirectResponse(f"{HOME}?sector={saved.sector}#survey", status_code=303)
    return _form_page(request, db, scope, values, errors, sector, need)


@router.post("/needs/survey/new")
def create_need(
    request: Request,
    sector: str = Form("", max_length=30),
    scope: Scope = require(MANAGE),
    db: Session = DB,
    values: dict[str, str] = Depends(need_form),
) -> Response:
    """Record a survey need from the form on the sector's page."""
    sector = chosen_sector(svc.programme_plan(db, scope), sector)
    return _save(request, db, scope, values, sector, None)


@router.get("/needs/survey/{need_id:int}/edit")
def edit_need(
    request: Request, need_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Show the form that changes a survey need."""
    need = svc.get_need(db, scope, need_id)
    values = {key: str(getattr(need, key)) for key in NEED_FIELDS}
    return _form_page(request, db, scope, values, {}, need.sector, need)


@router.post("/needs/survey/{need_id:int}/edit")
def save_need(
    request: Request,
    need_id: int,
    scope: Scope = require(MANAGE),
    db: Session = DB,
    values: dict[str, str] = Depends(need_form),
) -> Response:
    """Save the changed need, or show the form again with the problems."""
    need = svc.get_need(db, scope, need_id)  # 404 before validation for another bureau's id
    return _save(request, db, scope, values, need.sector, need)


@router.post("/needs/survey/{need_id:int}/delete")
def delete_need(need_id: int, scope: Scope = require(MANAGE), db: Session = DB) -> Response:
    """Remove a survey need (the page asks first); published lists keep their snapshot."""
    sector = svc.get_need(db, scope, need_id).sector
    svc.delete_need(db, scope, need_id)
    return RedirectResponse(f"{HOME}?sector={sector}#survey", status_code=303)
