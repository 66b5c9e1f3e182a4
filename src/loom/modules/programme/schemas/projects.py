"""Pydantic shapes of the projects API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn


class ProjectOut(BaseModel):
    """A project as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    sector: str
    batch: str
    status: str
    honours: list[str]
    enterprise_id: int
    enterprise_org_id: int | None
    contractor_org_id: int | None
    assessor_org_id: int | None
    contract_no: str
    contract_signed_on: date | None
    contract_amount_fen: int
    n_scenarios: list[str]
    x_scenarios: list[str]
    plan: dict[str, Any] | None
    created_at: datetime
    status_changed_at: datetime
    overdue: bool = False


class ProjectCreate(ApiIn):
    """Open the project of a selected pilot application."""

    model_config = ConfigDict(extra="forbid")

    application_id: int
    title: str = Field("", max_length=200)


class ProjectPatch(ApiIn):
    """Fields of a project the bureau may change; absent ones stay."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=200)
    contractor_org_id: int | None = None
    assessor_org_id: int | None = None
    contract_no: str | None = Field(None, max_length=80)
    contract_signed_on: date | None = None
    contract_amount_fen: int | None = Field(None, ge=0)
    n_scenarios: list[str] | None = None
    x_scenarios: list[str] | None = None


class TransitionIn(ApiIn):
    """One lifecycle step."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(..., max_length=40)
    reason: str = Field("", max_length=1000)


class TransitionOut(BaseModel):
    """A step taken."""

    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: str
    to_status: str
    reason: str
    actor: str
    at: datetime


class InvestmentIn(ApiIn):
    """An investment line (evidence files go through the page upload)."""

    model_config = ConfigDict(extra="forbid")

    category: str
    description: str = Field(..., min_length=1, max_length=500)
    amount_fen: int = Field(..., gt=0)
    product_id: int | None = None


class InvestmentOut(BaseModel):
    """An investment line."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    category: str
    description: str
    amount_fen: int
    product_id: int | None
    evidence_name: str
    evidence_sha256: str
    evidence_size: int


class OnsiteIn(ApiIn):
    """Record a submitted on-site assessment on the project."""

    model_config = ConfigDict(extra="forbid")

    assessment_id: int


class OnsiteOut(BaseModel):
    """An on-site result recorded on a project."""

    model_config = ConfigDict(from_attributes=True)

    phase: str
    assessment_id: int
    level: int
    score: Decimal
    rules_version: str
    assessed_on: date


class DecisionIn(ApiIn):
    """The expert evaluation and the decision."""

    model_config = ConfigDict(extra="forbid")

    effect_score: int = Field(..., ge=0, le=100)
    integration_score: int = Field(..., ge=0, le=100)
    reform_score: int = Field(..., ge=0, le=100)
    io_ratio: Decimal = Field(..., ge=0, max_digits=8, decimal_places=2)
    decision: str = Field(..., pattern="^(pass|rectify)$")
    reasons: str = Field(..., min_length=1, max_length=2000)
    experts: str = Field("", max_length=500)


class ProjectDetail(ProjectOut):
    """A project with its lines, on-site results, history and next steps."""

    investment: list[InvestmentOut]
    investment_total_fen: int
    onsite: list[OnsiteOut]
    history: list[TransitionOut]
    actions: list[str]
    deadline: date | None
