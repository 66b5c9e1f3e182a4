"""API shapes of order match-making."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.matching.service.orders import OrderIn

RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
Label = Annotated[str, Field(max_length=40)]
Count = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)]


class OrderBody(ApiIn):
    """An order as posted; ``quantities`` is {colour: {size: pieces}} and may be left out."""

    category: str = Field(max_length=100)
    quantity: Count
    due_date: date
    max_dhu_pct: float = Field(ge=-1e9, le=1e9)
    sam_minutes: float | None = Field(default=None, ge=-1e9, le=1e9)
    style_name: str = Field(default="", max_length=400)
    description: str = Field(default="", max_length=2000)
    quantities: dict[Label, dict[Label, Count]] = Field(default_factory=dict, max_length=100)

    def to_input(self) -> OrderIn:
        """Return the service's input."""
        return OrderIn(
            category=self.category,
            quantity=self.quantity,
            due_date=self.due_date,
            max_dhu_pct=self.max_dhu_pct,
            sam_minutes=self.sam_minutes,
            style_name=self.style_name,
            description=self.description,
            quantities={c: dict(row) for c, row in self.quantities.items()},
        )


class InviteBody(ApiIn):
    """Factories to invite to an order, from its ranking."""

    factory_org_ids: list[RowId] = Field(max_length=100)
    message: str = Field(default="", max_length=2000)


class DeclineBody(ApiIn):
    """Why a factory declines."""

    reason: str = Field(max_length=2000)


class OrderOut(BaseModel):
    """A posted order of the caller's enterprise."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str = ""
    category: str
    quantity: int
    due_date: date
    max_dhu_pct: float
    sam_minutes: float
    sam_defaulted: bool
    style_name: str
    description: str
    quantities: dict[str, dict[str, int]]
    status: str
    ranked_at: datetime | None
    placed_org_id: int | None
    posted_by: str
    created_at: datetime


class InvitationOut(BaseModel):
    """An invitation as its factory (or the poster) sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    factory_org_id: int
    factory_name: str
    poster_name: str
    category: str
    quantity: int
    due_date: date
    max_dhu_pct: float
    sam_minutes: float
    style_name: str
    description: str
    quantities: dict[str, dict[str, int]]
    message: str
    score: float
    explanation: dict[str, Any]
    status: str
    reason: str
    invited_at: datetime
    responded_by: str
    responded_at: datetime | None
    production_order_id: int | None
