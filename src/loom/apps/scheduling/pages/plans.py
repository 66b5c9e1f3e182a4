"""Pages of the scheduling app's plans: run, list, Gantt chart and load, adopt, discard, export."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import SchedulePlan
from loom.apps.scheduling.pages import plans_inputs, plans_whatif
from loom.apps.scheduling.pages.plans_common import (
    BASE,
    DB,
    PAGE_SIZE,
    READ,
    WRITE,
    RowId,
    base_context,
    day_field,
    domain_errors,
    int_or_none,
    translator,
)
from loom.apps.scheduling.pages.plans_detail import detail_page
from loom.apps.scheduling.service import plans
from loom.apps.scheduling.service.plans_export import plan_workbook
from loom.apps.scheduling.service.problem import problem_from_json
from loom.apps.scheduling.service.profiles import sewing_lines
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()
router.include_router(plans_inputs.router)
router.include_router(plans_whatif.router)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _overview(
    request: Request,
    db: Session,
    scope: Scope,
    *,
    q: str = "",
    offset: int = 0,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    page = plans.search(db, scope, q=q, offset=offset, limit=PAGE_SIZE)
    context = base_context(
        request,
        "plans",
        page=page,
        q=q,
        current=plans.current(db, scope),
        values=values or {"start": plans.today().isoformat(), "time_limit": "10", "name": ""},
        errors=errors or {},
        can_write=scope.can(WRITE),
        lines=len(sewing_lines(db, scope)),
    )
    return render(request, "scheduling/plans_list.html", context, status=status)


@router.get("/plans")
def plans_list(
    request: Request,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the current plan, the form to plan again, and every plan and what-if."""
    return _overview(request, db, scope, q=q, offset=offset)


@router.post("/plans")
def plans_run(
    request: Request,
    start: str = Form("", max_length=40),
    time_limit: str = Form("10", max_length=20),
    name: str = Form("", max_length=400),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Plan the open orders and show the new draft, or the form again with the problems."""
    values = {"start": start, "time_limit": time_limit, "name": name}
    day = day_field(start)
    seconds = int_or_none(time_limit)
    gettext = translator(request)
    errors: dict[str, str] = {}
    if day is None:
        errors["start"] = gettext("a date like 2026-12-07")
    if seconds is None:
        errors["time_limit"] = gettext("seconds from 1 to %(n)s", n=plans.MAX_TIME_LIMIT)
    if day is not None and seconds is not None:
        try:
            row, _skipped = plans.run_plan(db, scope, start=day, time_limit=seconds, name=name)
            return RedirectResponse(f"{BASE}/{row.id}", status_code=303)
        except DomainError as exc:
            db.rollback()
            errors = domain_errors(request, exc)
    return _overview(request, db, scope, values=values, errors=errors, status=422)


@router.get("/plans/{plan_id:int}")
def plan_detail(
    request: Request,
    plan_id: RowId,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show a plan with its Gantt chart, weekly load and allocations."""
    row = plans.PlanRepository(db, scope).get(plan_id)
    return detail_page(request, db, scope, row, q=q, offset=offset)


@router.get("/plans/{plan_id:int}/export.xlsx")
def plan_export(
    request: Request, plan_id: RowId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download the plan's allocations as an Excel workbook."""
    row = plans.PlanRepository(db, scope).get(plan_id)
    codes = {line.id: line.code for line in problem_from_json(row.inputs).lines}
    content = plan_workbook(
        row, plans.allocations_of(db, scope, row.id), codes, translator(request)
    )
    headers = {"Content-Disposition": f'attachment; filename="plan-{row.id}.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)


@router.post("/plans/{plan_id:int}/adopt")
def plan_adopt(
    request: Request, plan_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Make the plan the current one, or show why it cannot be."""
    row = plans.PlanRepository(db, scope).get(plan_id)
    try:
        plans.adopt(db, scope, plan_id)
    except DomainError as exc:
        db.rollback()
        row = plans.PlanRepository(db, scope).get(plan_id)
        errors = domain_errors(request, exc)
        return detail_page(request, db, scope, row, errors=errors, status=exc.status_code)
    return RedirectResponse(f"{BASE}/{row.id}", status_code=303)


def _confirm(request: Request, row: SchedulePlan, problem: str = "", status: int = 200) -> Response:
    context = base_context(request, "plans", plan=row, problem=problem)
    return render(request, "scheduling/plans_discard.html", context, status=status)


@router.get("/plans/{plan_id:int}/discard")
def plan_confirm_discard(
    request: Request, plan_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Ask before discarding a draft plan or what-if."""
    return _confirm(request, plans.PlanRepository(db, scope).get(plan_id))


@router.post("/plans/{plan_id:int}/discard")
def plan_discard(
    request: Request, plan_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Discard the draft, or say why it stays."""
    row = plans.PlanRepository(db, scope).get(plan_id)
    try:
        plans.discard(db, scope, plan_id)
    except DomainError as exc:
        db.rollback()
        row = plans.PlanRepository(db, scope).get(plan_id)
        problem = translator(request)(exc.template, **exc.params)
        return _confirm(request, row, problem, exc.status_code)
    return RedirectResponse(BASE, status_code=303)
