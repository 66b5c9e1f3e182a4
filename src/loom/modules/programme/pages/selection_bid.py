"""Pages of one general-contractor bid: sheets by evaluator group, breakdown and decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme import engine
from loom.modules.programme.engine import rounded
from loom.modules.programme.models import ContractorApplication
from loom.modules.programme.pages.common import BASE, DB, org_names
from loom.modules.programme.pages.selection_labels import (
    BID_STATUS,
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


def bid_page(
    request: Request,
    db: Session,
    scope: Scope,
    app: ContractorApplication,
    *,
    sheet: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    conflicts: list[str] | None = None,
    status: int = 200,
) -> Response:
    """Render one bid; the bureau also sees the sheets, the breakdown and the decisions."""
    plan = active_plan(db, app.org_id)
    owner = app.org_id == scope.org_id
    rows = svc.sheets_of(db, [app.id])[app.id]
    orgs = org_names(db, [app.org_id, app.contractor_org_id, *app.member_org_ids])
    groups = weighted_items(request, plan.evaluator_groups)
    group_names = {g.id: g.label for g in groups}
    rank = {g.id: n for n, g in enumerate(groups)}
    scored = ranks.score_of(plan, rows)
    context = {
        "tab": "contractors",
        "app": app,
        "owner": owner,
        "can_manage": owner and scope.can(MANAGE),
        "can_withdraw": app.contractor_org_id == scope.org_id and scope.can(APPLY),
        "orgs": orgs,
        "sector_name": sector_label(request, plan, app.sector),
        "statuses": BID_STATUS,
        "criteria": weighted_items(request, plan.contractor_criteria),
        "groups": groups,
        "group_names": group_names,
        "missing": [group_names.get(g, g) for g in scored.missing] if rows else [],
        # in the plan's order of groups (an unknown group last), then as entered
        "sheets": sorted(rows, key=lambda r: (rank.get(r.evaluator_group, len(rank)), r.id)),
        "scored": scored,
        "sheet": sheet or {"group": "", "evaluator": "", "scores": {}},
        "errors": errors or {},
        "conflicts": conflicts or [],
        "two": rounded,
    }
    return render(request, "programme/selection_bid.html", context, status=status)


@router.get("/contractors/{application_id:int}")
def bid_detail(
    request: Request,
    application_id: int,
    group: str = Query("", max_length=30),
    evaluator: str = Query("", max_length=100),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show one bid (its lead sees its own, without the evaluators' sheets)."""
    app = svc.get(db, scope, application_id)
    rows = svc.sheets_of(db, [app.id])[app.id]
    # "?group=…&evaluator=…" fills the form with that sheet, to correct it
    mine = next((r for r in rows if (r.evaluator_group, r.evaluator) == (group, evaluator)), None)
    sheet = {"group": group, "evaluator": evaluator, "scores": dict(mine.scores) if mine else {}}
    return bid_page(request, db, scope, app, sheet=sheet)


def _act(
    request: Request,
    db: Session,
    scope: Scope,
    app: ContractorApplication,
    action: Callable[[], Any],
    sheet: dict[str, Any] | None = None,
) -> Response:
    """Run a change; show the page again with the refusal (or conflicts) when refused."""
    application_id = app.id
    top = {c.id: c.max_score for c in active_plan(db, app.org_id).contractor_criteria}
    try:
        action()
    except engine.ConsortiumConflict as exc:
        db.rollback()
        fresh = svc.get(db, scope, application_id)
        orgs = org_names(db, [int(p.params["org"]) for p in exc.problems if "org" in p.params])
        conflicts = conflict_messages(request, exc.problems, orgs)
        return bid_page(request, db, scope, fresh, conflicts=conflicts, status=exc.status_code)
    except DomainError as exc:
        db.rollback()
        fresh = svc.get(db, scope, application_id)
        errors = field_errors(request, exc, top)
        return bid_page(
            request, db, scope, fresh, sheet=sheet, errors=errors, status=exc.status_code
        )
    anchor = "#sheets" if sheet is not None else ""
    return RedirectResponse(f"{HOME}/{application_id}{anchor}", status_code=303)


@router.post("/contractors/{application_id:int}/sheets")
async def bid_sheet(
    request: Request, application_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Enter or replace an evaluator's sheet; every bad field is named."""
    app = svc.owned(db, scope, application_id)
    form = await request.form()
    group = str(form.get("group", ""))
    evaluator = str(form.get("evaluator", ""))
    scores = {
        key.removeprefix("score_"): str(value)
        for key, value in form.items()
        if key.startswith("score_")
    }
    sheet = {"group": group, "evaluator": evaluator, "scores": scores}

    def enter() -> object:
        return svc.enter_sheet(
            db, scope, application_id, group=group, evaluator=evaluator, scores=scores
        )

    return _act(request, db, scope, app, enter, sheet)


@router.post("/contractors/{application_id:int}/sheets/{sheet_id:int}/remove")
def bid_sheet_remove(
    request: Request,
    application_id: int,
    sheet_id: int,
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Remove one evaluator's sheet (the page asks first)."""
    app = svc.owned(db, scope, application_id)
    return _act(
        request, db, scope, app, lambda: svc.remove_sheet(db, scope, application_id, sheet_id)
    )


@router.post("/contractors/{application_id:int}/choose")
def bid_choose(
    request: Request,
    application_id: int,
    note: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Choose the bid as the sector's general contractor (the page asks first)."""
    app = svc.owned(db, scope, application_id)
    return _act(request, db, scope, app, lambda: ranks.choose(db, scope, application_id, note))


@router.post("/contractors/{application_id:int}/decline")
def bid_decline(
    request: Request,
    application_id: int,
    reason: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Decide that the bid is not chosen, with the reason."""
    app = svc.owned(db, scope, application_id)
    return _act(request, db, scope, app, lambda: svc.decline(db, scope, application_id, reason))


@router.post("/contractors/{application_id:int}/withdraw")
def bid_withdraw(
    request: Request, application_id: int, scope: Scope = require(APPLY), db: Session = DB
) -> Response:
    """Withdraw one's own submitted bid (the page asks first)."""
    app = svc.get(db, scope, application_id)
    return _act(request, db, scope, app, lambda: svc.withdraw(db, scope, application_id))
