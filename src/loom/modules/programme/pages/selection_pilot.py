"""Pages of one pilot application: its sheets, score breakdown and the bureau's decisions."""

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
from loom.modules.programme.engine import rounded
from loom.modules.programme.models import PilotApplication
from loom.modules.programme.pages.common import BASE, DB
from loom.modules.programme.pages.selection_labels import (
    PILOT_STATUS,
    batch_label,
    field_errors,
    sector_label,
    weighted_items,
)
from loom.modules.programme.service import selection as svc
from loom.modules.programme.service import selection_ranking as ranks
from loom.modules.programme.service.plans import active_plan

READ = "programme.pilot.read"
MANAGE = "programme.pilot.manage"
HOME = f"{BASE}/pilots"

router = APIRouter()


def application_page(
    request: Request,
    db: Session,
    scope: Scope,
    app: PilotApplication,
    *,
    sheet: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    editing: str = "",
    status: int = 200,
) -> Response:
    """Render one application; the bureau also sees the sheets, breakdown and forms."""
    plan = active_plan(db, app.org_id)
    owner = app.org_id == scope.org_id
    rows = svc.sheets_of(db, [app.id])[app.id]
    scored = ranks.score_of(plan, rows)
    entry = svc.enterprises_of(db, [app])[app.enterprise_id]
    if sheet is None:
        # "?expert=NAME" fills the form with that expert's sheet, to correct it
        mine = next((r for r in rows if r.expert == editing), None)
        sheet = {"expert": editing, "scores": dict(mine.scores) if mine else {}}
    batches = {b.id: batch_label(request, b) for b in plan.batches}
    context = {
        "tab": "pilots",
        "app": app,
        "entry": entry,
        "owner": owner,
        "can_manage": owner and scope.can(MANAGE),
        "sector_name": sector_label(request, plan, app.sector),
        "batch_name": batches.get(app.batch or "", app.batch or ""),
        "statuses": PILOT_STATUS,
        "principles": weighted_items(request, plan.pilot_principles),
        "sheets": rows,
        "scored": scored,
        "project_id": svc.has_project(db, app),
        "sheet": sheet,
        "errors": errors or {},
        "two": rounded,
    }
    return render(request, "programme/selection_pilot.html", context, status=status)


@router.get("/pilots/{application_id:int}")
def pilot_detail(
    request: Request,
    application_id: int,
    expert: str = Query("", max_length=100),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show one application (an enterprise sees its own, without the experts' sheets)."""
    app = svc.get(db, scope, application_id)
    return application_page(request, db, scope, app, editing=expert.strip())


def _back(application_id: int, anchor: str = "") -> Response:
    return RedirectResponse(f"{HOME}/{application_id}{anchor}", status_code=303)


def _act(
    request: Request,
    db: Session,
    scope: Scope,
    application_id: int,
    action: Callable[[], Any],
    sheet: dict[str, Any] | None = None,
) -> Response:
    """Run a decision or sheet change; show the page again with the refusal when refused."""
    app = svc.owned(db, scope, application_id)  # another bureau's id: 404 before anything
    top = {p.id: p.max_score for p in active_plan(db, app.org_id).pilot_principles}
    try:
        action()
    except DomainError as exc:
        db.rollback()
        errors = field_errors(request, exc, top)
        app = svc.owned(db, scope, application_id)
        return application_page(
            request, db, scope, app, sheet=sheet, errors=errors, status=exc.status_code
        )
    return _back(application_id, "#sheets" if sheet is not None else "")


@router.post("/pilots/{application_id:int}/sheets")
async def pilot_sheet(
    request: Request, application_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Enter or replace an expert's sheet; every bad score is named next to its field."""
    form = await request.form()
    expert = str(form.get("expert", ""))
    scores = {
        key.removeprefix("score_"): str(value)
        for key, value in form.items()
        if key.startswith("score_")
    }
    sheet = {"expert": expert, "scores": scores}
    return _act(
        request,
        db,
        scope,
        application_id,
        lambda: svc.enter_sheet(db, scope, application_id, expert, scores),
        sheet,
    )


@router.post("/pilots/{application_id:int}/sheets/{sheet_id:int}/remove")
def pilot_sheet_remove(
    request: Request,
    application_id: int,
    sheet_id: int,
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Remove one expert's sheet (the page asks first)."""
    return _act(
        request,
        db,
        scope,
        application_id,
        lambda: svc.remove_sheet(db, scope, application_id, sheet_id),
    )


@router.post("/pilots/{application_id:int}/not-selected")
def pilot_not_selected(
    request: Request,
    application_id: int,
    reason: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Decide that the application is not selected, with the reason."""
    return _act(
        request,
        db,
        scope,
        application_id,
        lambda: svc.not_select(db, scope, application_id, reason),
    )


@router.post("/pilots/{application_id:int}/withdraw")
def pilot_withdraw(
    request: Request,
    application_id: int,
    reason: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Withdraw the application (the page asks first)."""
    return _act(
        request, db, scope, application_id, lambda: svc.withdraw(db, scope, application_id, reason)
    )


@router.post("/pilots/{application_id:int}/reopen")
def pilot_reopen(
    request: Request, application_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Take the decision back: the application competes again (the page asks first)."""
    return _act(request, db, scope, application_id, lambda: svc.reopen(db, scope, application_id))
