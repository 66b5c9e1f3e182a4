"""The comparison page: two or three plans side by side, each with its load chart."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.apps.balancing.pages.common import DB, base_context, chart_of, names, translator
from loom.apps.balancing.permissions import READ
from loom.apps.balancing.service import compare
from loom.kernel.authz.guard import require
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()


@router.get("/plans/compare")
def compare_page(
    request: Request,
    ids: list[int] = Query([], max_length=10),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show 2–3 plans side by side, or say how many to choose."""
    try:
        views = compare.compare(db, scope, ids)
    except ValidationFailed as exc:
        problem = translator(request)(exc.template, **exc.params)
        context = base_context(views=[], charts=[], problem=problem, styles={}, lines={})
        return render(request, "balancing/compare.html", context, status=422)
    styles, lines = names(db, scope, [v.plan for v in views])
    context = base_context(
        views=views,
        charts=[chart_of(request, v) for v in views],
        problem="",
        styles=styles,
        lines=lines,
    )
    return render(request, "balancing/compare.html", context)
