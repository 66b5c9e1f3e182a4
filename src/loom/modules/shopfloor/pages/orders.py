"""Pages: the order board with progress, its Excel export, and the order form."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import ProductionLine, Style
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.styles import StyleRepository
from loom.modules.shopfloor.models import ORDER_STATUSES, ProductionOrder
from loom.modules.shopfloor.pages import orders_cutting, orders_detail, orders_tickets
from loom.modules.shopfloor.pages.orders_board import board
from loom.modules.shopfloor.pages.orders_common import (
    BASE,
    DB,
    DELETE,
    PAGE_SIZE,
    READ,
    STATUS_LABELS,
    WRITE,
    day,
    error_text,
    msgid,
    problem_texts,
    session_rollback,
    translator,
    whole,
)
from loom.modules.shopfloor.service import orders as svc

router = APIRouter()
# typed ids (``:int``) keep /orders/new and /orders.xlsx apart from an order's own pages
router.include_router(orders_detail.router)
router.include_router(orders_cutting.router)
router.include_router(orders_tickets.router)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 10_000
STATUS_FILTER = Query("", pattern="^(" + "|".join(ORDER_STATUSES) + ")?$")


@router.get("/orders")
def order_board(
    request: Request,
    q: str = Query("", max_length=100),
    status: str = STATUS_FILTER,
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the order board: due date, status, quantity and progress, late orders marked."""
    page = svc.search(db, scope, q=q, status=status, offset=offset, limit=PAGE_SIZE)
    gettext = translator(request)
    return render(
        request,
        "shopfloor/orders_list.html",
        {
            "page": page,
            "rows": board(db, scope, page.items),
            "q": q,
            "status": status,
            "params": {"status": status},
            "statuses": [(key, gettext(label)) for key, label in STATUS_LABELS.items()],
            "can_write": scope.can(WRITE),
        },
    )


@router.get("/orders.xlsx")
def order_export(
    request: Request,
    q: str = Query("", max_length=100),
    status: str = STATUS_FILTER,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the filtered order list as an Excel sheet."""
    page = svc.search(db, scope, q=q, status=status, offset=0, limit=EXPORT_LIMIT)
    items = list(page.items)
    # the repository caps one page; fetch on until every matching order is in the sheet
    while len(items) < min(page.total, EXPORT_LIMIT):
        more = svc.search(db, scope, q=q, status=status, offset=len(items), limit=EXPORT_LIMIT)
        if not more.items:
            break
        items.extend(more.items)
    gettext = translator(request)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext("Production orders")
    heads = [
        msgid("Order number"),
        msgid("Customer"),
        msgid("Style"),
        msgid("Production line"),
        msgid("Due date"),
        msgid("Order status"),
        msgid("Ordered pieces"),
        msgid("Finished pieces"),
        msgid("Progress (%)"),
        msgid("Late"),
    ]
    sheet.append([gettext(h) for h in heads])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    late_fill = PatternFill("solid", fgColor="FDE2E1")
    for row in board(db, scope, items):
        order = row.order
        sheet.append(
            [
                order.number,
                order.customer,
                row.style,
                row.line,
                order.due_date,
                gettext(STATUS_LABELS.get(order.status, order.status)),
                order.total_qty,
                row.finished,
                row.percent,
                gettext("late") if row.late else "",
            ]
        )
        if row.late:
            for cell in sheet[sheet.max_row]:
                cell.fill = late_fill
    for column in "ABCDEFGHIJ":
        sheet.column_dimensions[column].width = 16
    buffer = BytesIO()
    book.save(buffer)
    headers = {
        "Content-Disposition": f'attachment; filename="orders-{date.today().isoformat()}.xlsx"'
    }
    return Response(buffer.getvalue(), media_type=XLSX, headers=headers)


def form_choices(db: Session, scope: Scope) -> dict[str, Any]:
    """Return the styles and lines an order may name."""
    styles = db.scalars(StyleRepository(db, scope).select().order_by(Style.code)).all()
    lines = db.scalars(svc.LineRepository(db, scope).select().order_by(ProductionLine.code)).all()
    return {"styles": styles, "lines": lines}


def values_of(order: ProductionOrder) -> dict[str, Any]:
    """Return an order's fields as the form shows them."""
    return {
        "number": order.number,
        "customer": order.customer,
        "style_id": str(order.style_id),
        "line_id": str(order.line_id or ""),
        "due_date": order.due_date.isoformat(),
        "status": order.status,
        "note": order.note,
        "quantities": {
            c: {s: str(q) for s, q in row.items()} for c, row in order.quantities.items()
        },
    }


def form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, Any],
    errors: dict[str, str],
    order_id: int | None = None,
    status: int = 200,
) -> Response:
    """Render the order form (new or edit) with what was typed and what is wrong."""
    choices = form_choices(db, scope)
    style = next((s for s in choices["styles"] if str(s.id) == values.get("style_id")), None)
    gettext = translator(request)
    context = {
        "values": values,
        "errors": errors,
        "order_id": order_id,
        "style": style,
        "statuses": [(key, gettext(label)) for key, label in STATUS_LABELS.items()],
        **choices,
    }
    return render(request, "shopfloor/orders_form.html", context, status=status)


