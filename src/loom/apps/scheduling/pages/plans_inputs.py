"""Pages of the planner's inputs: sewing lines' profiles and open orders' attributes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.scheduling.pages.plans_common import (
    BASE,
    CALENDAR,
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
from loom.apps.scheduling.service import profiles
from loom.apps.scheduling.service.problem import open_orders
from loom.kernel.authz.guard import require
from loom.kernel.db.repository import Page
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()


@router.get("/plans/lines")
def lines_list(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """List the active sewing lines with their scheduling profiles."""
    views = profiles.line_views(db, scope, profiles.sewing_lines(db, scope))
    context = base_context(request, "lines", views=views, can_write=scope.can(CALENDAR))
    return render(request, "scheduling/plans_lines.html", context)


def _profile_values(view: profiles.LineView) -> dict[str, str]:
    return {
        "categories": ", ".join(view.categories),
        "operators": ""
        if view.profile is None or view.profile.operators is None
        else str(view.operators),
        "efficiency_pct": str(view.efficiency_pct),
        "weekdays": ",".join(str(d) for d in view.weekdays),
        "holidays": "\n".join(d.isoformat() for d in view.holidays),
        "overtime": "\n".join(f"{d.isoformat()} {m}" for d, m in sorted(view.overtime.items())),
        "current_style": view.current_style,
    }


def _line_page(
    request: Request,
    view: profiles.LineView,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
) -> Response:
    context = base_context(request, "lines", view=view, values=values, errors=errors)
    return render(request, "scheduling/plans_line_form.html", context, status=status)


@router.get("/plans/lines/{line_id:int}/edit")
def line_edit(
    request: Request, line_id: RowId, scope: Scope = require(CALENDAR), db: Session = DB
) -> Response:
    """Show a line's profile form."""
    line = profiles.SchedLineRepository(db, scope).get(line_id)
    view = profiles.line_views(db, scope, [line])[0]
    return _line_page(request, view, _profile_values(view), {})


def _split(raw: str) -> list[str]:
    parts = raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def _parse_profile(
    request: Request, values: Mapping[str, str]
) -> tuple[profiles.LineProfileIn | None, dict[str, str]]:
    gettext = translator(request)
    errors: dict[str, str] = {}
    operators = int_or_none(values["operators"]) if values["operators"].strip() else None
    if values["operators"].strip() and operators is None:
        errors["operators"] = gettext("a whole number")
    efficiency = int_or_none(values["efficiency_pct"])
    if efficiency is None:
        errors["efficiency_pct"] = gettext("a whole number")
    weekdays = [int_or_none(w) for w in _split(values["weekdays"])]
    holidays = [day_field(d) for d in _split(values["holidays"])]
    if None in holidays:
        errors["holidays"] = gettext("a date like 2026-12-07")
    overtime: dict[date, int] = {}
    for entry in values["overtime"].splitlines():
        if not entry.strip():
            continue
        day_text, _, minutes_text = entry.strip().partition(" ")
        day, minutes = day_field(day_text), int_or_none(minutes_text)
        if day is None or minutes is None:
            errors["overtime"] = gettext(
                "one line per day: a date and minutes, like 2026-12-07 120"
            )
        else:
            overtime[day] = minutes
    if errors:
        return None, errors
    data = profiles.LineProfileIn(
        categories=_split(values["categories"]),
        operators=operators,
        efficiency_pct=efficiency or 0,
        weekdays=[w if w is not None else -1 for w in weekdays],
        holidays=[d for d in holidays if d is not None],
        overtime=overtime,
        current_style=values["current_style"],
    )
    problems = profiles.profile_problems(data)
    if problems:
        for p in problems:
            name = p.field.split("[")[0].split(".")[0]
            errors[name] = gettext(p.template, **p.params)
        return None, errors
    return data, {}


