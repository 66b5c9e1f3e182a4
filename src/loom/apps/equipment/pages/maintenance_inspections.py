"""Pages of spot inspections (点巡检): checklists per machine type, today's rounds, the record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import PRIORITIES, SHIFTS
from loom.apps.equipment.pages.maintenance_common import (
    BASE,
    DB,
    DELETE,
    EXPORT_LIMIT,
    PAGE_SIZE,
    READ,
    RECORD,
    RowId,
    context,
    date_or_problem,
    gettext_of,
    optional_int,
    problem_errors,
    xlsx,
)
from loom.apps.equipment.service import maintenance_checklists as checklists
from loom.apps.equipment.service import maintenance_inspections as inspections
from loom.apps.equipment.service.maintenance_common import (
    RoundRepository,
    factory_today,
    machine_or_none,
    machines_by_id,
)
from loom.apps.equipment.service.maintenance_views import rounds_workbook
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, NotFound
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.service.checks import FieldProblem

router = APIRouter()
SHIFT_FILTER = Query("", pattern="^(" + "|".join(SHIFTS) + ")?$")


@router.get("/maintenance/inspections")
def rounds_page(
    request: Request,
    q: str = Query("", max_length=100),
    abnormal: bool = False,
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show today's rounds to walk and the recorded rounds, newest first."""
    today = factory_today()
    page = inspections.search_rounds(
        db, scope, q=q, abnormal=abnormal, offset=offset, limit=PAGE_SIZE
    )
    extra = {
        "page": page,
        "q": q,
        "params": {"abnormal": "true" if abnormal else ""},
        "todo": inspections.todays_rounds(db, scope, today),
        "machines": machines_by_id(db, scope, [r.machine_id for r in page.items]),
    }
    return render(
        request,
        "equipment/maintenance_rounds.html",
        context(request, db, scope, "inspections", today, **extra),
    )