async def read_form(request: Request, db: Session, scope: Scope) -> tuple[dict[str, Any], Any]:
    """Return the form as typed and the service input, or the problems of the typed text."""
    form = await request.form()
    raw = {
        k: str(form.get(k, ""))
        for k in ("number", "customer", "style_id", "line_id", "due_date", "status", "note")
    }
    found: list[FieldProblem] = []
    style_id = whole(raw["style_id"], "style_id", found, low=1, blank=None)
    line_id = whole(raw["line_id"], "line_id", found, low=1, blank=None) if raw["line_id"] else None
    due = day(raw["due_date"], "due_date", found)
    styles = StyleRepository(db, scope)
    style = db.scalars(styles.select().where(Style.id == style_id)).first() if style_id else None
    typed: dict[str, dict[str, str]] = {}
    quantities: dict[str, dict[str, int]] = {}
    colours, sizes = (style.colours, style.sizes) if style else ([], [])
    for ci, colour in enumerate(colours):
        for si, size in enumerate(sizes):
            text = str(form.get(f"qty-{ci}-{si}", ""))
            typed.setdefault(colour, {})[size] = text
            qty = whole(text, f"quantities.{colour}.{size}", found)
            if qty:
                quantities.setdefault(colour, {})[size] = qty
    values = {**raw, "quantities": typed}
    data = svc.OrderIn(
        number=raw["number"],
        customer=raw["customer"],
        style_id=style_id or 0,
        line_id=line_id,
        # a placeholder when the date was unreadable: its problem is already noted
        due_date=due or date.today(),
        quantities=quantities,
        status=raw["status"] or "open",
        note=raw["note"],
    )
    # the rules run even after a typing problem, so every bad field is named at once
    problems, _style = svc.order_problems(db, scope, data)
    return values, (found + problems) or data


@router.get("/orders/new")
def order_new(
    request: Request,
    style_id: str = Query("", max_length=12),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Show an empty order form; choosing a style shows its colour × size grid."""
    values = {"style_id": style_id, "status": "open", "quantities": {}}
    return form_page(request, db, scope, values, {})


@router.post("/orders/new")
async def order_create(
    request: Request, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Create the order, or show the form again with every problem next to its field."""
    values, data = await read_form(request, db, scope)
    if isinstance(data, list):
        return form_page(request, db, scope, values, problem_texts(request, data), status=422)
    try:
        order = svc.create(db, scope, data)
    except DomainError as exc:
        session_rollback(db)
        return form_page(
            request, db, scope, values, error_text(request, exc), status=exc.status_code
        )
    return RedirectResponse(f"{BASE}/{order.id}", status_code=303)


@router.get("/orders/{order_id:int}/edit")
def order_edit(
    request: Request, order_id: int, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the order form filled with the order."""
    order = svc.OrderRepository(db, scope).get(order_id)
    return form_page(request, db, scope, values_of(order), {}, order.id)


@router.post("/orders/{order_id:int}/edit")
async def order_save(
    request: Request, order_id: int, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Save the edited order, or show the form again with the problems."""
    svc.OrderRepository(db, scope).get(order_id)  # 404 before validation for a foreign id
    values, data = await read_form(request, db, scope)
    if isinstance(data, list):
        errors = problem_texts(request, data)
        return form_page(request, db, scope, values, errors, order_id, status=422)
    try:
        svc.update(db, scope, order_id, data)
    except DomainError as exc:
        session_rollback(db)
        errors = error_text(request, exc)
        return form_page(request, db, scope, values, errors, order_id, status=exc.status_code)
    return RedirectResponse(f"{BASE}/{order_id}", status_code=303)


def _confirm(
    request: Request, order: ProductionOrder, problem: str = "", status: int = 200
) -> Response:
    context = {"order": order, "problem": problem}
    return render(request, "shopfloor/orders_delete.html", context, status=status)


@router.get("/orders/{order_id:int}/delete")
def order_confirm_delete(
    request: Request, order_id: int, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting an order."""
    return _confirm(request, svc.OrderRepository(db, scope).get(order_id))


@router.post("/orders/{order_id:int}/delete")
def order_delete(
    request: Request, order_id: int, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the order, or say why it cannot be."""
    order = svc.OrderRepository(db, scope).get(order_id)
    try:
        svc.delete(db, scope, order_id)
    except DomainError as exc:
        session_rollback(db)
        problem = translator(request)(exc.template, **exc.params)
        return _confirm(request, order, problem, status=exc.status_code)
    return RedirectResponse(BASE, status_code=303)
