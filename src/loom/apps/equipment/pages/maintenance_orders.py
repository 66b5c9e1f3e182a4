"""Pages of work orders: the list with its export, a breakdown report, one order and its moves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import ORDER_KINDS, ORDER_STATUSES, WorkOrder
from loom.apps.equipment.pages.maintenance_common import (
    BASE,
    DB,
    DELETE,
    EXPORT_LIMIT,
    PAGE_SIZE,
    READ,
    RECORD,
    WRITE,
    RowId,
    context,
    gettext_of,
    machine_codes,
    optional_int,
    problem_errors,
    xlsx,
)
from loom.apps.equipment.service import maintenance_orders as orders
from loom.apps.equipment.service.maintenance_common import (
    PlanRepository,
    RoundRepository,
    WorkOrderRepository,
    factory_today,
    machine_or_none,
    machines_by_id,
)
from loom.apps.equipment.service.maintenance_views import orders_workbook
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.service.checks import FieldProblem

router = APIRouter()
STATUS_FILTER = Query("", pattern="^(" + "|".join((*ORDER_STATUSES, "live")) + ")?$")
KIND_FILTER = Query("", pattern="^(" + "|".join(ORDER_KINDS) + ")?$")


@router.get("/maintenance/orders")
def order_list(
    request: Request,
    q: str = Query("", max_length=100),
    status: str = STATUS_FILTER,
    kind: str = KIND_FILTER,
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List work orders, live ones first, searched by number, fault, assignee or machine."""
    page = orders.search(db, scope, q=q, status=status, kind=kind, offset=offset, limit=PAGE_SIZE)
    machines = machines_by_id(db, scope, [o.machine_id for o in page.items])
    extra = {
        "page": page,
        "q": q,
        "params": {"status": status, "kind": kind},
        "machines": machines,
    }
    return render(
        request,
        "equipment/maintenance_orders.html",
        context(request, db, scope, "orders", factory_today(), **extra),
    )


