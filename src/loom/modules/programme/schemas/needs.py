"""API shapes of the N+X survey, the scenarios, the classification and the published lists."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.programme.service.needs import NeedIn
from loom.modules.programme.service.needs_scenarios import ScenarioIn


class NeedBody(ApiIn):
    """A problem and need a registry enterprise reported for one business stage."""

    enterprise_id: int
    stage: str = Field(description="a business stage of the plan, e.g. manufacturing")
    problem: str = Field(max_length=2000)
    #: the same key across pilots is the same need: lower-case letters, digits, - and _
    need_key: str = Field(max_length=200)
    need_title: str = Field(max_length=1000)
    scenario_code: str = Field(default="", max_length=200)

    def to_input(self) -> NeedIn:
        """Return the service's input."""
        return NeedIn(**self.model_dump())


class NeedOut(BaseModel):
    """A survey need with the name of its enterprise."""

    id: int
    enterprise_id: int
    enterprise: str
    sector: str
    stage: str
    problem: str
    need_key: str
    need_title: str
    scenario_code: str
    created_by: str
    created_at: datetime


class ProductRef(BaseModel):
    """A published 小快轻准 product that names a scenario's code."""

    id: int
    name: str


class ScenarioBody(ApiIn):
    """A scenario of a sector and the national scenes (S01–S16) and levels it delivers."""

    code: str = Field(max_length=200)
    title: str = Field(max_length=1000)
    sector: str
    stage: str
    scenes: dict[str, int] = Field(default_factory=dict)
    description: str = Field(default="", max_length=4000)

    def to_input(self) -> ScenarioIn:
        """Return the service's input."""
        return ScenarioIn(**self.model_dump())


class ScenarioOut(BaseModel):
    """A scenario with the products that deliver it and how many survey needs point to it."""

    id: int
    code: str
    title: str
    sector: str
    stage: str
    scenes: dict[str, int]
    description: str
    products: list[ProductRef]
    needs: int


class PilotRef(BaseModel):
    """A pilot of the sector behind a need."""

    id: int
    name: str


class ClassifiedNeedOut(BaseModel):
    """One need of a sector, N or X, with the exact counts behind its share."""

    need_key: str
    title: str
    kind: str
    pilots: int
    sector_pilots: int
    #: pilots / sector_pilots rounded to four places; null when the sector has no pilots
    share: Decimal | None
    stages: list[str]
    scenario_codes: list[str]
    enterprises: list[PilotRef]
    notes: list[str]


class ClassificationOut(BaseModel):
    """The N+X classification of one sector."""

    sector: str
    threshold: Decimal
    sector_pilots: list[PilotRef]
    n_count: int
    x_count: int
    needs: list[ClassifiedNeedOut]


class PublishIn(ApiIn):
    """Which sector's three lists to publish."""

    sector: str


class ListVersionSummary(BaseModel):
    """A published version of one list, without its items."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sector: str
    kind: str
    version: int
    published_by: str
    published_at: datetime


class ListVersionOut(ListVersionSummary):
    """A published version of one list with its snapshot of items."""

    items: list[dict[str, Any]]


class ChangeOut(BaseModel):
    """An item of both versions whose fields differ: each field as [before, after]."""

    key: str
    fields: dict[str, list[Any]]


class DiffOut(BaseModel):
    """What changed from one version of a list to another."""

    sector: str
    kind: str
    from_version: int | None
    to_version: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[ChangeOut]
    unchanged: int
