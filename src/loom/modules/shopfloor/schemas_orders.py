"""API shapes of production orders, lays, bundles and ticket coupons."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.shopfloor.service.cutting import LayIn, PlanIn
from loom.modules.shopfloor.service.orders import OrderIn

#: a row id as the database can hold it (a larger number would fail there, not here)
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
#: a label of the style's matrix as sent; the service checks it belongs to the style
Label = Annotated[str, Field(max_length=40)]
#: a count as sent; the service names the cell when it is out of range
Count = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)]


class OrderBody(ApiIn):
    """An order as created or replaced; ``quantities`` is {colour: {size: pieces}}."""

    number: str = Field(max_length=100)
    customer: str = Field(default="", max_length=400)
    style_id: RowId
    line_id: RowId | None = None
    due_date: date
    quantities: dict[Label, dict[Label, Count]] = Field(max_length=100)
    status: str = Field(default="open", max_length=20)
    note: str = Field(default="", max_length=1000)

    def to_input(self) -> OrderIn:
        """Return the service's input."""
        return OrderIn(
            number=self.number,
            customer=self.customer,
            style_id=self.style_id,
            line_id=self.line_id,
            due_date=self.due_date,
            quantities={c: dict(row) for c, row in self.quantities.items()},
            status=self.status,
            note=self.note,
        )


class OrderOut(BaseModel):
    """An order of the caller's enterprise."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    customer: str
    style_id: int
    line_id: int | None
    due_date: date
    quantities: dict[str, dict[str, int]]
    total_qty: int
    status: str
    note: str
    created_at: datetime
    updated_at: datetime


class OrderProgressOut(OrderOut):
    """An order on the board, with its finished pieces and progress."""

    finished_qty: int = 0
    progress: float = 0.0
    late: bool = False


class LayBody(ApiIn):
    """A lay as added or replaced by hand."""

    colour: Label
    plies: Count
    ratios: dict[Label, Count] = Field(max_length=100)

    def to_input(self) -> LayIn:
        """Return the service's input."""
        return LayIn(colour=self.colour, plies=self.plies, ratios=dict(self.ratios))


class LayOut(BaseModel):
    """A lay of an order."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    lay_no: int
    colour: str
    plies: int
    ratios: dict[str, int]
    status: str
    cut_at: datetime | None
    created_at: datetime


class PlanBody(ApiIn):
    """The limits of a suggested cutting plan."""

    max_plies: Count
    max_marker: Count
    min_plies: Count = 1

    def to_input(self) -> PlanIn:
        """Return the service's input."""
        return PlanIn(
            max_plies=self.max_plies, max_marker=self.max_marker, min_plies=self.min_plies
        )


class PlannedLayOut(BaseModel):
    """One suggested lay (not stored)."""

    model_config = ConfigDict(from_attributes=True)

    colour: str
    plies: int
    ratios: dict[str, int]
    pieces: int


class CutBody(ApiIn):
    """How many pieces one bundle holds at most."""

    bundle_size: Count = 20


class BundleOut(BaseModel):
    """A bundle cut from a lay."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    order_id: int
    lay_id: int
    colour: str
    size: str
    qty: int
    ply_from: int
    ply_to: int
    created_at: datetime


class CellOut(BaseModel):
    """Ordered, planned and cut pieces of one colour and size."""

    ordered: int
    planned: int
    cut: int


class MatrixOut(BaseModel):
    """Cut against ordered per colour and size."""

    order_id: int
    cells: dict[str, dict[str, CellOut]]


class CouponOutBody(BaseModel):
    """One coupon of a bundle ticket: what its QR code says."""

    model_config = ConfigDict(from_attributes=True)

    bundle_no: int
    seq: int
    operation_id: int
    operation_code: str
    operation_name: str
    qr_text: str


class CouponsOut(BaseModel):
    """The coupons of an order's bundles (all, one lay's, or the listed bundles)."""

    order_id: int
    coupons: list[CouponOutBody]
