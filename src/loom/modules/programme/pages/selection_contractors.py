"""Pages of general-contractor selection: bids list, a contractor's application, ranking."""

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
from loom.modules.programme.api.selection_contractors import contractor_filters
from loom.modules.programme.engine import rounded
from loom.modules.programme.pages.common import BASE, DB, PAGE_SIZE, org_names, translator
from loom.modules.programme.pages.selection_export import XLSX, contractor_workbook
from loom.modules.programme.pages.selection_labels import (
    BID_STATUS,
    DECIDED_BY,
    conflict_messages,
    field_errors,
    sector_label,
    weighted_items,
)
from loom.modules.programme.service import contractor_ranking as ranks
from loom.modules.programme.service import contractor_selection as svc
from loom.modules.programme.service.plans import active_plan

READ = "programme.contractor.read"
APPLY = "programme.contractor.apply"
MANAGE = "programme.contractor.manage"
HOME = f"{BASE}/contractors"

router = APIRouter()


def sector_names(request: Request, db: Session, bureau_ids: list[int]) -> dict[str, str]:
    """Return the sectors of these bureaus' plans, named for the page."""
    names: dict[str, str] = {}
    for bureau in bureau_ids:
        plan = active_plan(db, bureau)
        names.update({s.id: sector_label(request, plan, s.id) for s in plan.sectors})
    return names


@router.get("/contractors")
def bid_list(
    request: Request,
    chosen: svc.Filters = Depends(contractor_filters),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List bids with search, filters and pages (a contractor sees the ones it leads)."""
    page = svc.ContractorRepository(db, scope).listing(chosen, offset=offset, limit=PAGE_SIZE)
    ids = [a.contractor_org_id for a in page.items] + [a.org_id for a in page.items]
    ids += [m for a in page.items for m in a.member_org_ids]
    bureaus = sorted({a.org_id for a in page.items} | {scope.org_id})
    params = {"sector": chosen.sector, "status": chosen.status}
    return render(
        request,
        "programme/selection_contractors.html",
        {
            "tab": "contractors",
            "page": page,
            "q": chosen.q,
            "params": params,
            "filtering": bool(chosen.q or any(params.values())),
            "orgs": org_names(db, ids),
            "sectors": sector_names(request, db, bureaus),
            "statuses": BID_STATUS,
            "bureau": scope.org_kind == OrgKind.BUREAU,
            "can_apply": scope.can(APPLY),
        },
    )


def _apply_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    bureaus = svc.organisations(db, OrgKind.BUREAU)
    context = {
        "tab": "contractors",
        "values": values,
        "errors": errors,
        "bureaus": bureaus,
        "partners": svc.organisations(db, OrgKind.CONTRACTOR, but=scope.org_id),
        "sectors": sector_names(request, db, [b.id for b in bureaus]),
    }
    return render(request, "programme/selection_bid_new.html", context, status=status)


@router.get("/contractors/apply")
def bid_new(request: Request, scope: Scope = require(APPLY), db: Session = DB) -> Response:
    """Show a contractor's application form: the bureau, the sector, consortium members."""
    return _apply_page(request, db, scope, {"members": []}, {})


@router.post("/contractors/apply")
def bid_create(
    request: Request,
    bureau_org_id: str = Form(""),
    sector: str = Form(""),
    member_org_id: list[str] = Form([]),
    statement: str = Form(""),
    scope: Scope = require(APPLY),
    db: Session = DB,
) -> Response:
    """Submit the application, or show the form again naming what is wrong."""
    members = [int(m) for m in member_org_id if m.strip().isdigit()]
    values: dict[str, Any] = {
        "bureau_org_id": bureau_org_id,
        "sector": sector,
        "members": members,
        "statement": statement,
    }
    bureau = int(bureau_org_id) if bureau_org_id.strip().isdigit() else 0
    try:
        app = svc.apply(
            db,
            scope,
            bureau_org_id=bureau,
            sector=sector,
            member_org_ids=members,
            statement=statement,
        )
    except DomainError as exc:
        db.rollback()
        return _apply_page(request, db, scope, values, field_errors(request, exc), exc.status_code)
    return RedirectResponse(f"{HOME}/{app.id}", status_code=303)


def ranking_context(request: Request, db: Session, scope: Scope, sector: str) -> dict[str, Any]:
    """Return the ranking of the bureau's bids with everything the page and export show."""
    plan = active_plan(db, scope.org_id)
    ranking = ranks.ranking(db, scope, plan, sector)
    apps = [row.application for bids in ranking.values() for row in bids.rows]
    ids = [a.contractor_org_id for a in apps] + [m for a in apps for m in a.member_org_ids]
    orgs = org_names(db, ids)
    groups = weighted_items(request, plan.evaluator_groups)
    names = {g.id: g.label for g in groups}

    def missing_of(missing: tuple[str, ...]) -> str:
        return "、".join(names.get(g, g) for g in missing)

    return {
        "tab": "contractors",
        "plan": plan,
        "ranking": ranking,
        "sector": sector,
        "orgs": orgs,
        "conflicts": {
            key: conflict_messages(request, bids.conflicts, orgs) for key, bids in ranking.items()
        },
        "criteria": weighted_items(request, plan.contractor_criteria),
        "groups": groups,
        "missing_of": missing_of,
        "sectors": {s.id: sector_label(request, plan, s.id) for s in plan.sectors},
        "statuses": BID_STATUS,
        "can_manage": scope.can(MANAGE),
        "decided_by": DECIDED_BY,
        "two": rounded,
    }


@router.get("/contractors/ranking")
def bid_ranking(
    request: Request,
    sector: str = Query("", max_length=30),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show each sector's bids best first, consortium conflicts and the chosen contractor."""
    context = ranking_context(request, db, scope, sector)
    return render(request, "programme/selection_bid_ranking.html", context)


@router.get("/contractors/ranking.xlsx")
def bid_ranking_export(
    request: Request,
    sector: str = Query("", max_length=30),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the contractor ranking with group and criterion scores as Excel."""
    context = ranking_context(request, db, scope, sector)
    content = contractor_workbook(
        context["ranking"], context["criteria"], context["groups"], context, translator(request)
    )
    filename = f"contractor-ranking-{date.today().isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)