@router.get("/maintenance/orders.xlsx")
def order_export(
    request: Request,
    q: str = Query("", max_length=100),
    status: str = STATUS_FILTER,
    kind: str = KIND_FILTER,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the filtered work orders as an Excel sheet."""
    rows = orders.search(
        db, scope, q=q, status=status, kind=kind, offset=0, limit=EXPORT_LIMIT
    ).items
    machines = machines_by_id(db, scope, [o.machine_id for o in rows])
    content = orders_workbook(rows, machines, gettext_of(request))
    return xlsx(content, f"work-orders-{date.today().isoformat()}.xlsx")


def order_form(
    machine_id: str = Form("", max_length=20),
    fault: str = Form("", max_length=1000),
    priority: str = Form("normal", max_length=20),
    assignee: str = Form("", max_length=400),
) -> dict[str, str]:
    """Collect the breakdown form exactly as typed."""
    return {"machine_id": machine_id, "fault": fault, "priority": priority, "assignee": assignee}


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    order: WorkOrder | None,
    status: int = 200,
) -> Response:
    extra = {
        "values": values,
        "errors": errors,
        "order": order,
        "machines": machine_codes(db, scope),
    }
    page = context(request, db, scope, "orders", factory_today(), **extra)
    return render(request, "equipment/maintenance_order_form.html", page, status=status)


def _order_input(values: Mapping[str, str]) -> orders.OrderIn:
    return orders.OrderIn(
        machine_id=optional_int(values["machine_id"]),
        fault=values["fault"],
        priority=values["priority"],
        assignee=values["assignee"],
    )


@router.get("/maintenance/orders/new")
def order_new(
    request: Request,
    machine_id: int | None = Query(None, ge=1, le=2_147_483_647),
    scope: Scope = require(RECORD),
    db: Session = DB,
) -> Response:
    """Show an empty breakdown report."""
    values = {"machine_id": str(machine_id or ""), "fault": "", "priority": "high", "assignee": ""}
    return _form_page(request, db, scope, values, {}, None)


@router.post("/maintenance/orders/new")
def order_create(
    request: Request,
    values: dict[str, str] = Depends(order_form),
    scope: Scope = require(RECORD),
    db: Session = DB,
) -> Response:
    """Open the breakdown work order, or show the form again naming each bad field."""
    data = _order_input(values)
    known = machine_or_none(db, scope, data.machine_id) is not None
    found = orders.order_problems(data, known)
    if found:
        return _form_page(request, db, scope, values, problem_errors(request, found), None, 422)
    order = orders.create_breakdown(db, scope, data)
    return RedirectResponse(f"{BASE}/orders/{order.id}", status_code=303)


@router.get("/maintenance/orders/{order_id:int}/edit")
def order_edit(
    request: Request, order_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the form of a live order's fault, priority and assignee."""
    order = WorkOrderRepository(db, scope).get(order_id)
    values = {
        "machine_id": str(order.machine_id),
        "fault": order.fault,
        "priority": order.priority,
        "assignee": order.assignee,
    }
    return _form_page(request, db, scope, values, {}, order)


@router.post("/maintenance/orders/{order_id:int}/edit")
def order_save(
    request: Request,
    order_id: RowId,
    values: dict[str, str] = Depends(order_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the order's changes, or show the form again naming each bad field."""
    order = WorkOrderRepository(db, scope).get(order_id)
    values = dict(values, machine_id=str(order.machine_id))
    data = _order_input(values)
    found = orders.order_problems(data, True)
    if found:
        return _form_page(request, db, scope, values, problem_errors(request, found), order, 422)
    try:
        orders.update(db, scope, order.id, data)
    except DomainError as exc:
        db.rollback()
        return _detail(request, db, scope, order_id, _refusal(request, exc), exc.status_code)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)


def _refusal(request: Request, exc: DomainError) -> dict[str, str]:
    return {exc.field or "form": gettext_of(request)(exc.template, **exc.params)}


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    order_id: int,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
    values: Mapping[str, Any] | None = None,
) -> Response:
    order = WorkOrderRepository(db, scope).get(order_id)
    plan = PlanRepository(db, scope).get(order.plan_id) if order.plan_id else None
    walked = RoundRepository(db, scope).get(order.round_id) if order.round_id else None
    extra = {
        "order": order,
        "machine": machine_or_none(db, scope, order.machine_id),
        "plan": plan,
        "round": walked,
        "errors": errors or {},
        "values": values or {"downtime_minutes": "", "parts": "", "resolution": ""},
    }
    page = context(request, db, scope, "orders", factory_today(), **extra)
    return render(request, "equipment/maintenance_order.html", page, status=status)


@router.get("/maintenance/orders/{order_id:int}")
def order_detail(
    request: Request, order_id: RowId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a work order with the moves its status allows."""
    return _detail(request, db, scope, order_id)


@router.post("/maintenance/orders/{order_id:int}/start")
def order_start(
    request: Request,
    order_id: RowId,
    assignee: str = Form("", max_length=400),
    scope: Scope = require(RECORD),
    db: Session = DB,
) -> Response:
    """Start the work order, or say why it cannot be started."""
    try:
        orders.start(db, scope, order_id, assignee)
    except DomainError as exc:
        db.rollback()
        return _detail(request, db, scope, order_id, _refusal(request, exc), exc.status_code)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)


def parse_parts(raw: str, found: list[FieldProblem]) -> list[orders.Part]:
    """Return the parts typed one per line as "name × qty" (or "name x qty", "name*qty")."""
    parts: list[orders.Part] = []
    for index, line in enumerate(raw.replace("\r", "").split("\n")):
        text = line.strip()
        if not text:
            continue
        for mark in ("×", "*", " x ", " X "):
            if mark in text:
                name, _, qty = text.rpartition(mark)
                break
        else:
            name, qty = text, "1"
        number = optional_int(qty)
        if number is None or number < 0:
            found.append(
                FieldProblem(
                    f"parts[{index}]", "write each part as “name × quantity”, one per line"
                )
            )
            continue
        parts.append(orders.Part(name.strip(), number))
    return parts


@router.post("/maintenance/orders/{order_id:int}/close")
async def order_close(
    request: Request, order_id: RowId, scope: Scope = require(RECORD), db: Session = DB
) -> Response:
    """Close the work order with downtime, parts and resolution, or name each bad field."""
    form = await request.form()
    values = {
        key: str(form.get(key, ""))[:10_000] for key in ("downtime_minutes", "parts", "resolution")
    }
    done = [optional_int(str(v)) for v in form.getlist("done")][:200]
    found: list[FieldProblem] = []
    minutes = optional_int(values["downtime_minutes"])
    if minutes is None:
        found.append(FieldProblem("downtime_minutes", "must not be empty"))
    data = orders.CloseIn(
        downtime_minutes=minutes if minutes is not None else 0,
        resolution=values["resolution"],
        parts=parse_parts(values["parts"], found),
        done_items=[n - 1 for n in done if n is not None],
    )
    order = WorkOrderRepository(db, scope).get(order_id)
    if order.status != "in_progress":
        exc = orders.refuse(order, "close")
        return _detail(request, db, scope, order_id, _refusal(request, exc), exc.status_code)
    found += orders.close_problems(data, len(order.checklist))
    if found:
        errors = problem_errors(request, found)
        return _detail(request, db, scope, order_id, errors, 422, values)
    orders.close(db, scope, order_id, data)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)


@router.post("/maintenance/orders/{order_id:int}/cancel")
def order_cancel(
    request: Request,
    order_id: RowId,
    reason: str = Form("", max_length=1000),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Cancel the work order, or say why it cannot be cancelled."""
    try:
        orders.cancel(db, scope, order_id, reason)
    except DomainError as exc:
        db.rollback()
        return _detail(request, db, scope, order_id, _refusal(request, exc), exc.status_code)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)


@router.get("/maintenance/orders/{order_id:int}/delete")
def order_confirm_delete(
    request: Request, order_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting a work order."""
    order = WorkOrderRepository(db, scope).get(order_id)
    gettext = gettext_of(request)
    extra = {
        "question": gettext(
            "Delete work order %(number)s? This cannot be undone.", number=order.number
        ),
        "action": f"{BASE}/orders/{order.id}/delete",
        "back": f"{BASE}/orders/{order.id}",
        "error": "",
    }
    page = context(request, db, scope, "orders", factory_today(), **extra)
    return render(request, "equipment/maintenance_delete.html", page)


@router.post("/maintenance/orders/{order_id:int}/delete")
def order_delete(
    request: Request, order_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the work order, or say why it stays."""
    try:
        orders.delete(db, scope, order_id)
    except DomainError as exc:
        db.rollback()
        return _detail(request, db, scope, order_id, _refusal(request, exc), exc.status_code)
    return RedirectResponse(f"{BASE}/orders", status_code=303)
