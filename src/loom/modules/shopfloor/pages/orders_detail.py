"""Pages: one order with its lays, bundles, cut-vs-ordered matrix and cutting forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import ProductionLine, Style
from loom.modules.shopfloor.pages.orders_common import (
    CUT,
    DB,
    DELETE,
    LAY_LABELS,
    READ,
    STATUS_LABELS,
    WRITE,
    translator,
)
from loom.modules.shopfloor.service import cutting
from loom.modules.shopfloor.service import orders as svc

router = APIRouter()
#: what the plan form proposes before anyone typed: a common table length and marker
PLAN_DEFAULTS = {"max_plies": "60", "max_marker": "6", "min_plies": "1"}


def detail_page(
    request: Request,
    db: Session,
    scope: Scope,
    order_id: int,
    *,
    plan: dict[str, str] | None = None,
    lay_values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    suggestion: list[Any] | None = None,
    status: int = 200,
) -> Response:
    """Render an order's page, with the plan and lay forms as typed and their problems."""
    order = svc.OrderRepository(db, scope).get(order_id)
    style = db.get(Style, order.style_id)
    line = db.get(ProductionLine, order.line_id) if order.line_id else None
    lays = cutting.lays_of(db, scope, order.id)
    bundles = cutting.bundles_of(db, scope, order.id)
    finished = svc.finished(db, scope, [order]).get(order.id, 0)
    cells = cutting.matrix(db, scope, order.id)
    sizes = list(style.sizes) if style else []
    gettext = translator(request)
    context = {
        "order": order,
        "style": style,
        "line": line,
        "lays": lays,
        "lay_nos": {lay.id: lay.lay_no for lay in lays},
        "bundles": bundles,
        "finished": finished,
        "progress": svc.progress(order.total_qty, finished),
        "late": order.due_date < date.today()
        and finished < order.total_qty
        and order.status not in ("done", "cancelled"),
        "cells": cells,
        "sizes": sizes,
        "totals": {
            key: sum(cell[key] for row in cells.values() for cell in row.values())
            for key in ("ordered", "planned", "cut")
        },
        "status_label": gettext(STATUS_LABELS.get(order.status, order.status)),
        "lay_labels": {key: gettext(label) for key, label in LAY_LABELS.items()},
        "plan": plan or PLAN_DEFAULTS,
        "lay_values": lay_values or {"colour": "", "plies": "", "ratios": {}},
        "errors": errors or {},
        "suggestion": suggestion,
        "can_write": scope.can(WRITE),
        "can_delete": scope.can(DELETE),
        "can_cut": scope.can(CUT),
    }
    return render(request, "shopfloor/orders_detail.html", context, status=status)


@router.get("/orders/{order_id:int}")
def order_detail(
    request: Request, order_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show an order with its lays, bundles and cut-vs-ordered matrix."""
    return detail_page(request, db, scope, order_id)
