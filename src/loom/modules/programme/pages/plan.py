"""Pages of the programme console: the action plan as data, its versions and corrections."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.engine import PlanError, builtin_plan_text
from loom.modules.programme.pages.common import BASE, DB, SECTOR_LABELS
from loom.modules.programme.service import plans
from loom.modules.programme.service.context import programme_bureau

router = APIRouter()
READ = "programme.plan.read"
MANAGE = "programme.plan.manage"


def _page(
    request: Request,
    db: Session,
    scope: Scope,
    draft: str | None = None,
    problems: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    bureau = programme_bureau(db, scope)
    row = plans.active_version(db, bureau) if bureau is not None else None
    plan = plans.active_plan(db, bureau) if bureau is not None else plans.builtin_plan()
    text = row.document_json if row is not None else builtin_plan_text()
    return render(
        request,
        "programme/plan.html",
        {
            "tab": "plan",
            "plan": plan,
            "row": row,
            "versions": plans.versions(db, bureau) if bureau is not None else [],
            "can_manage": scope.can(MANAGE) and bureau == scope.org_id,
            "draft": draft
            if draft is not None
            else json.dumps(json.loads(text), ensure_ascii=False, indent=2),
            "problems": problems or [],
            "sector_labels": SECTOR_LABELS,
            "sector_names": plan.sector_names(),
        },
        status=status,
    )


@router.get("/plan")
def plan_page(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Show the active plan: phases, batches and quotas, targets, weights, versions."""
    return _page(request, db, scope)


@router.post("/plan")
def plan_publish(
    request: Request,
    document: str = Form(..., max_length=500_000),
    note: str = Form("", max_length=500),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Publish a corrected plan; every problem is shown by its JSON path and nothing changes."""
    try:
        plans.publish(db, scope, document, note)
    except PlanError as exc:
        db.rollback()
        found = [(p.path, p.message) for p in exc.problems]
        return _page(request, db, scope, document, found, 422)
    return RedirectResponse(f"{BASE}/plan", status_code=303)
