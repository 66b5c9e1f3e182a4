"""Pages of monthly revenue: list with the entry form, Excel export, delete with confirmation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.energy.pages.common import (
    BASE,
    DB,
    RowId,
    base_context,
    problem_errors,
    translator,
    xlsx,
)
from loom.apps.energy.permissions import REVENUE_READ, REVENUE_WRITE
from loom.apps.energy.service import revenue
from loom.apps.energy.service.export import workbook
from loom.apps.energy.service.numbers import Refused, from_e4, parse_decimal
from loom.apps.energy.service.times import local_today, parse_month
from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()
PAGE = 24


def _list_page(
    request: Request,
    db: Session,
    scope: Scope,
    q: str = "",
    offset: int = 0,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    page = revenue.page_of(db, scope, q=q, offset=offset, limit=PAGE)
    context = base_context(
        request,
        "revenue",
        page=page,
        q=q,
        values=values or {"month": "", "amount": "", "note": ""},
        errors=errors or {},
        from_e4=from_e4,
        can_write=scope.can(REVENUE_WRITE),
    )
    return render(request, "energy/revenue.html", context, status=status)


@router.get("/revenue")
def revenue_list(
    request: Request,
    q: str = Query("", max_length=10),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(REVENUE_READ),
    db: Session = DB,
) -> Response:
    """List monthly revenue (a year narrows it) with the form for another month."""
    return _list_page(request, db, scope, q, offset)


@router.post("/revenue")
def revenue_save(
    request: Request,
    month: str = Form("", max_length=20),
    amount: str = Form("", max_length=40),
    note: str = Form("", max_length=1000),
    scope: Scope = require(REVENUE_WRITE),
    db: Session = DB,
) -> Response:
    """Set a month's revenue, or show the form again naming each bad field."""
    values = {"month": month, "amount": amount, "note": note}
    data = revenue.RevenueIn(parse_month(month), parse_decimal(amount), note)
    try:
        revenue.save(db, scope, data, local_today())
    except Refused as exc:
        db.rollback()
        errors = problem_errors(request, exc.problems)
        return _list_page(request, db, scope, values=values, errors=errors, status=422)
    return RedirectResponse(f"{BASE}/revenue", status_code=303)


@router.get("/revenue.xlsx")
def revenue_export(
    request: Request, scope: Scope = require(REVENUE_READ), db: Session = DB
) -> Response:
    """Download every month's revenue."""
    gettext = translator(request)
    page = revenue.page_of(db, scope, offset=0, limit=10_000)
    rows = [(r.month.isoformat()[:7], float(from_e4(r.amount_e4) or 0), r.note) for r in page.items]
    headings = [gettext("Month"), gettext("Revenue (CNY)"), gettext("Note")]
    return xlsx(
        workbook(gettext("Revenue"), headings, rows),
        f"energy-revenue-{date.today().isoformat()}.xlsx",
    )


@router.get("/revenue/{revenue_id:int}/delete")
def revenue_confirm_delete(
    request: Request, revenue_id: RowId, scope: Scope = require(REVENUE_WRITE), db: Session = DB
) -> Response:
    """Ask before deleting a month's revenue."""
    row = revenue.RevenueRepository(db, scope).get(revenue_id)
    context = base_context(request, "revenue", row=row, from_e4=from_e4)
    return render(request, "energy/revenue_delete.html", context)


@router.post("/revenue/{revenue_id:int}/delete")
def revenue_delete(
    revenue_id: RowId, scope: Scope = require(REVENUE_WRITE), db: Session = DB
) -> Response:
    """Delete the month's revenue."""
    revenue.delete(db, scope, revenue_id)
    return RedirectResponse(f"{BASE}/revenue", status_code=303)
