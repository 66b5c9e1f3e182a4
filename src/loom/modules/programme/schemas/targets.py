"""API shapes of the targets dashboard; ``loom programme kpi --json`` prints the same."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from pydantic import BaseModel, Field

from loom.modules.programme.service.targets import Figure, KpiReport, percent, shown


def _exact(value: Fraction | None) -> str | None:
    # "3", or "2/5" for a share: exact, unlike a float
    return None if value is None else str(value)


class TargetOut(BaseModel):
    """One target of the plan on the as-of day, with the ids behind its value."""

    id: str
    title: str
    metric: str
    metric_title: str
    unit: str = Field(description="count or percent")
    comparator: str
    value: str = Field(description="the plan's value: a count, or a percentage (90)")
    sector: str | None
    batch: str | None
    deadline: date
    status: str = Field(description="met, on_track, at_risk, missed or no_data")
    actual: str | None = Field(description="exact value on the as-of day; a share is a fraction")
    shown: str = Field(description="the value for people: a count, or a percent, 1 decimal")
    percent: str | None = Field(description="a share as a percentage with 1 decimal")
    count: int = Field(description="how many rows count (a share's numerator)")
    population: int | None = Field(description="a share's denominator; null for a count")
    judged_on: date = Field(description="the day whose value the status is judged on")
    actual_at_deadline: str | None = Field(description="the value on a passed deadline")
    shown_at_deadline: str | None
    required: str = Field(description="the value to reach, exact (a share for percents)")
    expected_now: str = Field(description="the pro-rata value for the as-of day, exact")
    shown_expected: str
    elapsed: str = Field(description="share of the time from programme start to deadline")
    days_left: int
    current_only: bool = Field(description="the registry keeps no history: today's value")
    kind: str = Field(description="project, enterprise or product: what the ids are")
    ids: list[int] = Field(description="the rows counted on the as-of day")
    late_ids: list[int] = Field(description="counted on the as-of day, not by the deadline")
    population_ids: list[int] | None = Field(description="a share's population")

    @classmethod
    def of(cls, figure: Figure) -> TargetOut:
        """Return the API view of one figure."""
        target, status, basis = figure.target, figure.status, figure.basis
        share = basis.population is not None
        return cls(
            id=target.id,
            title=target.title,
            metric=target.metric,
            metric_title=figure.metric.title if figure.metric else "",
            unit=target.unit,
            comparator=target.comparator,
            value=str(target.value),
            sector=target.sector,
            batch=target.batch,
            deadline=target.deadline,
            status=str(status.state),
            actual=_exact(figure.actual),
            shown=shown(figure.actual, target.unit),
            percent=percent(figure.actual) if share else None,
            count=len(figure.counted),
            population=len(basis.population) if basis.population is not None else None,
            judged_on=min(figure.on, target.deadline),
            actual_at_deadline=_exact(figure.actual_at_deadline),
            shown_at_deadline=(
                shown(figure.actual_at_deadline, target.unit) if figure.deadline_passed else None
            ),
            required=str(status.required),
            expected_now=str(status.expected_now),
            shown_expected=shown(status.expected_now, target.unit),
            elapsed=str(status.elapsed),
            days_left=status.days_left,
            current_only=figure.current_only,
            kind=basis.kind,
            ids=list(figure.counted),
            late_ids=list(figure.late),
            population_ids=list(basis.population) if basis.population is not None else None,
        )


class PilotCellOut(BaseModel):
    """Accepted pilots of one batch and sector against the batch's places for it."""

    batch: str
    sector: str
    accepted: int
    quota: int


class KpiOut(BaseModel):
    """Every target of the bureau's active plan on one day."""

    plan: str
    plan_title: str
    programme_start: date
    on: date
    states: dict[str, int] = Field(description="how many targets are in each status")
    targets: list[TargetOut]
    pilots: list[PilotCellOut] = Field(description="accepted pilots by batch and sector")

    @classmethod
    def of(cls, report: KpiReport) -> KpiOut:
        """Return the API view of a report."""
        return cls(
            plan=report.plan.id,
            plan_title=report.plan.title,
            programme_start=report.plan.programme_start,
            on=report.on,
            states=report.states(),
            targets=[TargetOut.of(f) for f in report.figures],
            pilots=[
                PilotCellOut(batch=c.batch, sector=c.sector, accepted=c.accepted, quota=c.quota)
                for c in report.pilots
            ],
        )
