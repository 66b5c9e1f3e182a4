"""Pages: plan lays (suggested or by hand), edit and delete planned lays, cut lays."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, NotFound
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.shopfloor.engine import cutting as maths
from loom.modules.shopfloor.models import Lay, ProductionOrder
from loom.modules.shopfloor.pages.orders_common import (
    BASE,
    CUT,
    DB,
    error_text,
    problem_texts,
    session_rollback,
    whole,
)
from loom.modules.shopfloor.pages.orders_detail import detail_page
from loom.modules.shopfloor.service import cutting
from loom.modules.shopfloor.service import orders as svc

router = APIRouter()


def _lay_of(db: Session, scope: Scope, order_id: int, lay_id: int) -> tuple[ProductionOrder, Lay]:
    order = svc.OrderRepository(db, scope).get(order_id)
    lay = cutting.LayRepository(db, scope).get(lay_id)
    if lay.order_id != order.id:
        raise NotFound("%(kind)s %(id)s not found", params={"kind": "Lay", "id": lay_id})
    return order, lay


async def _plan_form(
    request: Request,
) -> tuple[dict[str, str], cutting.PlanIn | None, list[FieldProblem]]:
    form = await request.form()
    typed = {k: str(form.get(k, "")) for k in ("max_plies", "max_marker", "min_plies", "action")}
    found: list[FieldProblem] = []
    plies = whole(typed["max_plies"], "max_plies", found, low=1, blank=None)
    marker = whole(typed["max_marker"], "max_marker", found, low=1, blank=None)
    least = whole(typed["min_plies"], "min_plies", found, low=1, blank=1)
    if found or plies is None or marker is None or least is None:
        return typed, None, found
    data = cutting.PlanIn(max_plies=plies, max_marker=marker, min_plies=least)
    return typed, data, cutting.plan_problems(data)


@router.post("/orders/{order_id:int}/plan")
async def plan_lays(
    request: Request, order_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Preview the suggested lays, or replace the planned lays with them."""
    svc.OrderRepository(db, scope).get(order_id)
    typed, data, found = await _plan_form(request)
    if found or data is None:
        errors = problem_texts(request, found)
        return detail_page(request, db, scope, order_id, plan=typed, errors=errors, status=422)
    try:
        if typed["action"] == "apply":
            cutting.apply_plan(db, scope, order_id, data)
            return RedirectResponse(f"{BASE}/{order_id}#lays", status_code=303)
        suggestion = cutting.suggest(db, scope, order_id, data)
    except DomainError as exc:
        session_rollback(db)
        errors = error_text(request, exc)
        return detail_page(request, db, scope, order_id, plan=typed, errors=errors, status=422)
    return detail_page(request, db, scope, order_id, plan=typed, suggestion=suggestion)


async def _lay_form(
    request: Request, order: ProductionOrder, style: Style | None
) -> tuple[dict[str, Any], cutting.LayIn | None, list[FieldProblem]]:
    form = await request.form()
    colour = str(form.get("colour", ""))
    plies_text = str(form.get("plies", ""))
    found: list[FieldProblem] = []
    plies = whole(plies_text, "plies", found, low=1, blank=None)
    typed_ratios: dict[str, str] = {}
    ratios: dict[str, int] = {}
    for si, size in enumerate(style.sizes if style else []):
        text = str(form.get(f"ratio-{si}", ""))
        typed_ratios[size] = text
        ratio = whole(text, f"ratios.{size}", found)
        if ratio:
            ratios[size] = ratio
    typed = {"colour": colour, "plies": plies_text, "ratios": typed_ratios}
    if found or plies is None:
        return typed, None, found
    data = cutting.LayIn(colour=colour, plies=plies, ratios=ratios)
    return (
        typed,
        data,
        cutting.lay_problems(data, list(order.quantities), style.sizes if style else []),
    )


