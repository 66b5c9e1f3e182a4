"""Pages of the plan published to a line: withdrawing it, after a confirmation.

The plan itself shows on the line's detail page (``pages/lines.py`` puts it in the context).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import NotFound
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.pages.common import BASE, DB, RowId, base_context, translator
from loom.modules.masterdata.service import line_plans, lines

router = APIRouter()
WRITE = "masterdata.line.write"


def _confirm(
    request: Request, db: Session, scope: Scope, line_id: int, problem: str = "", status: int = 200
) -> Response:
    line = lines.LineRepository(db, scope).get(line_id)
    plan = line_plans.current_line_plan(db, scope, line.id)
    context = base_context("lines", line=line, plan=plan, problem=problem)
    return render(request, "masterdata/line_plan_withdraw.html", context, status=status)


@router.get("/lines/{line_id:int}/plan/withdraw")
def plan_confirm_withdraw(
    request: Request, line_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Ask before withdrawing the line's published plan."""
    return _confirm(request, db, scope, line_id)


@router.post("/lines/{line_id:int}/plan/withdraw")
def plan_withdraw(
    request: Request, line_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Withdraw the line's plan: scans are no longer checked against it."""
    line = lines.LineRepository(db, scope).get(line_id)
    try:
        line_plans.withdraw_line_plan(db, scope, line.id)
    except NotFound as exc:
        # the plan was withdrawn or replaced meanwhile: say so rather than answer 404
        db.rollback()
        problem = translator(request)(exc.template, **exc.params)
        return _confirm(request, db, scope, line_id, problem, 409)
    return RedirectResponse(f"{BASE}/lines/{line_id}#plan", status_code=303)
