"""What-if forms on the current plan's page: rush order, overtime, a lost line."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.scheduling.pages.plans_common import (
    BASE,
    DB,
    WRITE,
    base_context,
    day_field,
    domain_errors,
    int_or_none,
    translator,
)
from loom.apps.scheduling.pages.plans_detail import detail_page
from loom.apps.scheduling.service import plans
from loom.apps.scheduling.service import plans_whatif as whatif
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()
Change = whatif.RushIn | whatif.OvertimeIn | whatif.LoseLineIn


def _run(
    request: Request,
    db: Session,
    scope: Scope,
    form: str,
    values: dict[str, str],
    build: Callable[[Callable[..., str], dict[str, str]], Change | dict[str, str]],
) -> Response:
    gettext = translator(request)
    current = plans.current(db, scope)
    if current is None:
        problem = gettext("no plan has been adopted yet: adopt a plan before a what-if")
        context = base_context(request, "plans", plan=None, problem=problem)
        return render(request, "scheduling/plans_discard.html", context, status=409)
    seconds = int_or_none(values.get("time_limit", "")) or plans.DEFAULT_TIME_LIMIT
    change = build(gettext, values)
    errors: dict[str, str]
    if isinstance(change, dict):
        errors = change
    else:
        try:
            row = whatif.run(db, scope, change, time_limit=seconds)
            return RedirectResponse(f"{BASE}/{row.id}", status_code=303)
        except DomainError as exc:
            db.rollback()
            current = plans.current(db, scope)
            assert current is not None  # the rollback restores what was read above
            errors = domain_errors(request, exc)
    return detail_page(
        request, db, scope, current, form=form, values=values, errors=errors, status=422
    )


def _need(
    gettext: Callable[..., str], values: dict[str, str], errors: dict[str, str], *names: str
) -> None:
    for name in names:
        if name.startswith(("date", "due", "from")):
            if day_field(values.get(name, "")) is None:
                errors[name] = gettext("a date like 2026-12-07")
        elif int_or_none(values.get(name, "")) is None:
            errors[name] = gettext("a whole number")


@router.post("/plans/whatif/rush")
def whatif_rush(
    request: Request,
    style_id: str = Form("", max_length=20),
    quantity: str = Form("", max_length=20),
    due: str = Form("", max_length=40),
    weight: str = Form("3", max_length=20),
    category: str = Form("", max_length=80),
    time_limit: str = Form("10", max_length=20),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Re-plan the current plan with a rush order and show the change."""
    values = {
        "style_id": style_id,
        "quantity": quantity,
        "due": due,
        "weight": weight,
        "category": category,
        "time_limit": time_limit,
    }

    def build(gettext: Callable[..., str], v: dict[str, str]) -> Change | dict[str, str]:
        errors: dict[str, str] = {}
        _need(gettext, v, errors, "style_id", "quantity", "due", "weight")
        if errors:
            return errors
        return whatif.RushIn(
            style_id=int_or_none(v["style_id"]) or 0,
            quantity=int_or_none(v["quantity"]) or 0,
            due=day_field(v["due"]) or plans.today(),
            weight=int_or_none(v["weight"]) or 0,
            category=v["category"],
        )

    return _run(request, db, scope, "rush", values, build)


@router.post("/plans/whatif/overtime")
def whatif_overtime(
    request: Request,
    line_id: str = Form("", max_length=20),
    date_from: str = Form("", max_length=40),
    date_to: str = Form("", max_length=40),
    minutes: str = Form("", max_length=20),
    time_limit: str = Form("10", max_length=20),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Re-plan the current plan with overtime on a line and show the change."""
    values = {
        "line_id": line_id,
        "date_from": date_from,
        "date_to": date_to,
        "minutes": minutes,
        "time_limit": time_limit,
    }

    def build(gettext: Callable[..., str], v: dict[str, str]) -> Change | dict[str, str]:
        errors: dict[str, str] = {}
        _need(gettext, v, errors, "line_id", "date_from", "date_to", "minutes")
        if errors:
            return errors
        return whatif.OvertimeIn(
            line_id=int_or_none(v["line_id"]) or 0,
            date_from=day_field(v["date_from"]) or plans.today(),
            date_to=day_field(v["date_to"]) or plans.today(),
            minutes=int_or_none(v["minutes"]) or 0,
        )

    return _run(request, db, scope, "overtime", values, build)


@router.post("/plans/whatif/lose-line")
def whatif_lose_line(
    request: Request,
    line_id: str = Form("", max_length=20),
    from_date: str = Form("", max_length=40),
    time_limit: str = Form("10", max_length=20),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Re-plan the current plan without a line from a date and show the change."""
    values = {"line_id": line_id, "from_date": from_date, "time_limit": time_limit}

    def build(gettext: Callable[..., str], v: dict[str, str]) -> Change | dict[str, str]:
        errors: dict[str, str] = {}
        _need(gettext, v, errors, "line_id", "from_date")
        if errors:
            return errors
        return whatif.LoseLineIn(
            line_id=int_or_none(v["line_id"]) or 0,
            from_date=day_field(v["from_date"]) or plans.today(),
        )

    return _run(request, db, scope, "lose_line", values, build)
