"""API shapes of lines, workstations, operators with their skills, and machines."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn
from loom.modules.masterdata.schemas import RowId
from loom.modules.masterdata.service.lines import ProductionLineIn
from loom.modules.masterdata.service.machines import MachineIn
from loom.modules.masterdata.service.operators import OperatorIn, SkillIn
from loom.modules.masterdata.service.workstations import WorkstationIn

# Text limits here are twice the column's: the service names the field with the exact limit.


class LineBody(ApiIn):
    """A production line as created or replaced; ``shift_minutes`` planned per day."""

    code: str = Field(max_length=100)
    name: str = Field(max_length=400)
    kind: str = Field(default="sewing", max_length=40)
    shift_minutes: int = 480
    active: bool = True

    def to_input(self) -> ProductionLineIn:
        """Return the service's input."""
        return ProductionLineIn(
            code=self.code,
            name=self.name,
            kind=self.kind,
            shift_minutes=self.shift_minutes,
            active=self.active,
        )


class LineOut(BaseModel):
    """A production line of the caller's enterprise."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    kind: str
    shift_minutes: int
    active: bool
    created_at: datetime
    updated_at: datetime


class WorkstationBody(ApiIn):
    """A workstation as created or replaced; a blank ``device_code`` means no scanner."""

    code: str = Field(max_length=100)
    seq: int = 1
    machine_type: str = Field(default="lockstitch", max_length=40)
    device_code: str = Field(default="", max_length=128)

    def to_input(self) -> WorkstationIn:
        """Return the service's input."""
        return WorkstationIn(
            code=self.code,
            seq=self.seq,
            machine_type=self.machine_type,
            device_code=self.device_code,
        )


class WorkstationOut(BaseModel):
    """A workstation of a line; ``device_code`` is null when no scanner is installed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    line_id: int
    code: str
    seq: int
    machine_type: str
    device_code: str | None


class OperatorBody(ApiIn):
    """An operator as created or replaced; ``code`` is the badge number."""

    code: str = Field(max_length=100)
    name: str = Field(max_length=400)
    line_id: RowId | None = None
    hired_on: date | None = None
    active: bool = True

    def to_input(self) -> OperatorIn:
        """Return the service's input."""
        return OperatorIn(
            code=self.code,
            name=self.name,
            line_id=self.line_id,
            hired_on=self.hired_on,
            active=self.active,
        )


class OperatorOut(BaseModel):
    """An operator of the caller's enterprise."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    line_id: int | None
    hired_on: date | None
    active: bool
    created_at: datetime
    updated_at: datetime


class SkillBody(ApiIn):
    """One cell of the skills matrix: grade 1–5, efficiency in % of SAM speed (100 = at SAM)."""

    model_config = ConfigDict(from_attributes=True)

    machine_type: str = Field(max_length=40)
    grade: int
    efficiency: int = 100


class SkillsBody(ApiIn):
    """An operator's whole skills list; it replaces the previous one."""

    skills: list[SkillBody] = Field(max_length=100)

    def to_input(self) -> list[SkillIn]:
        """Return the service's input."""
        return [SkillIn(s.machine_type, s.grade, s.efficiency) for s in self.skills]


class SkillsOut(BaseModel):
    """An operator's skills by machine type."""

    operator_id: int
    skills: list[SkillBody]


class MachineTypeOut(BaseModel):
    """A machine type: a column of the skills matrix."""

    code: str
    name: str


class MatrixRowOut(BaseModel):
    """One operator's row: their skill per machine type they have (absent = none)."""

    operator_id: int
    code: str
    name: str
    line_id: int | None
    active: bool
    skills: dict[str, SkillBody]


class MatrixOut(BaseModel):
    """One page of the skills matrix: operators × machine types."""

    machine_types: list[MachineTypeOut]
    rows: list[MatrixRowOut]
    total: int
    offset: int
    limit: int
    next_offset: int | None


class MachineBody(ApiIn):
    """A machine as created or replaced; ``code`` is the asset number."""

    code: str = Field(max_length=100)
    machine_type: str = Field(max_length=40)
    brand: str = Field(default="", max_length=200)
    model: str = Field(default="", max_length=200)
    serial: str = Field(default="", max_length=200)
    line_id: RowId | None = None
    workstation_id: RowId | None = None
    purchased_on: date | None = None
    active: bool = True

    def to_input(self) -> MachineIn:
        """Return the service's input."""
        return MachineIn(
            code=self.code,
            machine_type=self.machine_type,
            brand=self.brand,
            model=self.model,
            serial=self.serial,
            line_id=self.line_id,
            workstation_id=self.workstation_id,
            purchased_on=self.purchased_on,
            active=self.active,
        )


class MachineOut(BaseModel):
    """A machine of the caller's ledger."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    machine_type: str
    brand: str
    model: str
    serial: str
    line_id: int | None
    workstation_id: int | None
    purchased_on: date | None
    active: bool
    created_at: datetime
    updated_at: datetime
