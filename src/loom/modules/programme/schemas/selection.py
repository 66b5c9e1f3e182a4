"""API shapes of pilot and general-contractor selection.

Scores travel as strings: ``score`` rounded half up to two decimals for showing, ``exact`` as
a fraction (``"358/5"``) so nothing is lost; inputs only check types, the service the rules.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.programme.engine import rounded


def shown(value: Fraction) -> str:
    """Return a score with two decimals, rounded half up."""
    return str(rounded(value))


def weight_text(value: Decimal) -> str:
    """Return a plan weight without trailing zeros."""
    return format(value.normalize(), "f")


class WeightOut(BaseModel):
    """A principle, criterion or evaluator group of the active plan, with its weight."""

    id: str
    title: str
    weight: str
    origin: str
    max_score: int | None = None


class PilotApplicationIn(ApiIn):
    """A registry enterprise's application, recorded by the bureau."""

    model_config = ConfigDict(extra="forbid")

    enterprise_id: int
    statement: str = ""


class PilotApplicationOut(BaseModel):
    """A pilot application as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    enterprise_org_id: int | None
    sector: str
    statement: str
    status: str
    batch: str | None
    decision_note: str
    applied_at: datetime
    decided_at: datetime | None


class ExpertSheetIn(ApiIn):
    """One expert's scores, principle id -> a whole number from 0 to its highest score."""

    model_config = ConfigDict(extra="forbid")

    expert: str
    scores: dict[str, Any]


class ExpertSheetOut(BaseModel):
    """One expert's sheet and what it weighs to."""

    id: int
    expert: str
    scores: dict[str, int]
    weighted: str | None
    entered_by: str
    entered_at: datetime


class PilotScoreOut(BaseModel):
    """An application's score: the mean of the experts' weighted sheets."""

    score: str
    exact: str
    experts: int
    by_expert: dict[str, str]
    by_principle: dict[str, str]


class PilotDetailOut(BaseModel):
    """An application with its sheets and score (sheets are the bureau's only)."""

    application: PilotApplicationOut
    enterprise_name: str
    sheets: list[ExpertSheetOut]
    score: PilotScoreOut | None
    stale: bool
    weights: list[WeightOut]
    project_id: int | None


class ReasonIn(ApiIn):
    """The reason of a decision (required where the decision says so)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = ""


class SelectIn(ApiIn):
    """Applications to select into one batch of the plan, all or none."""

    model_config = ConfigDict(extra="forbid")

    batch: str
    application_ids: list[int] = Field(default_factory=list)
    note: str = ""


class PlacesOut(BaseModel):
    """A batch's places for one sector."""

    batch: str
    sector: str
    quota: int
    selected: int
    remaining: int


class PilotRankOut(BaseModel):
    """One application's place in its sector (position null while unscored)."""

    application_id: int
    enterprise_name: str
    status: str
    batch: str | None
    position: int | None
    sector_position: int | None
    decided_by: str | None
    sheets: int
    stale: bool
    score: PilotScoreOut | None


class PilotRankingOut(BaseModel):
    """Each sector's ranking, the weights used and the places of every batch."""

    weights: list[WeightOut]
    sectors: dict[str, list[PilotRankOut]]
    places: list[PlacesOut]


class ContractorApplicationIn(ApiIn):
    """A contractor's bid to a bureau for one sector, alone or leading a consortium."""

    model_config = ConfigDict(extra="forbid")

    bureau_org_id: int
    sector: str
    member_org_ids: list[int] = Field(default_factory=list)
    statement: str = ""


class ContractorApplicationOut(BaseModel):
    """A bid as the API returns it (``org_id`` is the bureau it was made to)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    contractor_org_id: int
    member_org_ids: list[int]
    sector: str
    statement: str
    status: str
    decision_note: str
    applied_at: datetime
    decided_at: datetime | None


class EvaluatorSheetIn(ApiIn):
    """One evaluator's scores on the criteria, within an evaluator group of the plan."""

    model_config = ConfigDict(extra="forbid")

    group: str
    evaluator: str
    scores: dict[str, Any]


class EvaluatorSheetOut(BaseModel):
    """One evaluator's sheet."""

    id: int
    group: str
    evaluator: str
    scores: dict[str, int]
    entered_by: str
    entered_at: datetime


class BidScoreOut(BaseModel):
    """A bid's score: the groups' mean weighted sheets weighted by the group shares."""

    score: str
    exact: str
    by_group: dict[str, str]
    by_criterion: dict[str, str]


class ContractorDetailOut(BaseModel):
    """A bid with its sheets and score (sheets are the bureau's only)."""

    application: ContractorApplicationOut
    sheets: list[EvaluatorSheetOut]
    score: BidScoreOut | None
    missing_groups: list[str]
    stale: bool
    criteria: list[WeightOut]
    groups: list[WeightOut]


class ChooseIn(ApiIn):
    """Why this bid is chosen; required when it is not the best-ranked one."""

    model_config = ConfigDict(extra="forbid")

    note: str = ""


class BidRankOut(BaseModel):
    """One bid's place in its sector (position null while unscored)."""

    application_id: int
    contractor_org_id: int
    member_org_ids: list[int]
    status: str
    position: int | None
    sector_position: int | None
    decided_by: str | None
    missing_groups: list[str]
    stale: bool
    score: BidScoreOut | None


class ProblemOut(BaseModel):
    """A consortium conflict: a stable code and the English message."""

    code: str
    message: str


class SectorBidsOut(BaseModel):
    """A sector's ranking, its conflicts, the chosen bid and the engine's best one."""

    rows: list[BidRankOut]
    conflicts: list[ProblemOut]
    chosen: int | None
    best: int | None


class ContractorRankingOut(BaseModel):
    """Each sector's bids with the weights used."""

    criteria: list[WeightOut]
    groups: list[WeightOut]
    sectors: dict[str, SectorBidsOut]


class OrganisationOut(BaseModel):
    """An organisation one may pick (a bureau to apply to, a consortium member)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
