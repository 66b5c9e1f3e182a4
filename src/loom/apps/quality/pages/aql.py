"""Pages of AQL final inspection: the lots with each customer's switching state, the form,
the printable inspection report, delete, and resuming a discontinued series."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.quality.models import DEFECT_CLASSES, AqlInspection
from loom.apps.quality.pages.common import (
    BASE,
    DB,
    EXPORT_LIMIT,
    PAGE_SIZE,
    RowId,
    domain_errors,
    labels,
    locale_of,
    msgid,
    optional_id,
    problem_errors,
    whole,
    xlsx,
)
from loom.apps.quality.permissions import (
    INSPECTION_DELETE,
    INSPECTION_READ,
    INSPECTION_WRITE,
    SWITCHING_WRITE,
)
from loom.apps.quality.service import aql as svc
from loom.apps.quality.service import aql_plans, catalogue
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.excel.layout import Column, SheetSpec
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.shopfloor.models import ProductionOrder

router = APIRouter()
FORM_ROWS = 6
FIELDS: tuple[str, ...] = ("order_id", "lot_no", "inspected_on", "lot_size", "level")
FIELDS += ("aql_critical", "aql_major", "aql_minor", "note", "production_steady")
SHEET = SheetSpec(
    "aql",
    "AQL成品检验",
    msgid("AQL final inspection"),
    (
        Column("inspected_on", "检验日期", msgid("Inspected on")),
        Column("order", "订单号", msgid("Order number")),
        Column("lot_no", "批号", msgid("Lot number")),
        Column("customer", "客户", msgid("Customer"), width=20),
        Column("lot_size", "批量", msgid("Lot size")),
        Column("level", "检验水平", msgid("Inspection level")),
        Column("code_letter", "样本量字码", msgid("Code letter")),
        Column("sample_size", "样本量", msgid("Sample size")),
        Column("found", "致命/严重/轻微", msgid("Critical / major / minor found"), width=20),
        Column("decision", "判定", msgid("Decision")),
    ),
)


def _orders(db: Session, scope: Scope) -> list[ProductionOrder]:
    stmt = select(ProductionOrder).where(
        ProductionOrder.org_id == scope.org_id, ProductionOrder.status != "cancelled"
    )
    return list(db.scalars(stmt.order_by(ProductionOrder.number)))


@router.get("/aql")
def aql_list(
    request: Request,
    q: str = Query("", max_length=100),
    decision: str = Query("", pattern="^(accept|reject)?$"),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """List AQL final inspections, the latest first, and each customer's switching state."""
    page = svc.search(db, scope, q=q, decision=decision, offset=offset, limit=PAGE_SIZE)
    orders = {o.id: o.number for o in _orders(db, scope)}
    series = [(s, aql_plans.scores(s.state)) for s in svc.series_list(db, scope)]
    context = {
        "tab": "aql",
        "page": page,
        "q": q,
        "params": {"decision": decision},
        "orders": orders,
        "series": series,
        "classes": DEFECT_CLASSES,
        "can_write": scope.can(INSPECTION_WRITE),
        "can_resume": scope.can(SWITCHING_WRITE),
        **labels(request),
    }
    return render(request, "quality/aql_list.html", context)


@router.get("/aql.xlsx")
def aql_export(
    request: Request,
    q: str = Query("", max_length=100),
    decision: str = Query("", pattern="^(accept|reject)?$"),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """Download the filtered AQL inspections as an Excel sheet."""
    rows: list[AqlInspection] = []
    offset = 0
    while offset < EXPORT_LIMIT:
        page = svc.search(db, scope, q=q, decision=decision, offset=offset, limit=200)
        rows += page.items
        offset += 200
        if not page.has_next:
            break
    orders = {o.id: o.number for o in _orders(db, scope)}
    decisions = labels(request)["decision_labels"]
    records: list[dict[str, object]] = [
        {
            "inspected_on": r.inspected_on,
            "order": orders.get(r.order_id, ""),
            "lot_no": r.lot_no,
            "customer": r.customer,
            "lot_size": r.lot_size,
            "level": r.level,
            "code_letter": r.code_letter,
            "sample_size": r.sample_size,
            "found": f"{r.critical_found}/{r.major_found}/{r.minor_found}",
            "decision": decisions[r.decision],
        }
        for r in rows
    ]
    content = write_workbook([(SHEET, records)], locale_of(request))
    return xlsx(content, f"aql-{date.today().isoformat()}.xlsx")


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "tab": "aql",
        "values": values,
        "errors": errors,
        "rows": range(FORM_ROWS),
        "orders": _orders(db, scope),
        "levels": aql_plans.LEVELS,
        "aqls": ("0", *aql_plans.AQL_LABELS),
        "defect_types": catalogue.all_defects(db, scope),
        **labels(request),
    }
    return render(request, "quality/aql_form.html", context, status=status)


@router.get("/aql/new")
def aql_new(
    request: Request,
    order_id: int | None = Query(None, ge=1, le=2_147_483_647),
    scope: Scope = require(INSPECTION_WRITE),
    db: Session = DB,
) -> Response:
    """Show an empty AQL form: level II, AQL 0 / 2.5 / 4.0 (critical / major / minor)."""
    values = dict.fromkeys(FIELDS, "") | {
        "order_id": str(order_id or ""),
        "level": "II",
        "aql_critical": "0",
        "aql_major": "2.5",
        "aql_minor": "4.0",
        "production_steady": "on",
    }
    for i in range(FORM_ROWS):
        values |= {f"code_{i}": "", f"qty_{i}": ""}
    return _form_page(request, db, scope, values, {})


