"""Pydantic bodies and views of the subsidy API; money is CNY text in, ``{cny, fen}`` out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.subsidy.engine import parse_cny
from loom.modules.subsidy.models import Award, Payment
from loom.modules.subsidy.service.claims import ClaimIn


class ClaimBody(ApiIn):
    """Who a quote or award is for: name exactly the beneficiary the rule awards."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(min_length=1, max_length=60)
    project_id: int | None = None
    enterprise_id: int | None = None
    contractor_org_id: int | None = None
    product_id: int | None = None
    investment: str | None = Field(
        default=None, description="CNY, e.g. 1234567.89; default: the project's investment"
    )
    declared: list[str] = Field(default_factory=list, max_length=10)
    recognised: bool = False

    def claim(self) -> ClaimIn:
        """Return the service's claim; an unusable investment is refused naming the field."""
        investment = None if self.investment is None else parse_cny(self.investment, "investment")
        return ClaimIn(
            rule=self.rule,
            project_id=self.project_id,
            enterprise_id=self.enterprise_id,
            contractor_org_id=self.contractor_org_id,
            product_id=self.product_id,
            investment_fen=investment,
            declared=frozenset(self.declared),
            recognised=self.recognised,
        )


class ApproveBody(ClaimBody):
    """A claim to approve, optionally for less than the quote, with a note."""

    amount: str | None = Field(default=None, description="CNY; default: the full quote")
    note: str = Field(default="", max_length=1000)

    def amount_fen(self) -> int | None:
        """Return the amount asked for in fen, or ``None`` for the full quote."""
        return None if self.amount is None else parse_cny(self.amount, "amount")


class CancelBody(ApiIn):
    """Why an award is cancelled."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=1000)


class PaymentBody(ApiIn):
    """Money one funder paid on an award."""

    model_config = ConfigDict(extra="forbid")

    funder: str = Field(min_length=1, max_length=30)
    amount: str
    paid_on: date
    reference: str = Field(default="", max_length=120)


class PaymentOut(BaseModel):
    """One payment."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    award_id: int
    funder: str
    amount_fen: int
    paid_on: date
    reference: str
    recorded_by: str
    recorded_at: datetime


class AwardOut(BaseModel):
    """One award of the ledger, with what each funder owes and has paid."""

    id: int
    rule: str
    rules_version: str
    kind: str
    enterprise_id: int | None
    contractor_org_id: int | None
    product_id: int | None
    project_id: int | None
    beneficiary: str
    provider: str
    investment_fen: int | None
    amount_fen: int
    split: dict[str, int]
    paid: dict[str, int]
    limit_applied: str
    facts: dict[str, Any]
    status: str
    note: str
    approved_by: str
    approved_at: datetime
    cancel_reason: str
    cancelled_by: str
    cancelled_at: datetime | None
    payments: list[PaymentOut] | None = None

    @classmethod
    def of(
        cls, award: Award, paid: dict[str, int], payments: list[Payment] | None = None
    ) -> AwardOut:
        """Return the view of an award."""
        return cls(
            id=award.id,
            rule=award.rule_id,
            rules_version=award.rules_version,
            kind=award.beneficiary_kind,
            enterprise_id=award.enterprise_id,
            contractor_org_id=award.contractor_org_id,
            product_id=award.product_id,
            project_id=award.project_id,
            beneficiary=award.beneficiary_name,
            provider=award.provider_name,
            investment_fen=award.investment_fen,
            amount_fen=award.amount_fen,
            split=dict(award.split),
            paid=paid,
            limit_applied=award.limit_applied,
            facts=dict(award.facts),
            status=award.status,
            note=award.note,
            approved_by=award.approved_by,
            approved_at=award.approved_at,
            cancel_reason=award.cancel_reason,
            cancelled_by=award.cancelled_by,
            cancelled_at=award.cancelled_at,
            payments=None if payments is None else [PaymentOut.model_validate(p) for p in payments],
        )


class FunderOut(BaseModel):
    """One funder's line of the ledger, in fen."""

    funder: str
    name: str
    approved_fen: int
    paid_fen: int
    outstanding_fen: int


class LedgerOut(BaseModel):
    """The ledger's totals per funder, in fen."""

    awards: int
    funders: list[FunderOut]
    approved_fen: int
    paid_fen: int
    outstanding_fen: int
