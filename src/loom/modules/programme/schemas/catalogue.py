"""API shapes of the 小快轻准 product catalogue and of a project's plan."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.errors import ValidationFailed
from loom.kernel.web.inputs import ApiIn
from loom.modules.programme.service.catalogue import ProductIn


def price_fen(price: Decimal) -> int:
    """Return a price in CNY as whole fen, or name the ``price`` field."""
    fen = price * 100
    if not fen.is_finite() or fen != fen.to_integral_value():
        raise ValidationFailed("price: an amount in CNY with at most two decimals", field="price")
    return int(fen)


class ProductBody(ApiIn):
    """A product as its contractor publishes or edits it; the price is in CNY."""

    name: str = Field(max_length=200)
    price: Decimal
    delivery_weeks: int
    deployment: str = Field(description="cloud or on_premise")
    scenario_code: str = Field(default="", max_length=40)
    description: str = Field(default="", max_length=2000)
    #: national scene id (S01–S16) -> the level the product delivers
    scenes: dict[str, int] = Field(default_factory=dict)
    #: indicator id -> the option ids it reaches (one letter for single and rate indicators)
    indicators: dict[str, list[str] | str] = Field(default_factory=dict)

    def to_input(self) -> ProductIn:
        """Return the service's input, the price in fen."""
        return ProductIn(
            name=self.name,
            price_fen=price_fen(self.price),
            delivery_weeks=self.delivery_weeks,
            deployment=self.deployment,
            scenario_code=self.scenario_code,
            description=self.description,
            scenes=dict(self.scenes),
            indicators={
                k: [v] if isinstance(v, str) else list(v) for k, v in self.indicators.items()
            },
        )


class ProductOut(BaseModel):
    """A product of the catalogue, with its contractor and the bureaus that marked it."""

    id: int
    contractor_org_id: int
    contractor: str
    name: str
    scenario_code: str
    scenes: dict[str, int]
    indicators: dict[str, list[str]]
    price: Decimal
    price_fen: int
    delivery_weeks: int
    deployment: str
    description: str
    status: str
    excellent: bool
    #: names of the bureaus that marked it excellent (public; their notes are not)
    excellent_by: list[str]
    created_at: datetime
    updated_at: datetime


class MarkIn(ApiIn):
    """The bureau's judgement of a product: excellent or not, and why."""

    excellent: bool = True
    note: str = Field(default="", max_length=500)


class MarkOut(BaseModel):
    """The calling bureau's own mark on a product."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    excellent: bool
    note: str
    marked_on: date
    marked_by: str


class PlanIn(ApiIn):
    """Which of the enterprise's assessments to plan from, to which level, with the subsidy."""

    assessment_id: int
    target_level: int = Field(default=2, ge=1, le=9)
    subsidy: bool = True
