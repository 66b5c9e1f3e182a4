"""Publishing a plan to its line: a confirmation page, then the publication."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.balancing.pages.board import board_context
from loom.apps.balancing.pages.common import BASE, DB, PlanId, translator
from loom.apps.balancing.permissions import PUBLISH
from loom.apps.balancing.service import plans, publish
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()


@router.get("/plans/{plan_id:int}/publish")
def publish_confirm(
    request: Request, plan_id: PlanId, scope: Scope = require(PUBLISH), db: Session = DB
) -> Response:
    """Ask before publishing, or say what stops the plan from being published."""
    context = board_context(request, db, scope, plans.get(db, scope, plan_id))
    return render(request, "balancing/plan_publish.html", context)


@router.post("/plans/{plan_id:int}/publish")
def publish_plan(
    request: Request, plan_id: PlanId, scope: Scope = require(PUBLISH), db: Session = DB
) -> Response:
    """Publish the plan to its line and show it, or show why it cannot be published."""
    try:
        publish.publish(db, scope, plan_id)
    except DomainError as exc:
        db.rollback()
        context = board_context(request, db, scope, plans.get(db, scope, plan_id))
        context["problem"] = translator(request)(exc.template, **exc.params)
        return render(request, "balancing/plan_publish.html", context, status=exc.status_code)
    return RedirectResponse(f"{BASE}/plans/{plan_id}?published=1", status_code=303)
