"""Quotes against the ledger, approving awards within every cap, and cancelling them."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.subsidy.engine import Quote, RuleSet, format_cny, quote, split_fen
from loom.modules.subsidy.models import BENEFICIARY_KINDS, STATUSES, Award, Payment
from loom.modules.subsidy.priors import prior_awards_from_ledger
from loom.modules.subsidy.service.claims import Claim, ClaimIn, resolve

# keeps these advisory locks apart from the audit chain's (0x4C4F) and other users'
_LOCK_NAMESPACE = 0x5342  # "SB"
#: how each limit reads in a refusal (the pages show their own translated labels)
LIMIT_WORDS = {
    "share": "share of the investment",
    "cap": "cap per award",
    "per_product_cap": "cap per product",
    "per_provider_cap": "cap per provider",
    "per_beneficiary_cap": "cap per beneficiary",
}

# refusals built from conditions, so their msgids are named here for the catalogue check
CAP_PASSED = "amount: %(amount)s CNY would pass the %(limit)s; at most %(most)s CNY can be awarded"
CAP_USED_UP = "amount: nothing more can be awarded: the %(limit)s is used up"
NOT_ELIGIBLE = "rule: not eligible under %(rule)s: %(unmet)s"


class CapExceeded(Conflict):
    """An award that would push its beneficiary, provider or product past a cap."""

    def __init__(self, limit: str, amount_fen: int, most_fen: int) -> None:
        self.limit = limit
        self.amount_fen = amount_fen
        self.most_fen = most_fen
        template = CAP_PASSED if most_fen else CAP_USED_UP
        super().__init__(
            template,
            field="amount",
            params={
                "amount": format_cny(amount_fen),
                "limit": LIMIT_WORDS.get(limit, limit),
                "most": format_cny(most_fen),
            },
            details=[{"field": "amount", "limit": limit, "most_fen": most_fen}],
        )


class NotEligible(Conflict):
    """A claim that fails a condition of its rule: nothing can be awarded."""

    def __init__(self, result: Quote) -> None:
        self.result = result
        unmet = [c.requirement() for c in result.conditions if not c.met]
        super().__init__(
            NOT_ELIGIBLE,
            field="rule",
            params={"rule": result.rule.id, "unmet": "; ".join(unmet)},
            details=[{"field": "rule", "unmet": unmet}],
        )


@dataclass(frozen=True)
class Filters:
    """What the ledger is narrowed by; empty values do not filter."""

    rule: str = ""
    kind: str = ""
    status: str = ""
    q: str = ""

    def check(self) -> None:
        """Refuse a kind or status that does not exist, naming the field."""
        if self.kind and self.kind not in BENEFICIARY_KINDS:
            raise ValidationFailed("kind: enterprise, contractor or product", field="kind")
        if self.status and self.status not in STATUSES:
            raise ValidationFailed("status: approved or cancelled", field="status")


class AwardRepository(TenantRepository[Award]):
    """The scope's bureau's awards."""

    model = Award

    def filtered(self, filters: Filters) -> Select[Award]:
        """Return the awards matching ``filters``, newest first."""
        filters.check()
        stmt = self.select()
        if filters.rule:
            stmt = stmt.where(Award.rule_id == filters.rule)
        if filters.kind:
            stmt = stmt.where(Award.beneficiary_kind == filters.kind)
        if filters.status:
            stmt = stmt.where(Award.status == filters.status)
        if filters.q.strip():
            like = f"%{filters.q.strip()}%"
            stmt = stmt.where(Award.beneficiary_name.ilike(like) | Award.provider_name.ilike(like))
        return stmt.order_by(Award.id.desc())

    def listing(self, filters: Filters, *, offset: int = 0, limit: int = 50) -> Page[Award]:
        """Return one page of awards matching ``filters``."""
        return self.page(self.filtered(filters), offset=offset, limit=limit)

    def matching(self, filters: Filters) -> list[Award]:
        """Return every award matching ``filters`` (for the Excel export)."""
        return list(self.session.scalars(self.filtered(filters)))


def get(session: Session, scope: Scope, award_id: int) -> Award:
    """Return one of the bureau's awards; another bureau's answers 404."""
    return AwardRepository(session, scope).get(award_id)


def quote_claim(
    session: Session, scope: Scope, claim_in: ClaimIn, ruleset: RuleSet | None = None
) -> tuple[Claim, Quote]:
    """Quote a claim now, counting every approved award of the bureau's ledger."""
    claim = resolve(session, scope, claim_in, ruleset)
    return claim, _quote(session, scope, claim)


def _quote(session: Session, scope: Scope, claim: Claim) -> Quote:
    priors = prior_awards_from_ledger(session, scope)(claim.rule)
    return quote(claim.rule, claim.investment_fen, claim.facts, priors, claim.claimant)


