"""Payments per funder on approved awards, and the ledger's totals per funder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.subsidy.engine import RuleSet, builtin_ruleset, format_cny
from loom.modules.subsidy.models import Award, Payment
from loom.modules.subsidy.service.awards import AwardRepository, Filters, paid_by_funder


@dataclass(frozen=True)
class FunderLine:
    """What one funder has approved and paid across the awards of the ledger."""

    funder: str
    name: str
    approved_fen: int
    paid_fen: int

    @property
    def outstanding_fen(self) -> int:
        """Return what is approved but not yet paid."""
        return self.approved_fen - self.paid_fen


@dataclass(frozen=True)
class Ledger:
    """Totals of the approved (not cancelled) awards matching a filter, per funder."""

    lines: tuple[FunderLine, ...]
    awards: int

    @property
    def approved_fen(self) -> int:
        """Return the approved total."""
        return sum(line.approved_fen for line in self.lines)

    @property
    def paid_fen(self) -> int:
        """Return the paid total."""
        return sum(line.paid_fen for line in self.lines)

    @property
    def outstanding_fen(self) -> int:
        """Return what is approved but not yet paid, in total."""
        return self.approved_fen - self.paid_fen


def _locked_award(session: Session, scope: Scope, award_id: int) -> Award:
    # FOR UPDATE: two payments on one award must not both fit in the same unpaid share
    row = session.scalars(
        AwardRepository(session, scope).select().where(Award.id == award_id).with_for_update()
    ).first()
    if row is None:
        raise NotFound("Award %(id)s not found", params={"id": award_id})
    return row


def record_payment(
    session: Session,
    scope: Scope,
    award_id: int,
    *,
    funder: str,
    amount_fen: int,
    paid_on: date,
    reference: str = "",
) -> Payment:
    """Record money a funder paid on an approved award, never more than the funder's share."""
    award = _locked_award(session, scope, award_id)
    if award.status != "approved":
        raise Conflict(
            "status: award %(id)s is %(status)s; nothing can be paid on it",
            field="status",
            params={"id": award.id, "status": award.status},
        )
    if funder not in award.split:
        raise ValidationFailed(
            "funder: award %(id)s is paid by %(funders)s",
            field="funder",
            params={"id": award.id, "funders": ", ".join(award.split)},
        )
    if amount_fen <= 0:
        raise ValidationFailed("amount: must be more than zero", field="amount")
    if paid_on > date.today():
        raise ValidationFailed("paid_on: must not be in the future", field="paid_on")
    share = award.split[funder]
    paid = paid_by_funder(session, award)[funder]
    if paid + amount_fen > share:
        raise Conflict(
            "amount: %(funder)s's share of award %(id)s is %(share)s CNY and %(paid)s CNY is "
            "paid; at most %(left)s CNY more can be paid",
            field="amount",
            params={
                "funder": funder,
                "id": award.id,
                "share": format_cny(share),
                "paid": format_cny(paid),
                "left": format_cny(share - paid),
            },
        )
    payment = Payment(
        org_id=scope.org_id,
        award_id=award.id,
        funder=funder,
        amount_fen=amount_fen,
        paid_on=paid_on,
        reference=reference.strip()[:120],
        recorded_by=scope.actor.label,
    )
    session.add(payment)
    session.flush()
    record_scoped(
        session,
        scope,
        "subsidy.payment.recorded",
        "award",
        award.id,
        after={
            "payment": payment.id,
            "funder": funder,
            "amount_fen": amount_fen,
            "paid_on": paid_on,
            "reference": payment.reference,
        },
    )
    return payment


def payments(session: Session, award: Award) -> list[Payment]:
    """Return the payments on an award, oldest first."""
    stmt = (
        select(Payment)
        .where(Payment.award_id == award.id, Payment.org_id == award.org_id)
        .order_by(Payment.paid_on, Payment.id)
    )
    return list(session.scalars(stmt))


def funder_names(ruleset: RuleSet | None = None) -> dict[str, str]:
    """Return the funders of the rule set's framework by id, in the framework's order."""
    rules = ruleset or builtin_ruleset()
    return {funder.id: funder.name for funder in rules.framework.funders}


def ledger(session: Session, scope: Scope, filters: Filters | None = None) -> Ledger:
    """Return approved and paid amounts per funder of the approved awards matching ``filters``.

    Cancelled awards count for nothing, whatever the status filter says.
    """
    filters = filters or Filters()
    repo = AwardRepository(session, scope)
    stmt = repo.filtered(filters).where(Award.status == "approved")
    awards = list(session.scalars(stmt))
    approved: dict[str, int] = {}
    for award in awards:
        for funder, fen in award.split.items():
            approved[funder] = approved.get(funder, 0) + int(fen)
    paid: dict[str, int] = {}
    if awards:
        rows = session.execute(
            select(Payment.funder, func.sum(Payment.amount_fen))
            .where(
                Payment.org_id == scope.org_id,
                Payment.award_id.in_(stmt.with_only_columns(Award.id).order_by(None)),
            )
            .group_by(Payment.funder)
        )
        paid = {funder: int(total or 0) for funder, total in rows}
    names = funder_names()
    # the framework's funders first, in its order; a funder of an older rule set after them
    order = [f for f in names if f in approved] + sorted(set(approved) - set(names))
    lines = tuple(FunderLine(f, names.get(f, f), approved[f], paid.get(f, 0)) for f in order)
    return Ledger(lines=lines, awards=len(awards))
