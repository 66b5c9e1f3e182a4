"""Pages of time and action: the milestone board with its alerts, its Excel export, an order's
timeline with the stages to record, and the template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.milestones import STAGES
from loom.apps.scheduling.service import milestones as svc
from loom.apps.scheduling.service import milestones_board as board
from loom.apps.scheduling.service import milestones_rules as rules
from loom.apps.scheduling.service import milestones_views as views
from loom.apps.scheduling.service.milestones_derive import derive
from loom.apps.scheduling.service.milestones_rules import STATUSES
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context, render
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.shopfloor.service.orders import OrderRepository

router = APIRouter()
BASE = "/apps/scheduling/milestones"
DB = Depends(get_db, scope="function")
READ = "scheduling.milestone.read"
WRITE = "scheduling.milestone.write"
PAGE_SIZE = 25
EXPORT_LIMIT = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAGE_FILTER = Query("", pattern="^(" + "|".join(STAGES) + ")?$")
STATUS_FILTER = Query("", pattern="^(" + "|".join((*STATUSES, board.ALERTS)) + ")?$")
ORDER_FILTER = Query(None, ge=1, le=2_147_483_647)


def _gettext(request: Request) -> Callable[..., str]:
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def _labels(request: Request) -> dict[str, Any]:
    gettext = _gettext(request)

    def translated(labels: dict[str, str]) -> dict[str, str]:
        return {key: gettext(text) for key, text in labels.items()}

    return {
        "stage_labels": translated(views.STAGE_LABELS),
        "status_labels": translated(views.STATUS_LABELS),
        "severity_labels": translated(views.SEVERITY_LABELS),
        "source_labels": translated(views.SOURCE_LABELS),
    }


@router.get("/milestones")
def milestone_board(
    request: Request,
    q: str = Query("", max_length=100),
    order_id: int | None = ORDER_FILTER,
    stage: str = STAGE_FILTER,
    status: str = STATUS_FILTER,
    offset: int = Query(0, ge=0),
    derived: int | None = Query(None, ge=0, le=1_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show every stage of the orders, open alerts first, with the count of open alerts."""
    today = svc.factory_today()
    page = board.search(
        db,
        scope,
        today=today,
        q=q,
        order_id=order_id,
        stage=stage,
        status=status,
        offset=offset,
        limit=PAGE_SIZE,
    )
    filters = {"order_id": order_id or "", "stage": stage, "status": status}
    context = {
        "page": page,
        "alerts": board.open_alerts(db, scope, today),
        "today": today,
        "q": q,
        "order_id": order_id,
        "stage": stage,
        "status": status,
        "params": filters,
        "export_query": {"q": q, **filters},
        "derived": derived,
        "can_write": scope.can(WRITE),
        **_labels(request),
    }
    return render(request, "scheduling/milestones_list.html", context)