@router.get("/maintenance/inspections.xlsx")
def rounds_export(
    request: Request,
    q: str = Query("", max_length=100),
    abnormal: bool = False,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the rounds (searched like the list), one line per checked item."""
    rows = inspections.search_rounds(
        db, scope, q=q, abnormal=abnormal, offset=0, limit=EXPORT_LIMIT
    ).items
    machines = machines_by_id(db, scope, [r.machine_id for r in rows])
    content = rounds_workbook(rows, machines, gettext_of(request))
    return xlsx(content, f"spot-inspections-{date.today().isoformat()}.xlsx")


def _round_page(
    request: Request,
    db: Session,
    scope: Scope,
    machine_id: int,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    status: int = 200,
) -> Response:
    machine = machine_or_none(db, scope, machine_id)
    template = checklists.template_for(db, scope, machine.machine_type) if machine else None
    extra = {"machine": machine, "template": template, "values": values, "errors": errors}
    page = context(request, db, scope, "inspections", factory_today(), **extra)
    return render(request, "equipment/maintenance_round_form.html", page, status=status)


@router.get("/maintenance/inspections/new")
def round_new(
    request: Request,
    machine_id: int = Query(..., ge=1, le=2_147_483_647),
    shift: str = SHIFT_FILTER,
    scope: Scope = require(RECORD),
    db: Session = DB,
) -> Response:
    """Show the checklist of the machine's type to walk now."""
    if machine_or_none(db, scope, machine_id) is None:
        raise NotFound("machine %(id)s not found", params={"id": machine_id})
    values = {
        "day": factory_today().isoformat(),
        "shift": shift,
        "inspector": scope.actor.label.split(":")[-1],
        "results": {},
    }
    return _round_page(request, db, scope, machine_id, values, {})


@router.post("/maintenance/inspections/new")
async def round_create(
    request: Request, scope: Scope = require(RECORD), db: Session = DB
) -> Response:
    """Record the round, or show the checklist again naming each bad item."""
    form = await request.form()
    machine_id = optional_int(str(form.get("machine_id", ""))[:20]) or -1
    machine = machine_or_none(db, scope, machine_id)
    template = checklists.template_for(db, scope, machine.machine_type) if machine else None
    size = len(template.items) if template else 0
    results: dict[str, dict[str, str]] = {}
    parsed: list[inspections.Result] = []
    for n in range(size):
        verdict = str(form.get(f"ok_{n}", ""))[:10]
        note = str(form.get(f"note_{n}", ""))[:1000]
        results[str(n)] = {"verdict": verdict, "note": note}
        parsed.append(inspections.Result(ok=verdict != "abnormal", note=note))
    day_text = str(form.get("day", ""))[:40]
    shift = str(form.get("shift", ""))[:20]
    inspector = str(form.get("inspector", ""))[:400]
    values = {"day": day_text, "shift": shift, "inspector": inspector, "results": results}
    found: list[FieldProblem] = []
    day = date_or_problem(day_text, "day", found)
    data = inspections.RoundIn(
        machine_id=machine.id if machine else None,
        day=day or factory_today(),
        inspector=inspector,
        results=parsed,
        shift=shift,
    )
    found += inspections.round_problems(data, template, factory_today())
    if machine is None:
        raise NotFound("machine %(id)s not found", params={"id": machine_id})
    if template is None:
        found.insert(0, FieldProblem("machine_id", "no checklist for this machine's type"))
    if found:
        errors = problem_errors(request, found)
        return _round_page(request, db, scope, machine.id, values, errors, 422)
    try:
        row = inspections.record_round(db, scope, data, factory_today())
    except DomainError as exc:
        db.rollback()
        errors = {exc.field or "form": gettext_of(request)(exc.template, **exc.params)}
        return _round_page(request, db, scope, machine.id, values, errors, exc.status_code)
    return RedirectResponse(f"{BASE}/inspections/{row.id}", status_code=303)


def _round_detail(
    request: Request, db: Session, scope: Scope, round_id: int, error: str = "", status: int = 200
) -> Response:
    row = RoundRepository(db, scope).get(round_id)
    extra = {
        "round": row,
        "machine": machine_or_none(db, scope, row.machine_id),
        "raised": inspections.raised_orders(db, scope, row.id),
        "priorities": PRIORITIES,
        "error": error,
    }
    page = context(request, db, scope, "inspections", factory_today(), **extra)
    return render(request, "equipment/maintenance_round.html", page, status=status)


@router.get("/maintenance/inspections/{round_id:int}")
def round_detail(
    request: Request, round_id: RowId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a round, with a work order to raise for each abnormal item."""
    return _round_detail(request, db, scope, round_id)


@router.post("/maintenance/inspections/{round_id:int}/items/{item:int}/order")
def round_raise(
    request: Request,
    round_id: RowId,
    item: int,
    priority: str = Form("high", max_length=20),
    scope: Scope = require(RECORD),
    db: Session = DB,
) -> Response:
    """Open a work order for an abnormal item (1-based) and show it."""
    try:
        order = inspections.raise_order(db, scope, round_id, item - 1, priority)
    except DomainError as exc:
        db.rollback()
        message = gettext_of(request)(exc.template, **exc.params)
        return _round_detail(request, db, scope, round_id, message, exc.status_code)
    return RedirectResponse(f"{BASE}/orders/{order.id}", status_code=303)


@router.get("/maintenance/inspections/{round_id:int}/delete")
def round_confirm_delete(
    request: Request, round_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a round."""
    row = RoundRepository(db, scope).get(round_id)
    machine = machine_or_none(db, scope, row.machine_id)
    question = gettext_of(request)(
        "Delete the round of %(day)s at machine %(code)s? This cannot be undone.",
        day=row.day.isoformat(),
        code=machine.code if machine else "",
    )
    extra = {
        "question": question,
        "action": f"{BASE}/inspections/{row.id}/delete",
        "back": f"{BASE}/inspections/{row.id}",
        "error": "",
    }
    page = context(request, db, scope, "inspections", factory_today(), **extra)
    return render(request, "equipment/maintenance_delete.html", page)


@router.post("/maintenance/inspections/{round_id:int}/delete")
def round_delete(
    request: Request, round_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the round, or say why it stays."""
    try:
        inspections.delete_round(db, scope, round_id)
    except DomainError as exc:
        db.rollback()
        message = gettext_of(request)(exc.template, **exc.params)
        return _round_detail(request, db, scope, round_id, message, exc.status_code)
    return RedirectResponse(f"{BASE}/inspections", status_code=303)
