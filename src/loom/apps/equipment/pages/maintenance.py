"""Pages of maintenance: what is due (the part's home) and the preventive plans.

Work orders and spot inspections have their own modules; their routers join this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import MaintenancePlan
from loom.apps.equipment.pages import (
    maintenance_checklists,
    maintenance_inspections,
    maintenance_orders,
)
from loom.apps.equipment.pages.maintenance_common import (
    BASE,
    DB,
    DELETE,
    PAGE_SIZE,
    READ,
    WRITE,
    RowId,
    context,
    date_or_problem,
    gettext_of,
    lines_of,
    machine_codes,
    optional_int,
    problem_errors,
    xlsx,
)
from loom.apps.equipment.service import maintenance_due as due
from loom.apps.equipment.service import maintenance_plans as plans
from loom.apps.equipment.service.maintenance_common import (
    PlanRepository,
    factory_today,
    machine_or_none,
)
from loom.apps.equipment.service.maintenance_views import plans_workbook
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.service.checks import FieldProblem

router = APIRouter()
router.include_router(maintenance_orders.router)
router.include_router(maintenance_inspections.router)
router.include_router(maintenance_checklists.router)
DUE_FILTER = Query("", pattern="^(" + "|".join(due.STATUSES) + ")?$")
FIELDS = ("code", "name", "target", "interval_days", "interval_hours", "starts_on", "checklist")


@router.get("/maintenance")
def due_list(
    request: Request,
    status: str = DUE_FILTER,
    opened: int | None = Query(None, ge=0, le=100_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show every plan at every machine it covers, overdue first, with the badge."""
    today = factory_today()
    wanted = (status,) if status else due.STATUSES
    items = due.due_items(db, scope, today, statuses=wanted)
    page = context(request, db, scope, "due", today, items=items, status=status, opened=opened)
    return render(request, "equipment/maintenance_due.html", page)


