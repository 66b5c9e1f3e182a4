"""One award: its split with what each funder paid, payments, and cancelling it."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.subsidy.models import Award
from loom.modules.subsidy.pages.common import (
    BASE,
    DB,
    DESIGNATION_LABELS,
    FACT_LABELS,
    FUNDER_LABELS,
    KIND_LABELS,
    LIMIT_LABELS,
    MANAGE,
    READ,
    RULE_LABELS,
    STATUS_LABELS,
    Gettext,
    cny,
    error_text,
    fen_of,
    label,
    translator,
)
from loom.modules.subsidy.pages.view import given_text
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service import ledger as books

router = APIRouter()


def _facts(award: Award, gettext: Gettext) -> list[tuple[str, str]]:
    shown = []
    for name, value in award.facts.items():
        if name != "declared":
            given = frozenset(value) if isinstance(value, list) else value
            shown.append((label(FACT_LABELS, name, gettext), given_text(given, gettext)))
    return shown


def _page(
    request: Request,
    db: Session,
    scope: Scope,
    award: Award,
    *,
    error: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    gettext = translator(request)
    paid = svc.paid_by_funder(db, award)
    lines = [
        {
            "funder": funder,
            "label": label(FUNDER_LABELS, funder, gettext),
            "share": cny(share),
            "paid": cny(paid.get(funder, 0)),
            "outstanding": cny(share - paid.get(funder, 0)),
        }
        for funder, share in award.split.items()
    ]
    paid_total = sum(paid.values())
    return render(
        request,
        "subsidy/award.html",
        {
            "award": award,
            "rule_label": label(RULE_LABELS, award.rule_id, gettext),
            "kind_text": label(KIND_LABELS, award.beneficiary_kind, gettext),
            "status_label": label(STATUS_LABELS, award.status, gettext),
            "limit_label": label(LIMIT_LABELS, award.limit_applied, gettext),
            "declared": [
                label(DESIGNATION_LABELS, d, gettext) for d in award.facts.get("declared", [])
            ],
            "facts": _facts(award, gettext),
            "lines": lines,
            "payments": books.payments(db, award),
            "paid_total": cny(paid_total),
            "cny": cny,
            "can_pay": scope.can(MANAGE) and award.status == "approved",
            "can_cancel": scope.can(MANAGE) and award.status == "approved" and paid_total == 0,
            "error": error,
            "values": values or {"paid_on": date.today().isoformat()},
            "funder_labels": {k: gettext(v) for k, v in FUNDER_LABELS.items()},
        },
        status=status,
    )


@router.get("/awards/{award_id}")
def award_page(
    request: Request, award_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show one award with its split, what each funder paid, and the payments."""
    return _page(request, db, scope, svc.get(db, scope, award_id))


@router.post("/awards/{award_id}/cancel")
def cancel_award(
    request: Request,
    award_id: int,
    reason: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Cancel the award (confirmed in the browser); a reason is required."""
    try:
        svc.cancel(db, scope, award_id, reason)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        db.rollback()
        award = svc.get(db, scope, award_id)
        message = error_text(exc, translator(request))
        return _page(request, db, scope, award, error=message, status=exc.status_code)
    return RedirectResponse(f"{BASE}/awards/{award_id}", status_code=303)


@router.post("/awards/{award_id}/payments")
def add_payment(
    request: Request,
    award_id: int,
    funder: str = Form(""),
    amount: str = Form(""),
    paid_on: str = Form(""),
    reference: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Record a payment by one funder; show the award again with the problem if refused."""
    values = {"funder": funder, "amount": amount, "paid_on": paid_on, "reference": reference}
    try:
        try:
            day = date.fromisoformat(paid_on.strip())
        except ValueError:
            raise ValidationFailed("paid_on: a date as YYYY-MM-DD", field="paid_on") from None
        fen = fen_of(amount, "amount")
        if fen is None:
            raise ValidationFailed("amount: must be more than zero", field="amount")
        books.record_payment(
            db, scope, award_id, funder=funder, amount_fen=fen, paid_on=day, reference=reference
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        db.rollback()
        award = svc.get(db, scope, award_id)
        message = error_text(exc, translator(request))
        return _page(
            request, db, scope, award, error=message, values=values, status=exc.status_code
        )
    return RedirectResponse(f"{BASE}/awards/{award_id}", status_code=303)
