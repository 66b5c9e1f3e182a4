"""The plan page: figures, Gantt chart, weekly load, allocations, what-if forms or the change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import Allocation, SchedulePlan
from loom.apps.scheduling.pages.plans_common import PAGE_SIZE, WRITE, base_context, translator
from loom.apps.scheduling.service import plans
from loom.apps.scheduling.service import plans_whatif as whatif
from loom.apps.scheduling.service.plans_charts import gantt_data, load_of, load_option
from loom.apps.scheduling.service.problem import problem_from_json
from loom.kernel.db.repository import Page
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.service.styles import StyleRepository


def _rows(allocations: Sequence[Allocation], q: str, offset: int) -> Page[Allocation]:
    term = q.strip().lower()
    found = [a for a in allocations if not term or term in f"{a.order_code} {a.style}".lower()]
    offset = min(offset, max(0, len(found) - 1))
    return Page(found[offset : offset + PAGE_SIZE], len(found), offset, PAGE_SIZE)


def detail_page(
    request: Request,
    db: Session,
    scope: Scope,
    row: SchedulePlan,
    *,
    q: str = "",
    offset: int = 0,
    form: str = "",
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    """Render a plan: figures, Gantt chart, weekly load, allocations, what-ifs or the change."""
    allocations = plans.allocations_of(db, scope, row.id)
    problem = problem_from_json(row.inputs)
    codes = {line.id: line.code for line in problem.lines}
    gettext = translator(request)
    change = whatif.compare(db, scope, row)
    base = plans.PlanRepository(db, scope).get(row.base_plan_id) if row.base_plan_id else None
    context = base_context(
        request,
        "plans",
        plan=row,
        base_plan=base,
        page=_rows(allocations, q, offset),
        q=q,
        line_codes=codes,
        gantt=gantt_data(row, allocations),
        gantt_labels={"late": gettext("late"), "due": gettext("Due date")},
        load=load_option(load_of(db, scope, row), codes, {"axis": gettext("Load %")}),
        change=change,
        moved=list(change.moved) if change else [],
        order_codes=whatif.order_codes(*(r for r in (base, row) if r is not None)),
        unplanned_codes=[whatif.order_codes(row).get(n, str(n)) for n in row.unplanned],
        styles=list(db.scalars(StyleRepository(db, scope).select().order_by(Style.code))),
        lines=[(line.id, line.code) for line in problem.lines],
        form=form,
        values=values or {},
        errors=errors or {},
        can_write=scope.can(WRITE),
    )
    return render(request, "scheduling/plans_detail.html", context, status=status)
