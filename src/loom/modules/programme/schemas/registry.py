"""API shapes of the enterprise registry.

The inputs only check types: the value rules (credit code, towns, ranges, phone numbers) are the
registry sheet's and are applied by the service, so the API and the Excel import agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn


class EnterpriseIn(ApiIn):
    """A new registry entry; sector and size take ids or the sheet's Chinese labels."""

    model_config = ConfigDict(extra="forbid")

    name: str
    credit_code: str
    sector: str
    sub_sector: str = ""
    size: str
    town: str
    employees: int
    revenue_wan: Decimal
    cloud: bool
    contact_name: str = ""
    contact_phone: str = ""


class EnterprisePatch(ApiIn):
    """Fields of an entry to change; the ones left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    credit_code: str | None = None
    sector: str | None = None
    sub_sector: str | None = None
    size: str | None = None
    town: str | None = None
    employees: int | None = None
    revenue_wan: Decimal | None = None
    cloud: bool | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


class EnterpriseOut(BaseModel):
    """A registry entry as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    credit_code: str
    sector: str
    sub_sector: str
    size: str
    town: str
    employees: int
    revenue_wan: Decimal
    cloud: bool
    contact_name: str
    contact_phone: str
    enterprise_org_id: int | None
    digital_level: int | None
    level_source: str
    level_on: date | None
    smart_factory_on: date | None
    created_at: datetime
    updated_at: datetime


class LinkIn(ApiIn):
    """The enterprise organisation an entry is."""

    org_id: int


class LevelIn(ApiIn):
    """A digital level assessed outside Loom (0 = below level 1)."""

    level: int
    assessed_on: date


class SmartFactoryIn(ApiIn):
    """The date an entry was named a digital workshop or smart factory; null clears it."""

    named_on: date | None = None


class ImportOut(BaseModel):
    """What a clean import added."""

    imported: int
    ids: list[int] = Field(default_factory=list)
