"""JSON API of the subsidy module (mounted at /api/v1/subsidy)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.subsidy.engine import builtin_ruleset, money, parse_cny
from loom.modules.subsidy.schemas import (
    ApproveBody,
    AwardOut,
    CancelBody,
    ClaimBody,
    FunderOut,
    LedgerOut,
    PaymentBody,
    PaymentOut,
)
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service import ledger as books
from loom.modules.subsidy.service.claims import Claim, kind_of

router = APIRouter(tags=["subsidy"])
DB = Depends(get_db, scope="function")
READ = "subsidy.award.read"
MANAGE = "subsidy.award.manage"
KIND = Query("", pattern="^(|enterprise|contractor|product)$")
STATUS = Query("", pattern="^(|approved|cancelled)$")


def _award_out(db: Session, award: Any, with_payments: bool = False) -> AwardOut:
    listed = books.payments(db, award) if with_payments else None
    return AwardOut.of(award, svc.paid_by_funder(db, award), listed)


def _beneficiary(claim: Claim) -> dict[str, Any]:
    return {
        "kind": claim.kind,
        "name": claim.name,
        "provider": claim.provider_name or None,
        "enterprise_id": claim.enterprise_id,
        "project_id": claim.project_id,
        "contractor_org_id": claim.contractor_org_id,
        "product_id": claim.product_id,
    }


@router.get("/rules")
def rules(scope: Scope = require("subsidy.rules.read")) -> Any:
    """List the rules of the current rule set with their caps, funders and beneficiaries."""
    ruleset = builtin_ruleset()
    return {
        "rules_version": ruleset.id,
        "rules": [
            {
                "id": rule.id,
                "title": rule.title,
                "clause": rule.clause,
                "kind": rule.kind,
                "beneficiary": kind_of(rule),
                "share": rule.share_label() or None,
                "caps": {name: money(fen) for name, fen in rule.caps().items()},
                "funders": {part.funder.id: part.parts for part in rule.funders},
                "verified": rule.verified,
            }
            for rule in ruleset.rules
        ],
    }


@router.post("/quote")
def quote(body: ClaimBody, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Quote a claim against the ledger: amount, split, limit applied, headroom, reasons."""
    claim, result = svc.quote_claim(db, scope, body.claim())
    return {
        **result.to_dict(),
        "beneficiary": _beneficiary(claim),
        "facts": claim.facts_record(),
    }


@router.get("/awards", response_model=PageOut[AwardOut])
def list_awards(
    rule: str = Query("", max_length=60),
    kind: str = KIND,
    status: str = STATUS,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List the bureau's awards, newest first, filtered by rule, kind, status and name."""
    filters = svc.Filters(rule=rule, kind=kind, status=status, q=q)
    page = svc.AwardRepository(db, scope).listing(filters, offset=offset, limit=limit)
    return PageOut[AwardOut](
        items=[_award_out(db, award) for award in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.post("/awards", response_model=AwardOut, status_code=201)
def approve(body: ApproveBody, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Approve an award (re-quoted now); refused with 409 naming the cap it would pass."""
    award = svc.approve(db, scope, body.claim(), amount_fen=body.amount_fen(), note=body.note)
    return _award_out(db, award, with_payments=True)


@router.get("/awards/{award_id}", response_model=AwardOut)
def read(award_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one award with its payments."""
    return _award_out(db, svc.get(db, scope, award_id), with_payments=True)


@router.post("/awards/{award_id}/cancel", response_model=AwardOut)
def cancel(
    award_id: int, body: CancelBody, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Cancel an unpaid award with a reason; its amount stops counting against the caps."""
    return _award_out(db, svc.cancel(db, scope, award_id, body.reason), with_payments=True)


@router.post("/awards/{award_id}/payments", response_model=PaymentOut, status_code=201)
def pay(award_id: int, body: PaymentBody, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Record a funder's payment on an award; never more than that funder's share."""
    return books.record_payment(
        db,
        scope,
        award_id,
        funder=body.funder,
        amount_fen=parse_cny(body.amount, "amount"),
        paid_on=body.paid_on,
        reference=body.reference,
    )


@router.get("/ledger", response_model=LedgerOut)
def ledger(
    rule: str = Query("", max_length=60),
    kind: str = KIND,
    q: str = Query("", max_length=100),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """Return approved, paid and outstanding amounts per funder (cancelled awards excluded)."""
    totals = books.ledger(db, scope, svc.Filters(rule=rule, kind=kind, q=q))
    return LedgerOut(
        awards=totals.awards,
        funders=[
            FunderOut(
                funder=line.funder,
                name=line.name,
                approved_fen=line.approved_fen,
                paid_fen=line.paid_fen,
                outstanding_fen=line.outstanding_fen,
            )
            for line in totals.lines
        ],
        approved_fen=totals.approved_fen,
        paid_fen=totals.paid_fen,
        outstanding_fen=totals.outstanding_fen,
    )