def _input(values: dict[str, str]) -> tuple[svc.AqlIn, dict[str, str]]:
    typing: dict[str, str] = {}
    day = None
    if values["inspected_on"].strip():
        try:
            day = date.fromisoformat(values["inspected_on"].strip())
        except ValueError:
            typing["inspected_on"] = "a date such as 2026-12-31"
    defects: list[tuple[str, int]] = []
    for i in range(FORM_ROWS):
        code, qty = values[f"code_{i}"].strip(), values[f"qty_{i}"].strip()
        if code or qty:
            defects.append((code, whole(qty)))
    data = svc.AqlIn(
        order_id=optional_id(values["order_id"]),
        lot_size=whole(values["lot_size"]),
        level=values["level"],
        aql_critical=values["aql_critical"],
        aql_major=values["aql_major"],
        aql_minor=values["aql_minor"],
        defects=tuple(defects),
        lot_no=values["lot_no"],
        inspected_on=day,
        note=values["note"],
        production_steady=bool(values["production_steady"]),
    )
    return data, typing


def _row_errors(values: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    filled = [
        i for i in range(FORM_ROWS) if values[f"code_{i}"].strip() or values[f"qty_{i}"].strip()
    ]
    renamed: dict[str, str] = {}
    for key, text in errors.items():
        if key.startswith("defects[") and "]" in key:
            index = int(key[8 : key.index("]")])
            part = "qty" if key.endswith(".qty") else "code"
            key = f"{part}_{filled[index]}" if index < len(filled) else "form"
        renamed[key] = f"{renamed[key]}; {text}" if key in renamed else text
    return renamed


@router.post("/aql/new")
async def aql_create(
    request: Request, scope: Scope = require(INSPECTION_WRITE), db: Session = DB
) -> Response:
    """Record the lot and show its report, or show the form again with every bad field."""
    form = await request.form()
    keys = [*FIELDS, *(f"code_{i}" for i in range(FORM_ROWS))]
    keys += [f"qty_{i}" for i in range(FORM_ROWS)]
    values = {key: str(form.get(key, ""))[:500] for key in keys}
    data, typing = _input(values)
    checked = svc.check(db, scope, data, svc.local_today_now())
    errors = problem_errors(request, checked.problems)
    for field, text in typing.items():
        errors.setdefault(field, problem_errors(request, [FieldProblem(field, text)])[field])
    if errors:
        return _form_page(request, db, scope, values, _row_errors(values, errors), 422)
    try:
        row = svc.create(db, scope, data)
    except DomainError as exc:
        db.rollback()
        return _form_page(request, db, scope, values, domain_errors(request, exc), exc.status_code)
    return RedirectResponse(f"{BASE}/aql/{row.id}", status_code=303)


@router.get("/aql/{inspection_id:int}")
def aql_report(
    request: Request,
    inspection_id: RowId,
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Response:
    """Show the printable inspection report of a lot."""
    row = svc.get(db, scope, inspection_id)
    order = db.scalars(
        select(ProductionOrder).where(
            ProductionOrder.org_id == scope.org_id, ProductionOrder.id == row.order_id
        )
    ).first()
    names = {d.code: d for d in catalogue.all_defects(db, scope)}
    context = {
        "tab": "aql",
        "row": row,
        "order": order,
        "names": names,
        "classes": DEFECT_CLASSES,
        "found": {
            "critical": row.critical_found,
            "major": row.major_found,
            "minor": row.minor_found,
        },
        "before": aql_plans.scores(row.state_before),
        "after": aql_plans.scores(row.state_after),
        "can_delete": scope.can(INSPECTION_DELETE),
        **labels(request),
    }
    return render(request, "quality/aql_report.html", context)


@router.get("/aql/{inspection_id:int}/delete")
def aql_confirm_delete(
    request: Request,
    inspection_id: RowId,
    scope: Scope = require(INSPECTION_DELETE),
    db: Session = DB,
) -> Response:
    """Ask before deleting an AQL inspection."""
    row = svc.get(db, scope, inspection_id)
    return render(request, "quality/aql_delete.html", {"tab": "aql", "row": row, **labels(request)})


@router.post("/aql/{inspection_id:int}/delete")
def aql_delete(
    inspection_id: RowId, scope: Scope = require(INSPECTION_DELETE), db: Session = DB
) -> Response:
    """Delete the AQL inspection."""
    svc.delete(db, scope, inspection_id)
    return RedirectResponse(f"{BASE}/aql", status_code=303)


@router.post("/aql/series/{series_id:int}/resume")
def aql_resume(
    request: Request, series_id: RowId, scope: Scope = require(SWITCHING_WRITE), db: Session = DB
) -> Response:
    """Resume a discontinued series on tightened inspection after corrective action."""
    svc.resume_series(db, scope, series_id)
    return RedirectResponse(f"{BASE}/aql", status_code=303)
