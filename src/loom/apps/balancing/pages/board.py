"""The plan board: figures, load chart and station table, re-rendered after each hand edit.

With HTMX an edit answers only the board (the page keeps its place); without script the
form posts as usual and the browser is sent back to the plan.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.balancing.models import BalancingPlan
from loom.apps.balancing.pages.common import (
    BASE,
    DB,
    PlanId,
    base_context,
    chart_of,
    machine_label,
    names,
    translator,
)
from loom.apps.balancing.permissions import DELETE, PUBLISH, WRITE
from loom.apps.balancing.service import plans
from loom.apps.balancing.service.edits import Edit
from loom.apps.balancing.service.publish import publish_problems
from loom.apps.balancing.service.views import view_of
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()


def board_context(
    request: Request, db: Session, scope: Scope, plan: BalancingPlan, **more: Any
) -> dict[str, Any]:
    """Return what the plan page and its board need."""
    view = view_of(plan)
    styles, lines = names(db, scope, [plan])
    return base_context(
        plan=plan,
        view=view,
        style=styles.get(plan.style_id),
        line=lines.get(plan.line_id) if plan.line_id is not None else None,
        load_option=chart_of(request, view),
        machine=lambda kind: machine_label(request, kind),
        workers=view.workers,
        blockers=publish_problems(plan),
        can_write=scope.can(WRITE),
        can_publish=scope.can(PUBLISH),
        can_delete=scope.can(DELETE),
        edit_error="",
        **more,
    )


def edit_form(
    op: str = Form("", max_length=40),
    station: str = Form("", max_length=20),
    task_id: str = Form("", max_length=20),
    to_station: str = Form("", max_length=20),
    worker_id: str = Form("", max_length=20),
    parts: str = Form("", max_length=20),
    after: str = Form("", max_length=20),
) -> Edit:
    """Collect one hand edit from a board form; a blank or bad number becomes -1 or None."""

    def number(raw: str) -> int | None:
        text = raw.strip()
        if not text:
            return None
        # -1 is outside every range, so the edit names the field
        return int(text) if text.isdigit() and len(text) < 10 else -1

    return Edit(
        op=op,
        station=number(station),
        task_id=number(task_id),
        to_station=number(to_station),
        worker_id=number(worker_id),
        parts=number(parts),
        after=number(after),
    )


def _board(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "balancing/plan_board.html", context, status=status)


def _answer(
    request: Request, db: Session, scope: Scope, plan_id: int, error: str, status: int
) -> Response:
    context = board_context(request, db, scope, plans.get(db, scope, plan_id))
    context["edit_error"] = error
    if request.headers.get("HX-Request"):
        return _board(request, context, status)
    if error:
        return render(request, "balancing/plan_detail.html", context, status=status)
    return RedirectResponse(f"{BASE}/plans/{plan_id}#board", status_code=303)


@router.post("/plans/{plan_id:int}/edit")
def plan_edit(
    request: Request,
    plan_id: PlanId,
    change: Edit = Depends(edit_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Apply one hand edit and show the plan's new figures and violations at once."""
    try:
        plans.edit(db, scope, plan_id, change)
    except DomainError as exc:
        db.rollback()
        error = translator(request)(exc.template, **exc.params)
        return _answer(request, db, scope, plan_id, error, exc.status_code)
    return _answer(request, db, scope, plan_id, "", 200)


@router.post("/plans/{plan_id:int}/undo")
def plan_undo(
    request: Request, plan_id: PlanId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Go back to the revision before the last edit."""
    try:
        plans.undo(db, scope, plan_id)
    except DomainError as exc:
        db.rollback()
        error = translator(request)(exc.template, **exc.params)
        return _answer(request, db, scope, plan_id, error, exc.status_code)
    return _answer(request, db, scope, plan_id, "", 200)
