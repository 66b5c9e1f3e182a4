"""Pages of the programme console: pilot selection (list, new application, ranking, export).

One application's page is in ``selection_pilot``, general contractors in
``selection_contractors`` and ``selection_bid``; their paths never collide with these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.api.selection import pilot_filters
from loom.modules.programme.engine import rounded
from loom.modules.programme.pages import selection_bid, selection_contractors, selection_pilot
from loom.modules.programme.pages.common import BASE, DB, PAGE_SIZE, translator
from loom.modules.programme.pages.selection_export import XLSX, pilot_workbook
from loom.modules.programme.pages.selection_labels import (
    DECIDED_BY,
    FIELD_HINTS,
    PILOT_STATUS,
    batch_label,
    field_errors,
    localised_params,
    sector_label,
    weighted_items,
)
from loom.modules.programme.service import selection as svc
from loom.modules.programme.service import selection_ranking as ranks
from loom.modules.programme.service.plans import active_plan
from loom.modules.programme.service.selection_ranking import QuotaExceeded

READ = "programme.pilot.read"
MANAGE = "programme.pilot.manage"
HOME = f"{BASE}/pilots"

router = APIRouter()
router.include_router(selection_pilot.router)
router.include_router(selection_contractors.router)
router.include_router(selection_bid.router)


def plan_labels(request: Request, db: Session, bureau_org_id: int) -> dict[str, Any]:
    """Return the plan of a bureau with its sectors and batches named for the page."""
    plan = active_plan(db, bureau_org_id)
    return {
        "plan": plan,
        "sectors": {s.id: sector_label(request, plan, s.id) for s in plan.sectors},
        "batches": {b.id: batch_label(request, b) for b in plan.batches},
        "statuses": PILOT_STATUS,
    }


@router.get("/pilots")
def pilot_list(
    request: Request,
    chosen: svc.Filters = Depends(pilot_filters),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List pilot applications with search, filters and pages (an enterprise sees its own)."""
    page = svc.PilotRepository(db, scope).listing(chosen, offset=offset, limit=PAGE_SIZE)
    bureau = scope.org_kind == OrgKind.BUREAU
    labels = plan_labels(request, db, page.items[0].org_id if page.items else scope.org_id)
    scores: dict[int, Any] = {}
    if bureau:
        sheets = svc.sheets_of(db, [a.id for a in page.items])
        scores = {i: ranks.score_of(labels["plan"], rows) for i, rows in sheets.items()}
    params = {"sector": chosen.sector, "status": chosen.status, "batch": chosen.batch}
    return render(
        request,
        "programme/selection_pilots.html",
        {
            "tab": "pilots",
            "page": page,
            "q": chosen.q,
            "params": params,
            "filtering": bool(chosen.q or any(params.values())),
            "entries": svc.enterprises_of(db, page.items),
            "scores": scores,
            "bureau": bureau,
            "can_manage": scope.can(MANAGE),
            **labels,
        },
    )


def _new_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    labels = plan_labels(request, db, scope.org_id)
    context = {
        "tab": "pilots",
        "values": values,
        "errors": errors,
        "enterprises": svc.open_enterprises(db, scope, values.get("q", "")),
        **labels,
    }
    return render(request, "programme/selection_pilot_new.html", context, status=status)


@router.get("/pilots/new")
def pilot_new(
    request: Request,
    q: str = Query("", max_length=100),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Show the form that records an application for a registry enterprise."""
    return _new_page(request, db, scope, {"q": q}, {})


@router.post("/pilots/new")
def pilot_create(
    request: Request,
    enterprise_id: str = Form(""),
    statement: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Record the application, or show the form again naming what is wrong."""
    values = {"enterprise_id": enterprise_id, "statement": statement}
    if not enterprise_id.strip().isdigit():
        errors = {"enterprise_id": translator(request)(FIELD_HINTS["enterprise_id"])}
        return _new_page(request, db, scope, values, errors, status=422)
    try:
        app = svc.create(db, scope, int(enterprise_id), statement)
    except DomainError as exc:
        db.rollback()
        return _new_page(request, db, scope, values, field_errors(request, exc), exc.status_code)
    return RedirectResponse(f"{HOME}/{app.id}", status_code=303)


def _ranking_page(
    request: Request,
    db: Session,
    scope: Scope,
    sector: str,
    *,
    refusals: list[str] | None = None,
    chosen: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    labels = plan_labels(request, db, scope.org_id)
    plan = labels["plan"]
    places = ranks.places(db, scope.org_id, plan)
    open_batches = [b.id for b in plan.batches if any(p.remaining for p in places if p.batch == b)]
    context = {
        "tab": "pilots",
        "ranking": ranks.ranking(db, scope, plan, sector),
        "sector": sector,
        "principles": weighted_items(request, plan.pilot_principles),
        "places": places,
        "refusals": refusals or [],
        "chosen": chosen or {"batch": open_batches[0] if open_batches else "", "ids": []},
        "selected": request.query_params.get("selected", ""),
        "can_manage": scope.can(MANAGE),
        "decided_by": DECIDED_BY,
        "two": rounded,
        **labels,
    }
    return render(request, "programme/selection_ranking.html", context, status=status)


@router.get("/pilots/ranking")
def pilot_ranking(
    request: Request,
    sector: str = Query("", max_length=30),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show each sector's ranking with the weights, the places left and the selection form."""
    return _ranking_page(request, db, scope, sector)


@router.post("/pilots/ranking/select")
def pilot_select(
    request: Request,
    batch: str = Form(""),
    application_id: list[str] = Form([]),
    note: str = Form(""),
    sector: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Select the ticked applications into the batch, or say which quota or rule refuses."""
    ids = [int(i) for i in application_id if i.strip().isdigit()]
    chosen = {"batch": batch, "ids": ids, "note": note}
    try:
        selected = ranks.select_into_batch(db, scope, batch, ids, note)
    except QuotaExceeded as exc:
        db.rollback()
        gettext = translator(request)
        names = plan_labels(request, db, scope.org_id)["batches"]
        refusals = [gettext(t, **localised_params(request, p, names)) for t, p in exc.refusals]
        return _ranking_page(
            request, db, scope, sector, refusals=refusals, chosen=chosen, status=409
        )
    except DomainError as exc:
        db.rollback()
        refusals = list(dict.fromkeys(field_errors(request, exc).values()))
        return _ranking_page(
            request, db, scope, sector, refusals=refusals, chosen=chosen, status=exc.status_code
        )
    query = f"?selected={len(selected)}" + (f"&sector={sector}" if sector else "")
    return RedirectResponse(f"{HOME}/ranking{query}", status_code=303)


@router.get("/pilots/ranking.xlsx")
def pilot_ranking_export(
    request: Request,
    sector: str = Query("", max_length=30),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the ranking, with each principle's mean and the weights, as Excel."""
    labels = plan_labels(request, db, scope.org_id)
    plan = labels["plan"]
    content = pilot_workbook(
        ranks.ranking(db, scope, plan, sector),
        weighted_items(request, plan.pilot_principles),
        labels,
        translator(request),
    )
    filename = f"pilot-ranking-{date.today().isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)
