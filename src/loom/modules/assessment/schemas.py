"""API shapes of the assessment module."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn


class RuleSetOut(BaseModel):
    """A rule-set version as listed."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    standard: str
    version: int
    title: str
    builtin: bool
    note: str
    published_at: datetime
    published_by: str


class RuleSetDetail(RuleSetOut):
    """A rule-set version with its document and its unverified items."""

    document: dict[str, Any]
    unverified: list[dict[str, str]]


class RuleSetCorrection(ApiIn):
    """A corrected document to publish as the next version of its standard."""

    base: str = Field(min_length=1, max_length=80)
    document: dict[str, Any]
    note: str = Field(min_length=1, max_length=500)


class AssessmentCreate(ApiIn):
    """Start an assessment (assessors name the enterprise)."""

    phase: str = Field(pattern="^(before|after)$")
    assessed_on: date
    title: str = Field(default="", max_length=200)
    ruleset: str | None = Field(default=None, max_length=80)
    enterprise_org_id: int | None = None


class AnswersIn(ApiIn):
    """Draft answers: indicator id → option(s) or raw numbers; scene id → level 0–4."""

    answers: dict[str, Any] = Field(default_factory=dict)
    scenes: dict[str, Any] = Field(default_factory=dict)
    note: str | None = Field(default=None, max_length=2000)


class AssessmentOut(BaseModel):
    """An assessment with its answers and, once submitted, its result."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    assessor_org_id: int | None
    kind: str
    phase: str
    title: str
    assessed_on: date
    status: str
    ruleset: str
    questionnaire: dict[str, Any]
    result: dict[str, Any] | None
    score: float | None
    level: int | None
    note: str
    created_by: str
    submitted_at: datetime | None


class RescoreIn(ApiIn):
    """Score the stored answers under another rule-set version."""

    ruleset: str = Field(min_length=1, max_length=80)


class EvidenceOut(BaseModel):
    """An evidence file's metadata."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    assessment_id: int
    item_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class ChangeOut(BaseModel):
    """One item before and after."""

    item_id: str
    before: float
    after: float
    delta: float


class ComparisonOut(BaseModel):
    """A before/after comparison."""

    before_id: int
    after_id: int
    score: ChangeOut
    level: ChangeOut
    indicators: list[ChangeOut]
    scenes: list[ChangeOut]


class PlanIn(ApiIn):
    """Ask for a plan: target level, optional budget in CNY, subsidy counted or not."""

    target_level: int = Field(default=2, ge=1, le=4)
    budget_cny: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    subsidy: bool = True