@router.post("/plans/lines/{line_id:int}/edit")
def line_save(
    request: Request,
    line_id: RowId,
    categories: str = Form("", max_length=2000),
    operators: str = Form("", max_length=20),
    efficiency_pct: str = Form("100", max_length=20),
    weekdays: list[str] = Form([]),
    holidays: str = Form("", max_length=10_000),
    overtime: str = Form("", max_length=20_000),
    current_style: str = Form("", max_length=80),
    scope: Scope = require(CALENDAR),
    db: Session = DB,
) -> Response:
    """Save a line's profile, or show the form again with the problems."""
    line = profiles.SchedLineRepository(db, scope).get(line_id)
    values = {
        "categories": categories,
        "operators": operators,
        "efficiency_pct": efficiency_pct,
        "weekdays": ",".join(weekdays[:7]),
        "holidays": holidays,
        "overtime": overtime,
        "current_style": current_style,
    }
    data, errors = _parse_profile(request, values)
    if data is not None:
        try:
            profiles.save_profile(db, scope, line.id, data)
            return RedirectResponse(f"{BASE}/lines", status_code=303)
        except DomainError as exc:
            db.rollback()
            line = profiles.SchedLineRepository(db, scope).get(line_id)
            errors = domain_errors(request, exc)
    view = profiles.line_views(db, scope, [line])[0]
    return _line_page(request, view, values, errors, 422)


@router.get("/plans/orders")
def orders_list(
    request: Request,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the open orders with their scheduling attributes, searched by number or style."""
    term = q.strip().lower()
    views = [
        v
        for v in profiles.order_views(db, scope, open_orders(db, scope))
        if not term or term in f"{v.order.number} {v.style_code} {v.category}".lower()
    ]
    page = Page(views[offset : offset + PAGE_SIZE], len(views), offset, PAGE_SIZE)
    context = base_context(request, "orders", page=page, q=q, can_write=scope.can(WRITE))
    return render(request, "scheduling/plans_orders.html", context)


def _order_page(
    request: Request,
    view: profiles.OrderView,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int = 200,
) -> Response:
    context = base_context(request, "orders", view=view, values=values, errors=errors)
    return render(request, "scheduling/plans_order_form.html", context, status=status)


@router.get("/plans/orders/{order_id:int}/edit")
def order_edit(
    request: Request, order_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show an order's scheduling attributes form."""
    order = profiles.OrderRepository(db, scope).get(order_id)
    view = profiles.order_views(db, scope, [order])[0]
    values = {
        "category": view.category,
        "release_date": view.release_date.isoformat() if view.release_date else "",
        "weight": str(view.weight),
        "sam": ""
        if view.attrs is None or view.attrs.sam_e4 is None
        else str(Decimal(view.sam_e4).scaleb(-4)),
    }
    return _order_page(request, view, values, {})


@router.post("/plans/orders/{order_id:int}/edit")
def order_save(
    request: Request,
    order_id: RowId,
    category: str = Form("", max_length=80),
    release_date: str = Form("", max_length=40),
    weight: str = Form("1", max_length=20),
    sam: str = Form("", max_length=40),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save an order's attributes, or show the form again with the problems."""
    order = profiles.OrderRepository(db, scope).get(order_id)
    values = {"category": category, "release_date": release_date, "weight": weight, "sam": sam}
    gettext = translator(request)
    errors: dict[str, str] = {}
    release = day_field(release_date) if release_date.strip() else None
    if release_date.strip() and release is None:
        errors["release_date"] = gettext("a date like 2026-12-07")
    number = int_or_none(weight)
    if number is None:
        errors["weight"] = gettext("a whole number from 1 to 5")
    per_piece: Decimal | None = None
    if sam.strip():
        try:
            per_piece = Decimal(sam.strip())
        except InvalidOperation:
            errors["sam"] = gettext("minutes per piece above 0, at most 1000")
    # the rules run on what could be read, so every bad field is named at once
    data = profiles.OrderAttrsIn(category, release, number or 0, per_piece)
    for p in profiles.attrs_problems(data):
        errors.setdefault(p.field, gettext(p.template, **p.params))
    if not errors:
        profiles.save_attrs(db, scope, order.id, data)
        return RedirectResponse(f"{BASE}/orders", status_code=303)
    view = profiles.order_views(db, scope, [order])[0]
    return _order_page(request, view, values, errors, 422)
