"""API shapes of the garment master data."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.masterdata.service.bom import MAX_PIECES, LineIn
from loom.modules.masterdata.service.operations import OperationIn
from loom.modules.masterdata.service.rates import RateIn
from loom.modules.masterdata.service.routing import StepIn
from loom.modules.masterdata.service.styles import StyleIn

#: a row id as the database can hold it (a larger number would fail there, not here)
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class StyleBody(ApiIn):
    """A style as created or replaced: code, name and its colour × size matrix."""

    code: str = Field(max_length=100)
    name: str = Field(max_length=400)
    season: str = Field(default="", max_length=100)
    customer: str = Field(default="", max_length=400)
    colours: list[str] = Field(default_factory=list)
    sizes: list[str] = Field(default_factory=list)

    def to_input(self) -> StyleIn:
        """Return the service's input."""
        return StyleIn(
            code=self.code,
            name=self.name,
            season=self.season,
            customer=self.customer,
            colours=list(self.colours),
            sizes=list(self.sizes),
        )


class StyleOut(BaseModel):
    """A style of the caller's enterprise."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    season: str
    customer: str
    colours: list[str]
    sizes: list[str]
    created_at: datetime
    updated_at: datetime


class OperationBody(ApiIn):
    """An operation as created or replaced; ``sam`` in standard minutes per piece."""

    code: str = Field(max_length=100)
    name: str = Field(max_length=400)
    sam: Decimal
    machine_type: str = Field(max_length=40)
    skill_grade: int

    def to_input(self) -> OperationIn:
        """Return the service's input."""
        return OperationIn(
            code=self.code,
            name=self.name,
            sam=self.sam,
            machine_type=self.machine_type,
            skill_grade=self.skill_grade,
        )


class OperationOut(BaseModel):
    """An operation of the caller's library."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    sam: Decimal
    machine_type: str
    skill_grade: int
    created_at: datetime
    updated_at: datetime


class RateBody(ApiIn):
    """A new piece-rate version: CNY per piece from ``effective_from`` on."""

    rate: Decimal
    effective_from: date
    note: str = Field(default="", max_length=1000)

    def to_input(self) -> RateIn:
        """Return the service's input."""
        return RateIn(rate=self.rate, effective_from=self.effective_from, note=self.note)


class RateOut(BaseModel):
    """One version of an operation's piece rate."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    operation_id: int
    rate: Decimal
    effective_from: date
    note: str
    created_by: str
    created_at: datetime


class StepBody(ApiIn):
    """One operation of a routing and the operations that must be done before it."""

    model_config = ConfigDict(from_attributes=True)

    operation_id: RowId
    predecessors: list[RowId] = Field(default_factory=list, max_length=500)


class RoutingBody(ApiIn):
    """A style's whole routing, in order; it replaces the previous one."""

    steps: list[StepBody] = Field(max_length=500)

    def to_input(self) -> list[StepIn]:
        """Return the service's input."""
        return [StepIn(s.operation_id, list(s.predecessors)) for s in self.steps]


class StepOut(StepBody):
    """A stored step of a routing, with its place in the order."""

    seq: int


class RoutingOut(BaseModel):
    """A style's routing in order."""

    style_id: int
    steps: list[StepOut]


class BomLineBody(ApiIn):
    """One material of a BOM: ``consumption`` per piece of each size, in ``unit``."""

    model_config = ConfigDict(from_attributes=True)

    material_code: str = Field(max_length=100)
    material_name: str = Field(max_length=400)
    kind: str = Field(max_length=20)
    unit: str = Field(max_length=20)
    consumption: dict[str, Decimal] = Field(default_factory=dict, max_length=200)


class BomBody(ApiIn):
    """A style's whole BOM; it replaces the previous one."""

    lines: list[BomLineBody] = Field(max_length=500)

    def to_input(self) -> list[LineIn]:
        """Return the service's input."""
        return [
            LineIn(
                material_code=b.material_code,
                material_name=b.material_name,
                kind=b.kind,
                unit=b.unit,
                consumption=dict(b.consumption),
            )
            for b in self.lines
        ]


class BomOut(BaseModel):
    """A style's BOM in the order it was set."""

    style_id: int
    lines: list[BomLineBody]


Pieces = Annotated[int, Field(ge=0, le=MAX_PIECES)]


class RequirementsBody(ApiIn):
    """An order's quantities: pieces per colour, then per size, of the style."""

    quantities: dict[str, dict[str, Pieces]] = Field(max_length=200)


class RequirementOut(BaseModel):
    """The total consumption of one material, in its unit."""

    model_config = ConfigDict(from_attributes=True)

    material_code: str
    material_name: str
    kind: str
    unit: str
    quantity: Decimal


class RequirementsOut(BaseModel):
    """The material requirements of an order, one entry per BOM line."""

    style_id: int
    materials: list[RequirementOut]
