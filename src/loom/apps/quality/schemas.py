"""API shapes of the quality app: the catalogue, inspections, AQL lots, DHU figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from loom.apps.quality.service.aql import AqlIn
from loom.apps.quality.service.catalogue import DefectIn
from loom.apps.quality.service.inspections import DefectCount, InspectionIn
from loom.kernel.web.inputs import ApiIn

RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
#: counts as sent; the services name a value out of its range
Count = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]


class DefectBody(ApiIn):
    """A catalogue entry: code, name, class (critical, major, minor) and category."""

    code: str = Field(max_length=400)
    name: str = Field(max_length=400)
    defect_class: str = Field(max_length=40)
    category: str = Field(default="other", max_length=40)
    active: bool = True

    def to_input(self) -> DefectIn:
        """Return the service's input."""
        return DefectIn(self.code, self.name, self.defect_class, self.category, self.active)


class DefectOut(BaseModel):
    """A catalogue entry."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    defect_class: str
    category: str
    active: bool


class DefectCountBody(ApiIn):
    """Defects of one catalogue code (at the end of the line, the operation blamed)."""

    code: str = Field(max_length=40)
    qty: Count
    operation_id: RowId | None = None


class InspectionBody(ApiIn):
    """An inline or end-of-line inspection as recorded."""

    kind: str = Field(max_length=20)
    line_id: RowId | None = None
    pieces_checked: Count
    defects: list[DefectCountBody] = Field(default_factory=list, max_length=200)
    operation_id: RowId | None = None
    operator_id: RowId | None = None
    bundle_no: Annotated[int, Field(ge=1, le=9_000_000_000_000_000_000)] | None = None
    defective_pieces: Count | None = None
    inspected_at: datetime | None = None
    note: str = Field(default="", max_length=1000)

    def to_input(self) -> InspectionIn:
        """Return the service's input."""
        return InspectionIn(
            kind=self.kind,
            line_id=self.line_id,
            pieces_checked=self.pieces_checked,
            defects=tuple(DefectCount(d.code, d.qty, d.operation_id) for d in self.defects),
            operation_id=self.operation_id,
            operator_id=self.operator_id,
            bundle_no=self.bundle_no,
            defective_pieces=self.defective_pieces,
            inspected_at=self.inspected_at,
            note=self.note,
        )


class TracedDefectOut(BaseModel):
    """A defect row with the operation and operator it is traced to."""

    code: str
    name: str
    defect_class: str
    qty: int
    operation_id: int | None
    operator_id: int | None
    operator: str


class InspectionOut(BaseModel):
    """An inspection with its defects and the names of what it references."""

    id: int
    kind: str
    inspected_at: datetime
    day: date
    line_id: int
    line: str
    operation_id: int | None
    operation: str
    operator_id: int | None
    operator: str
    operator_source: str
    bundle_id: int | None
    bundle_no: int | None
    order_id: int | None
    order: str
    pieces_checked: int
    defects_total: int
    defective_pieces: int
    dhu: str | None
    inspector: str
    note: str
    defects: list[TracedDefectOut]


class AqlBody(ApiIn):
    """An AQL final inspection: the lot, its level, the AQL of each class, defects by code."""

    order_id: RowId | None = None
    lot_no: str = Field(default="", max_length=200)
    inspected_on: date | None = None
    lot_size: Count
    level: str = Field(max_length=10)
    aql_critical: str = Field(default="0", max_length=20)
    aql_major: str = Field(max_length=20)
    aql_minor: str = Field(max_length=20)
    defects: dict[str, Count] = Field(default_factory=dict, max_length=200)
    production_steady: bool = True
    note: str = Field(default="", max_length=1000)

    def to_input(self) -> AqlIn:
        """Return the service's input."""
        return AqlIn(
            order_id=self.order_id,
            lot_size=self.lot_size,
            level=self.level,
            aql_critical=self.aql_critical,
            aql_major=self.aql_major,
            aql_minor=self.aql_minor,
            defects=tuple(self.defects.items()),
            lot_no=self.lot_no,
            inspected_on=self.inspected_on,
            note=self.note,
            production_steady=self.production_steady,
        )


class AqlOut(BaseModel):
    """An AQL final inspection with its plans, findings, decision and switching states."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    lot_no: str
    customer: str
    inspected_on: date
    lot_size: int
    level: str
    inspection: str
    code_letter: str
    plans: dict[str, Any]
    sample_size: int
    critical_found: int
    major_found: int
    minor_found: int
    defects: dict[str, int]
    decision: str
    state_before: dict[str, Any]
    state_after: dict[str, Any]
    inspector: str
    note: str


class SeriesOut(BaseModel):
    """A customer's series of lots and each class's switching state."""

    id: int
    customer: str
    lots: int
    state: dict[str, Any]


class DhuRowOut(BaseModel):
    """One group's pieces checked, defects and DHU."""

    key: str
    label: str
    pieces: int
    defects: int
    dhu: str | None


class ParetoOut(BaseModel):
    """One defect code in the Pareto."""

    code: str
    name: str
    count: int
    share: str
    cumulative: str


class FiguresOut(BaseModel):
    """DHU per line, day, operator and operation, and the defect Pareto, over a window."""

    first: date
    last: date
    kind: str
    total: DhuRowOut
    by_line: list[DhuRowOut]
    by_day: list[DhuRowOut]
    by_operator: list[DhuRowOut]
    by_operation: list[DhuRowOut]
    pareto: list[ParetoOut]
