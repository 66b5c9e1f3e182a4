"""The ledger: totals per funder, the list of awards with filters, and its Excel export."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.subsidy.engine import builtin_ruleset
from loom.modules.subsidy.pages.common import (
    DB,
    FUNDER_LABELS,
    KIND_LABELS,
    MANAGE,
    PAGE_SIZE,
    READ,
    RULE_LABELS,
    STATUS_LABELS,
    cny,
    label,
    translator,
)
from loom.modules.subsidy.pages.export import XLSX, subsidy_workbook
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service import ledger as books

router = APIRouter()
KIND = Query("", pattern="^(|enterprise|contractor|product)$")
STATUS = Query("", pattern="^(|approved|cancelled)$")


@router.get("/")
def ledger_page(
    request: Request,
    rule: str = Query("", max_length=60),
    kind: str = KIND,
    status: str = STATUS,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show approved and paid amounts per funder and the awards, newest first."""
    gettext = translator(request)
    filters = svc.Filters(rule=rule, kind=kind, status=status, q=q)
    page = svc.AwardRepository(db, scope).listing(filters, offset=offset, limit=PAGE_SIZE)
    totals = books.ledger(db, scope, filters)
    paid = svc.paid_totals(db, list(page.items))
    return render(
        request,
        "subsidy/ledger.html",
        {
            "page": page,
            "filters": filters,
            "params": {"rule": rule, "kind": kind, "status": status},
            "totals": totals,
            "paid": paid,
            "cny": cny,
            "rule_labels": {
                r.id: label(RULE_LABELS, r.id, gettext) for r in builtin_ruleset().rules
            },
            "kind_labels": {k: gettext(v) for k, v in KIND_LABELS.items()},
            "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
            "funder_labels": {k: gettext(v) for k, v in FUNDER_LABELS.items()},
            "can_manage": scope.can(MANAGE),
        },
    )


@router.get("/export.xlsx")
def export(
    request: Request,
    rule: str = Query("", max_length=60),
    kind: str = KIND,
    status: str = STATUS,
    q: str = Query("", max_length=100),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the subsidy list matching the filters, with the totals per funder."""
    filters = svc.Filters(rule=rule, kind=kind, status=status, q=q)
    awards = svc.AwardRepository(db, scope).matching(filters)
    totals = books.ledger(db, scope, filters)
    funders = list(books.funder_names())
    funders += sorted({f for a in awards for f in a.split} - set(funders))
    data = subsidy_workbook(
        awards, svc.paid_totals(db, awards), totals, funders, translator(request)
    )
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="subsidies.xlsx"'},
    )