@router.post("/maintenance/open-due")
def open_due(scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Open a work order for everything due or overdue that has none."""
    made = due.open_all_due(db, scope, factory_today())
    return RedirectResponse(f"{BASE}?opened={len(made)}", status_code=303)


@router.post("/maintenance/plans/{plan_id:int}/machines/{machine_id:int}/open")
def open_one(
    plan_id: RowId, machine_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Open the plan's work order at the machine and show it."""
    order = due.open_from_plan(db, scope, plan_id, machine_id, factory_today())
    return RedirectResponse(f"{BASE}/orders/{order.id}", status_code=303)


@router.get("/maintenance/plans")
def plan_list(
    request: Request,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the preventive plans, searched by code, name, machine type or machine."""
    page = plans.search(db, scope, q=q, offset=offset, limit=PAGE_SIZE)
    extra = {"page": page, "q": q, "machines": machine_codes(db, scope)}
    return render(
        request,
        "equipment/maintenance_plans.html",
        context(request, db, scope, "plans", factory_today(), **extra),
    )


@router.get("/maintenance/plans.xlsx")
def plan_export(
    request: Request,
    q: str = Query("", max_length=100),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the plans (searched like the list) as an Excel sheet."""
    rows = plans.search(db, scope, q=q, offset=0, limit=10_000).items
    content = plans_workbook(rows, machine_codes(db, scope), gettext_of(request))
    return xlsx(content, f"maintenance-plans-{date.today().isoformat()}.xlsx")


def plan_form(
    code: str = Form("", max_length=400),
    name: str = Form("", max_length=400),
    target: str = Form("", max_length=60),
    interval_days: str = Form("", max_length=20),
    interval_hours: str = Form("", max_length=20),
    starts_on: str = Form("", max_length=40),
    checklist: str = Form("", max_length=10_000),
    active: str = Form("", max_length=10),
) -> dict[str, str]:
    """Collect the plan form exactly as typed; ``target`` is ``machine:ID`` or ``type:KEY``."""
    return {
        "code": code,
        "name": name,
        "target": target,
        "interval_days": interval_days,
        "interval_hours": interval_hours,
        "starts_on": starts_on,
        "checklist": checklist,
        "active": active,
    }


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    plan_id: int | None,
    status: int = 200,
) -> Response:
    extra = {
        "values": values,
        "errors": errors,
        "plan_id": plan_id,
        "machines": machine_codes(db, scope),
    }
    page = context(request, db, scope, "plans", factory_today(), **extra)
    return render(request, "equipment/maintenance_plan_form.html", page, status=status)


def _input(values: Mapping[str, str], found: list[FieldProblem]) -> plans.PlanIn:
    target = values["target"].strip()
    machine_id: int | None = None
    machine_type: str | None = None
    if target.startswith("machine:"):
        machine_id = optional_int(target.removeprefix("machine:")) or -1
    elif target.startswith("type:"):
        machine_type = target.removeprefix("type:")
    starts = date_or_problem(values["starts_on"], "starts_on", found)
    return plans.PlanIn(
        code=values["code"],
        name=values["name"],
        starts_on=starts or date.min,
        machine_id=machine_id,
        machine_type=machine_type,
        interval_days=optional_int(values["interval_days"]),
        interval_hours=optional_int(values["interval_hours"]),
        checklist=lines_of(values["checklist"]),
        active=bool(values["active"]),
    )


def _save(
    request: Request, db: Session, scope: Scope, values: dict[str, str], plan_id: int | None
) -> Response:
    found: list[FieldProblem] = []
    data = _input(values, found)
    known = machine_or_none(db, scope, data.machine_id) is not None
    found += plans.plan_problems(data, known)
    if found:
        errors = problem_errors(request, found)
        if "machine_id" in errors or "machine_type" in errors:
            errors["target"] = errors.pop("machine_id", "") or errors.pop("machine_type", "")
        return _form_page(request, db, scope, values, errors, plan_id, 422)
    try:
        if plan_id is None:
            plans.create(db, scope, data)
        else:
            plans.update(db, scope, plan_id, data)
    except DomainError as exc:
        db.rollback()
        errors = {exc.field or "form": gettext_of(request)(exc.template, **exc.params)}
        return _form_page(request, db, scope, values, errors, plan_id, exc.status_code)
    return RedirectResponse(f"{BASE}/plans", status_code=303)


@router.get("/maintenance/plans/new")
def plan_new(request: Request, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Show an empty plan form."""
    values = dict.fromkeys(FIELDS, "") | {
        "starts_on": factory_today().isoformat(),
        "interval_days": "30",
        "active": "on",
    }
    return _form_page(request, db, scope, values, {}, None)


@router.post("/maintenance/plans/new")
def plan_create(
    request: Request,
    values: dict[str, str] = Depends(plan_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the plan, or show the form again naming each bad field."""
    return _save(request, db, scope, values, None)


def _values(plan: MaintenancePlan) -> dict[str, str]:
    target = f"machine:{plan.machine_id}" if plan.machine_id else f"type:{plan.machine_type}"
    return {
        "code": plan.code,
        "name": plan.name,
        "target": target,
        "interval_days": str(plan.interval_days or ""),
        "interval_hours": str(plan.interval_hours or ""),
        "starts_on": plan.starts_on.isoformat(),
        "checklist": "\n".join(plan.checklist),
        "active": "on" if plan.active else "",
    }


@router.get("/maintenance/plans/{plan_id:int}/edit")
def plan_edit(
    request: Request, plan_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the plan form filled with the plan."""
    plan = PlanRepository(db, scope).get(plan_id)
    return _form_page(request, db, scope, _values(plan), {}, plan.id)


@router.post("/maintenance/plans/{plan_id:int}/edit")
def plan_save(
    request: Request,
    plan_id: RowId,
    values: dict[str, str] = Depends(plan_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the plan, or show the form again naming each bad field."""
    PlanRepository(db, scope).get(plan_id)
    return _save(request, db, scope, values, plan_id)


@router.get("/maintenance/plans/{plan_id:int}/delete")
def plan_confirm_delete(
    request: Request, plan_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a plan."""
    plan = PlanRepository(db, scope).get(plan_id)
    gettext = gettext_of(request)
    extra = {
        "question": gettext(
            "Delete maintenance plan %(code)s? This cannot be undone.", code=plan.code
        ),
        "action": f"{BASE}/plans/{plan.id}/delete",
        "back": f"{BASE}/plans",
        "error": "",
    }
    page = context(request, db, scope, "plans", factory_today(), **extra)
    return render(request, "equipment/maintenance_delete.html", page)


@router.post("/maintenance/plans/{plan_id:int}/delete")
def plan_delete(
    request: Request, plan_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the plan, or say why it cannot be deleted."""
    plan = PlanRepository(db, scope).get(plan_id)
    try:
        plans.delete(db, scope, plan.id)
    except DomainError as exc:
        db.rollback()
        gettext = gettext_of(request)
        extra = {
            "question": "",
            "action": "",
            "back": f"{BASE}/plans",
            "error": gettext(exc.template, **exc.params),
        }
        page = context(request, db, scope, "plans", factory_today(), **extra)
        return render(request, "equipment/maintenance_delete.html", page, status=exc.status_code)
    return RedirectResponse(f"{BASE}/plans", status_code=303)