@router.post("/orders/{order_id:int}/lays")
async def lay_add(
    request: Request, order_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Add a lay by hand, or show the order again with the lay form's problems."""
    order = svc.OrderRepository(db, scope).get(order_id)
    typed, data, found = await _lay_form(request, order, db.get(Style, order.style_id))
    if found or data is None:
        errors = problem_texts(request, found)
        return detail_page(
            request, db, scope, order_id, lay_values=typed, errors=errors, status=422
        )
    cutting.add_lay(db, scope, order_id, data)
    return RedirectResponse(f"{BASE}/{order_id}#lays", status_code=303)


def _lay_page(
    request: Request,
    order: ProductionOrder,
    lay: Lay,
    style: Style | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {"order": order, "lay": lay, "style": style, "values": values, "errors": errors}
    return render(request, "shopfloor/orders_lay.html", context, status=status)


@router.get("/orders/{order_id:int}/lays/{lay_id:int}/edit")
def lay_edit(
    request: Request, order_id: int, lay_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Show a planned lay's form."""
    order, lay = _lay_of(db, scope, order_id, lay_id)
    values = {
        "colour": lay.colour,
        "plies": str(lay.plies),
        "ratios": {size: str(n) for size, n in lay.ratios.items()},
    }
    return _lay_page(request, order, lay, db.get(Style, order.style_id), values, {})


@router.post("/orders/{order_id:int}/lays/{lay_id:int}/edit")
async def lay_save(
    request: Request, order_id: int, lay_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Save a planned lay, or show its form again with the problems."""
    order, lay = _lay_of(db, scope, order_id, lay_id)
    style = db.get(Style, order.style_id)
    typed, data, found = await _lay_form(request, order, style)
    if found or data is None:
        return _lay_page(request, order, lay, style, typed, problem_texts(request, found), 422)
    try:
        cutting.update_lay(db, scope, lay_id, data)
    except DomainError as exc:
        session_rollback(db)
        return _lay_page(
            request, order, lay, style, typed, error_text(request, exc), exc.status_code
        )
    return RedirectResponse(f"{BASE}/{order_id}#lays", status_code=303)


def _confirm(
    request: Request, template: str, order: ProductionOrder, lay: Lay, **extra: Any
) -> Response:
    status = int(extra.pop("status", 200))
    context = {"order": order, "lay": lay, **extra}
    return render(request, f"shopfloor/{template}", context, status=status)


@router.get("/orders/{order_id:int}/lays/{lay_id:int}/delete")
def lay_confirm_delete(
    request: Request, order_id: int, lay_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Ask before deleting a planned lay."""
    order, lay = _lay_of(db, scope, order_id, lay_id)
    return _confirm(request, "orders_lay_delete.html", order, lay, problem="")


@router.post("/orders/{order_id:int}/lays/{lay_id:int}/delete")
def lay_delete(
    request: Request, order_id: int, lay_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Delete a planned lay, or say why it cannot be."""
    order, lay = _lay_of(db, scope, order_id, lay_id)
    try:
        cutting.delete_lay(db, scope, lay_id)
    except DomainError as exc:
        session_rollback(db)
        problem = error_text(request, exc)["_"]
        return _confirm(request, "orders_lay_delete.html", order, lay, problem=problem, status=409)
    return RedirectResponse(f"{BASE}/{order_id}#lays", status_code=303)


@router.get("/orders/{order_id:int}/lays/{lay_id:int}/cut")
def lay_confirm_cut(
    request: Request,
    order_id: int,
    lay_id: int,
    bundle_size: int = Query(20, ge=1, le=cutting.MAX_BUNDLE),
    scope: Scope = require(CUT),
    db: Session = DB,
) -> Response:
    """Show how a lay would be bundled and ask before cutting it (cutting cannot be undone)."""
    order, lay = _lay_of(db, scope, order_id, lay_id)
    preview = maths.bundles_of(lay.plies, lay.ratios, bundle_size)
    return _confirm(
        request, "orders_cut.html", order, lay, bundle_size=bundle_size, preview=preview, problem=""
    )


@router.post("/orders/{order_id:int}/lays/{lay_id:int}/cut")
async def lay_cut(
    request: Request, order_id: int, lay_id: int, scope: Scope = require(CUT), db: Session = DB
) -> Response:
    """Cut the lay into numbered bundles, then show the order; a cut lay is refused."""
    order, lay = _lay_of(db, scope, order_id, lay_id)
    form = await request.form()
    found: list[FieldProblem] = []
    size = whole(str(form.get("bundle_size", "")), "bundle_size", found, low=1, blank=None)
    try:
        if size is None:
            raise DomainError(found[0].template, field="bundle_size", params=found[0].params)
        cutting.cut_lay(db, scope, lay_id, size)
    except DomainError as exc:
        session_rollback(db)
        problem = next(iter(error_text(request, exc).values()))
        return _confirm(
            request,
            "orders_cut.html",
            order,
            lay,
            bundle_size=size or 20,
            preview=[],
            problem=problem,
            status=409 if exc.status_code == 409 else 422,
        )
    return RedirectResponse(f"{BASE}/{order_id}#bundles", status_code=303)
