"""The DHU page: DHU per line, day, operator and operation, the Pareto and the trend."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.apps.quality.api.inspections import window_of
from loom.apps.quality.pages.common import DB, labels, translator
from loom.apps.quality.pages.inspections import choices
from loom.apps.quality.permissions import INSPECTION_READ
from loom.apps.quality.service import figures as fig
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()


@router.get("/figures")
def figures_page(
    request: Request,
    day_from: date | None = None,
    day_to: date | None = None,
    kind: str = Query("", pattern="^(inline|endline)?$"),
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """Show DHU tables, the defect Pareto and the DHU trend per line over a window of days."""
    gettext = translator(request)
    error = ""
    try:
        window = window_of(day_from, day_to, kind, line_id)
    except DomainError as exc:
        error = gettext(exc.template, **exc.params)
        window = window_of(None, None, kind, line_id)
    found = fig.compute(db, scope, window)
    context = {
        "tab": "figures",
        "f": found,
        "n": found.names,
        "error": error,
        "lines": choices(db, scope)["lines"],
        "params": {"kind": kind, "line_id": line_id or ""},
        "pareto_option": fig.pareto_option(found, gettext),
        "trend_option": fig.trend_option(found, gettext),
        **labels(request),
    }
    return render(request, "quality/figures.html", context, status=422 if error else 200)