def _lock(session: Session, scope: Scope, claim: Claim) -> None:
    """Serialise approvals that count against the same caps until the transaction ends.

    Every cumulative cap of a rule counts awards to one beneficiary (for products: the
    provider), so one lock per bureau, rule and beneficiary is enough. SQLite transactions
    begin IMMEDIATE (see kernel.db.session), which already serialises every writer.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = zlib.crc32(f"{scope.org_id}|{claim.rule.id}|{claim.claimant.beneficiary}".encode())
    key = digest - 2**32 if digest >= 2**31 else digest  # pg_advisory_xact_lock takes int4
    session.execute(
        text("SELECT pg_advisory_xact_lock(:ns, :key)"), {"ns": _LOCK_NAMESPACE, "key": key}
    )


def snapshot(award: Award) -> dict[str, Any]:
    """Return the audited view of an award."""
    return {
        "rule": award.rule_id,
        "rules_version": award.rules_version,
        "kind": award.beneficiary_kind,
        "enterprise_id": award.enterprise_id,
        "contractor_org_id": award.contractor_org_id,
        "product_id": award.product_id,
        "project_id": award.project_id,
        "beneficiary": award.beneficiary_name,
        "investment_fen": award.investment_fen,
        "amount_fen": award.amount_fen,
        "split": dict(award.split),
        "limit_applied": award.limit_applied,
        "facts": dict(award.facts),
        "status": award.status,
        "note": award.note,
        "cancel_reason": award.cancel_reason,
    }


def approve(
    session: Session,
    scope: Scope,
    claim_in: ClaimIn,
    *,
    amount_fen: int | None = None,
    note: str = "",
    ruleset: RuleSet | None = None,
) -> Award:
    """Approve an award of at most what the rule allows now, recording it in the ledger.

    The quote is made again inside this transaction, after taking the beneficiary's lock, so
    two approvals can never both spend the same headroom. ``amount_fen`` may be less than the
    quote (one-off awards are "最高", at most); more is refused naming the cap that binds.
    """
    if amount_fen is not None and amount_fen <= 0:
        raise ValidationFailed("amount: must be more than zero", field="amount")
    claim = resolve(session, scope, claim_in, ruleset)
    _lock(session, scope, claim)
    result = _quote(session, scope, claim)
    if not result.eligible:
        raise NotEligible(result)
    amount = result.amount_fen if amount_fen is None else amount_fen
    if amount > result.amount_fen or amount == 0:
        assert result.limit_applied is not None  # an eligible quote names its limit
        raise CapExceeded(result.limit_applied, amount, result.amount_fen)
    rule = claim.rule
    pieces = split_fen(amount, [part.parts for part in rule.funders])
    award = Award(
        org_id=scope.org_id,
        rule_id=rule.id,
        rules_version=rule.ruleset_id,
        beneficiary_kind=claim.kind,
        enterprise_id=claim.enterprise_id,
        contractor_org_id=claim.contractor_org_id,
        product_id=claim.product_id,
        project_id=claim.project_id,
        beneficiary_name=claim.name[:200],
        provider_name=claim.provider_name[:200],
        investment_fen=claim.investment_fen,
        amount_fen=amount,
        split={part.funder.id: fen for part, fen in zip(rule.funders, pieces, strict=True)},
        # a smaller award than the quote was cut by the bureau, not by a limit of the rule
        limit_applied=result.limit_applied if amount == result.amount_fen else "bureau",
        facts=claim.facts_record(),
        status="approved",
        note=note.strip()[:1000],
        approved_by=scope.actor.label,
    )
    session.add(award)
    session.flush()
    record_scoped(
        session,
        scope,
        "subsidy.award.approved",
        "award",
        award.id,
        after={**snapshot(award), "quoted_fen": result.amount_fen},
    )
    return award


def paid_by_funder(session: Session, award: Award) -> dict[str, int]:
    """Return what each funder has paid on an award, in fen (funders without payments: 0)."""
    rows = session.execute(
        select(Payment.funder, func.sum(Payment.amount_fen))
        .where(Payment.award_id == award.id, Payment.org_id == award.org_id)
        .group_by(Payment.funder)
    )
    paid = dict.fromkeys(award.split, 0)
    paid.update({funder: int(total or 0) for funder, total in rows})
    return paid


def cancel(session: Session, scope: Scope, award_id: int, reason: str) -> Award:
    """Cancel an unpaid award with a reason; its amount no longer counts against any cap."""
    award = get(session, scope, award_id)
    if not reason.strip():
        raise ValidationFailed("reason: say why the award is cancelled", field="reason")
    if award.status == "cancelled":
        raise Conflict(
            "status: award %(id)s is already cancelled", field="status", params={"id": award.id}
        )
    paid = sum(paid_by_funder(session, award).values())
    if paid:
        raise Conflict(
            "award: %(paid)s CNY is already paid on award %(id)s; it cannot be cancelled",
            field="award",
            params={"paid": format_cny(paid), "id": award.id},
        )
    before = snapshot(award)
    award.status = "cancelled"
    award.cancel_reason = reason.strip()[:1000]
    award.cancelled_by = scope.actor.label
    award.cancelled_at = utcnow()
    session.flush()
    record_scoped(
        session,
        scope,
        "subsidy.award.cancelled",
        "award",
        award.id,
        before=before,
        after=snapshot(award),
    )
    return award


def paid_totals(session: Session, awards: list[Award]) -> Mapping[int, int]:
    """Return what has been paid on each award, in fen, by award id."""
    if not awards:
        return {}
    rows = session.execute(
        select(Payment.award_id, func.sum(Payment.amount_fen))
        .where(Payment.award_id.in_([a.id for a in awards]))
        .group_by(Payment.award_id)
    )
    totals = dict.fromkeys((award.id for award in awards), 0)
    totals.update({award_id: int(total or 0) for award_id, total in rows})
    return totals
