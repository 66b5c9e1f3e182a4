"""API shapes of line balancing."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from loom.apps.balancing.models import BalancingPlan
from loom.apps.balancing.service.edits import Edit
from loom.apps.balancing.service.inputs import PlanIn
from loom.apps.balancing.service.views import PlanView
from loom.kernel.web.inputs import ApiIn

#: a whole number the INTEGER columns hold; larger ones would fail there instead of here
Small = Annotated[int, Field(ge=-2_147_483_648, le=2_147_483_647)]


class PlanBody(ApiIn):
    """A plan to solve: a style, optionally a line, and a target per hour or operators."""

    name: str = Field(max_length=400)
    style_id: Small
    line_id: Small | None = None
    mode: str = Field(default="target", max_length=20)
    target_per_hour: Small | None = None
    operators: Small | None = None

    def to_input(self) -> PlanIn:
        """Return the service's input."""
        return PlanIn(
            name=self.name,
            style_id=self.style_id,
            line_id=self.line_id,
            mode=self.mode,
            target_per_hour=self.target_per_hour,
            operators=self.operators,
        )


class EditBody(ApiIn):
    """One hand edit; stations are numbered from 1 in line order.

    ``move`` (station, task_id, to_station), ``operator`` (station, worker_id or null),
    ``split`` (task_id, parts; 1 undoes a split), ``add_station`` (after; 0 puts it first),
    ``remove_station`` (station).
    """

    op: Literal["move", "operator", "split", "add_station", "remove_station"]
    station: Small | None = None
    task_id: Small | None = None
    to_station: Small | None = None
    worker_id: Small | None = None
    parts: Small | None = None
    after: Small | None = None

    def to_edit(self) -> Edit:
        """Return the service's edit."""
        return Edit(**self.model_dump())


class NameBody(ApiIn):
    """A name to save a plan under."""

    name: str = Field(max_length=400)


class SolverOut(BaseModel):
    """How the solver answered: proved optimal, or the best found with its bound."""

    status: str
    optimal: bool
    lower_bound: int
    seconds: float


class TaskOut(BaseModel):
    """One operation, or a share of one, at a station."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    machine_type: str
    parts: int
    time_e4: int


class ViolationOut(BaseModel):
    """One rule the plan breaks; ``station`` numbered from 1."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    message: str
    station: int | None
    task_code: str


class StationOut(BaseModel):
    """One station: operator, operations, load and idle time (ten-thousandths of a minute)."""

    model_config = ConfigDict(from_attributes=True)

    number: int
    worker_id: int | None
    worker_code: str
    worker_name: str
    machine_type: str | None
    tasks: list[TaskOut]
    load_e4: int
    idle_e4: int
    bottleneck: bool
    violations: list[ViolationOut]


class FiguresOut(BaseModel):
    """What a plan is judged by."""

    operators: int
    total_sam_e4: int
    bottleneck_e4: int
    balance_efficiency: float
    output_per_hour: float


class PlanSummaryOut(BaseModel):
    """A plan in a list."""

    id: int
    name: str
    style_id: int
    line_id: int | None
    mode: str
    target_per_hour: int | None
    operators: int | None
    revision: int
    figures: FiguresOut
    violations: int
    optimal: bool
    published_version: int | None
    created_at: datetime

    @classmethod
    def of(cls, plan: BalancingPlan) -> PlanSummaryOut:
        """Return the list entry of a plan."""
        return cls(
            id=plan.id,
            name=plan.name,
            style_id=plan.style_id,
            line_id=plan.line_id,
            mode=plan.mode,
            target_per_hour=plan.target_per_hour,
            operators=plan.operators,
            revision=plan.revision,
            figures=FiguresOut.model_validate(plan.figures),
            violations=len(plan.figures.get("violations", [])),
            optimal=plan.solver_optimal,
            published_version=plan.published_version,
            created_at=plan.created_at,
        )


class PlanOut(PlanSummaryOut):
    """A plan with its stations, violations and solver answer."""

    cycle_time_e4: int | None
    valid: bool
    solver: SolverOut
    solved_figures: FiguresOut
    stations: list[StationOut]
    violation_list: list[ViolationOut]
    assignment: dict[str, Any]
    created_by: str
    published_at: datetime | None
    published_revision: int | None

    @classmethod
    def of_view(cls, view: PlanView) -> PlanOut:
        """Return the full answer for one plan."""
        plan = view.plan
        head = PlanSummaryOut.of(plan).model_dump()
        return cls(
            **head,
            cycle_time_e4=plan.cycle_time_e4,
            valid=view.valid,
            solver=SolverOut(
                status=plan.solver_status,
                optimal=plan.solver_optimal,
                lower_bound=plan.solver_lower_bound,
                seconds=plan.solver_seconds,
            ),
            solved_figures=FiguresOut.model_validate(plan.solved_figures),
            stations=[StationOut.model_validate(s) for s in view.stations],
            violation_list=[ViolationOut.model_validate(v) for v in view.violations],
            assignment=plan.assignment,
            created_by=plan.created_by,
            published_at=plan.published_at,
            published_revision=plan.published_revision,
        )


class RevisionOut(BaseModel):
    """One saved state of a plan."""

    model_config = ConfigDict(from_attributes=True)

    revision: int
    edit: dict[str, Any]
    figures: FiguresOut
    created_by: str
    created_at: datetime


class CompareOut(BaseModel):
    """Plans side by side."""

    plans: list[PlanOut]