@router.get("/milestones.xlsx")
def milestone_export(
    request: Request,
    q: str = Query("", max_length=100),
    order_id: int | None = ORDER_FILTER,
    stage: str = STAGE_FILTER,
    status: str = STATUS_FILTER,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the filtered board as an Excel sheet, alerts first."""
    today = svc.factory_today()
    rows = board.rows(db, scope, today=today, q=q, order_id=order_id, stage=stage, status=status)[
        :EXPORT_LIMIT
    ]
    content = views.workbook(rows, _gettext(request))
    headers = {"Content-Disposition": f'attachment; filename="milestones-{today.isoformat()}.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)


def _timeline_page(
    request: Request,
    db: Session,
    scope: Scope,
    order_id: int,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    rows = svc.timeline(db, scope, order_id, svc.factory_today())
    gettext = _gettext(request)
    context = {
        "order": rows[0].order,
        "rows": rows,
        "timeline_option": views.timeline_chart(rows, gettext),
        "errors": errors or {},
        "typed": typed or {},
        "can_write": scope.can(WRITE),
        **_labels(request),
    }
    return render(request, "scheduling/milestones_order.html", context, status=status)


@router.get("/milestones/orders/{order_id:int}")
def milestone_timeline(
    request: Request, order_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show an order's timeline: target, forecast and actual date of each stage."""
    return _timeline_page(request, db, scope, order_id)


def _day(raw: str, field: str, found: list[FieldProblem]) -> date | None:
    text = raw.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        found.append(FieldProblem(field, "a date such as 2026-12-31"))
        return None


def _texts(request: Request, stage: str, found: list[FieldProblem]) -> dict[str, str]:
    gettext = _gettext(request)
    errors: dict[str, str] = {}
    for problem in found:
        key = f"{stage}.{problem.field}"
        errors.setdefault(key, gettext(problem.template, **dict(problem.params)))
    return errors


@router.post("/milestones/orders/{order_id:int}/{stage}")
async def milestone_record(
    request: Request, order_id: int, stage: str, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Save one stage of the order, or show the timeline again with the problems."""
    order = OrderRepository(db, scope).get(order_id)  # 404 first for a foreign id
    svc.check_stage(stage)
    form = await request.form()
    raw = {k: str(form.get(k, "")) for k in ("target_date", "actual_date", "note")}
    found: list[FieldProblem] = []
    target = _day(raw["target_date"], "target_date", found)
    actual = _day(raw["actual_date"], "actual_date", found)
    data = svc.MilestoneIn(target_date=target, actual_date=actual, note=raw["note"])
    # the rules run even after a typing problem, so every bad field is named at once
    found.extend(svc.milestone_problems(order, data, svc.factory_today()))
    if found:
        errors = _texts(request, stage, found)
        return _timeline_page(
            request, db, scope, order_id, errors=errors, typed={stage: raw}, status=422
        )
    try:
        svc.update(db, scope, order_id, stage, data, svc.factory_today())
    except DomainError as exc:
        db.rollback()
        errors = {f"{stage}._": _gettext(request)(exc.template, **exc.params)}
        return _timeline_page(
            request, db, scope, order_id, errors=errors, typed={stage: raw}, status=422
        )
    return RedirectResponse(f"{BASE}/orders/{order_id}#stage-{stage}", status_code=303)


@router.post("/milestones/derive")
def milestone_derive(scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Record the cutting and sewing-finish dates the shop floor shows, for every order."""
    found = derive(db, scope, svc.factory_today())
    return RedirectResponse(f"{BASE}?derived={len(found)}", status_code=303)


@router.post("/milestones/orders/{order_id:int}/derive")
def milestone_derive_order(
    order_id: int, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Record the cutting and sewing-finish dates the shop floor shows, for one order."""
    order = OrderRepository(db, scope).get(order_id)
    derive(db, scope, svc.factory_today(), [order.id])
    return RedirectResponse(f"{BASE}/orders/{order.id}", status_code=303)


def _template_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    can_write: bool,
    status: int = 200,
    saved: bool = False,
) -> Response:
    context = {
        "saved": saved,
        "values": values,
        "errors": errors,
        "stages": STAGES,
        "defaults": rules.DEFAULT_OFFSETS,
        "can_write": can_write,
        **_labels(request),
    }
    return render(request, "scheduling/milestones_template.html", context, status=status)


@router.get("/milestones/template")
def template_show(
    request: Request,
    saved: int = Query(0, ge=0, le=1),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the T&A template: each stage's days before the due date."""
    values = {stage: str(days) for stage, days in svc.offsets_of(db, scope).items()}
    return _template_page(request, values, {}, scope.can(WRITE), saved=bool(saved))


@router.post("/milestones/template")
async def template_save(
    request: Request, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Save the template, or show it again with every bad stage named."""
    form = await request.form()
    values = {stage: str(form.get(stage, "")).strip() for stage in STAGES}
    found: list[FieldProblem] = []
    offsets: dict[str, int] = {}
    for stage, text in values.items():
        try:
            offsets[stage] = int(text)
        except ValueError:
            found.append(FieldProblem(stage, "a whole number of days, such as -14"))
    problems = found or rules.offset_problems(offsets)
    if problems:
        gettext = _gettext(request)
        errors: dict[str, str] = {}
        for p in problems:
            errors.setdefault(p.field, gettext(p.template, **dict(p.params)))
        return _template_page(request, values, errors, True, status=422)
    svc.set_offsets(db, scope, offsets)
    return RedirectResponse(f"{BASE}/template?saved=1", status_code=303)
