"""R1 绿色低碳: energy per 100 CNY of revenue before and after, and the settings behind it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.energy.pages.common import BASE, DB, base_context, translator
from loom.apps.energy.permissions import REVENUE_READ, SETTINGS
from loom.apps.energy.service.figures import r1_change
from loom.apps.energy.service.times import local_today
from loom.apps.energy.settings import SLUG, EnergySettings, load_settings
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.plugins.enablement import update_settings
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()
OPTIONS = {"A": "增加", "B": "持平", "C": "降低"}


def _values(settings: EnergySettings) -> dict[str, str]:
    dumped = settings.model_dump(mode="json")
    return {k: ("on" if v is True else "" if v is False else str(v)) for k, v in dumped.items()}


def _page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    settings = load_settings(db, scope.org_id)
    today = local_today()
    (b_first, b_last), (a_first, a_last) = settings.periods(today)
    context: dict[str, Any] = base_context(
        request,
        "r1",
        change=r1_change(db, scope, today),
        settings=settings,
        coefficients=settings.coefficients(),
        values=values or _values(settings),
        errors=errors or {},
        options=OPTIONS,
        default_periods=f"{b_first:%Y-%m}–{b_last:%Y-%m} / {a_first:%Y-%m}–{a_last:%Y-%m}",
        can_configure=scope.can(SETTINGS),
        months_text=lambda found: ", ".join(m.isoformat()[:7] for m in found),
    )
    return render(request, "energy/r1.html", context, status=status)


@router.get("/r1")
def r1_page(request: Request, scope: Scope = require(REVENUE_READ), db: Session = DB) -> Response:
    """Show energy per 100 CNY of revenue in the two periods and the R1 option it reads as."""
    return _page(request, db, scope)


@router.post("/r1")
def r1_settings(
    request: Request,
    electricity_basis: str = Form("equivalent", max_length=20),
    electricity_equal_kgce: str = Form("", max_length=20),
    natural_gas_kgce: str = Form("", max_length=20),
    steam_kgce_per_t: str = Form("", max_length=20),
    include_water: str = Form("", max_length=10),
    before_from: str = Form("", max_length=10),
    before_to: str = Form("", max_length=10),
    after_from: str = Form("", max_length=10),
    after_to: str = Form("", max_length=10),
    scope: Scope = require(SETTINGS),
    db: Session = DB,
) -> Response:
    """Save the coefficients and periods, or show the form again naming the bad field."""
    values = {
        "electricity_basis": electricity_basis,
        "electricity_equal_kgce": electricity_equal_kgce,
        "natural_gas_kgce": natural_gas_kgce,
        "steam_kgce_per_t": steam_kgce_per_t,
        "include_water": include_water,
        "before_from": before_from,
        "before_to": before_to,
        "after_from": after_from,
        "after_to": after_to,
    }
    payload: dict[str, Any] = {k: v.strip() for k, v in values.items() if k != "include_water"}
    payload["include_water"] = bool(include_water)
    payload = {k: v for k, v in payload.items() if v != "" or k.startswith(("before", "after"))}
    try:
        update_settings(db, scope, runtime_of(request).apps[SLUG], payload)
    except DomainError as exc:
        db.rollback()
        field = (exc.field or "form").split(".")[0]
        field = field if field in values else "form"
        gettext = translator(request)
        message = gettext("This value is not accepted: %(detail)s", detail=exc.message)
        return _page(request, db, scope, values, {field: message}, exc.status_code)
    return RedirectResponse(f"{BASE}/r1?saved=1", status_code=303)
