"""Pydantic shapes of the brain's JSON API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn


class ConsentIn(ApiIn):
    """How finely one category is shared: none (revoked), weekly or daily."""

    granularity: str = Field(max_length=10)


class ConsentOut(BaseModel):
    """The enterprise's granularity per category."""

    consents: dict[str, str]


class ReadOut(BaseModel):
    """One read of the enterprise's shared data."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    read_at: datetime
    reader: str
    reader_org_id: int | None
    reader_org_name: str
    category: str
    metric: str
    granularity: str
    purpose: str
    period_start: date
    period_end: date


class MetricOut(BaseModel):
    """A figure an installed app offers the brain."""

    name: str
    category: str
    label: str
    unit: str
    ratio: bool
    scale: float


class CellOut(BaseModel):
    """One cell: its column, its figure (null when hidden or empty), whether it is hidden."""

    column: str
    value: float | None
    suppressed: bool


class RowOut(BaseModel):
    """One row of a table: a group (``"*"`` for all groups together) and its cells."""

    group: str
    cells: list[CellOut]
    total: CellOut
    enterprises: int | None


class TableOut(BaseModel):
    """A table of figures; cells built from fewer than ``k`` enterprises are null."""

    k: int
    columns: list[str]
    rows: list[RowOut]


class IndexOut(TableOut):
    """An industry index by group and ISO week (columns are the weeks' Mondays)."""

    metric: MetricOut
    by: str
    start: date
    end: date


class LevelsOut(TableOut):
    """How many consenting enterprises hold each digital level (columns are levels)."""

    by: str
    end: date


class EnterpriseCapacityOut(BaseModel):
    """One enterprise's free operator-minutes per week."""

    org_id: int
    name: str
    town: str
    weeks: dict[str, float]
    total: float


class CapacityOut(BaseModel):
    """The capacity map of some weeks for one category and lowest skill grade."""

    k: int
    start: date
    weeks: list[str]
    category: str
    min_skill: int
    categories: list[str]
    by_category: list[RowOut]
    by_skill: list[RowOut]
    by_town: list[RowOut]
    enterprises: list[EnterpriseCapacityOut]
