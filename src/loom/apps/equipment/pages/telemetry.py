"""The OEE page: per line its machines' availability, performance, quality and OEE on a day,
and the downtime Pareto (ECharts, vendored)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.equipment.permissions import OEE_READ
from loom.apps.equipment.service import oee as svc
from loom.apps.equipment.service.oee_views import line_blocks, pareto_chart, percent
from loom.kernel.authz.guard import require
from loom.kernel.db.base import utcnow
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context, render
from loom.modules.masterdata.models import ProductionLine

router = APIRouter()
DB = Depends(get_db, scope="function")
LINE_FILTER = Query(None, ge=1, le=2_147_483_647)


def factory_today(now: datetime | None = None) -> date:
    """Return the factory's calendar day (Beijing time)."""
    return (now or utcnow()).astimezone(svc.LOCAL_TZ).date()


@router.get("/oee")
def oee_page(
    request: Request,
    day: date | None = Query(None, alias="date"),
    line: int | None = LINE_FILTER,
    scope: Scope = require(OEE_READ),
    db: Session = DB,
) -> Response:
    """Show OEE per line with per-machine rows and the downtime Pareto for one day."""
    gettext: Callable[..., str] = page_context(request)["_"]
    today = factory_today()
    chosen = day or today
    lines = list(
        db.scalars(
            select(ProductionLine)
            .where(ProductionLine.org_id == scope.org_id)
            .order_by(ProductionLine.code)
        )
    )
    if line is None:
        rows, per_line, pareto = svc.day_figures(db, scope, day=chosen, lines=lines)
    else:
        rows = svc.oee_by_machine(db, scope, day=chosen, line_id=line)
        per_line = [
            row
            for row in svc.oee_by_line(db, scope, day_from=chosen, day_to=chosen)
            if row.line_id == line
        ]
        pareto = svc.downtime_pareto(db, scope, day_from=chosen, day_to=chosen, line_id=line)
    context: dict[str, Any] = {
        "day": chosen.isoformat(),
        "today": today.isoformat(),
        "yesterday": (chosen - timedelta(days=1)).isoformat(),
        "tomorrow": (chosen + timedelta(days=1)).isoformat(),
        "lines": lines,
        "chosen_line": line,
        "blocks": line_blocks(rows, per_line),
        "pareto": pareto,
        "pareto_chart": pareto_chart(pareto, gettext, gettext("(no reason given)")),
        "pct": percent,
    }
    return render(request, "equipment/telemetry_oee.html", context)
