"""Pydantic shapes of the energy API: what callers send and what they get back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from loom.apps.energy.engine.consumption import Change, DayFigures, PeriodIntensity
from loom.apps.energy.models import EnergyMeter, EnergyReading, EnergyRevenue
from loom.apps.energy.service.meters import MeterIn
from loom.apps.energy.service.numbers import from_e4
from loom.apps.energy.service.readings import ReadingIn
from loom.apps.energy.service.revenue import RevenueIn
from loom.kernel.web.inputs import ApiIn

Number = Decimal | None


class MeterBody(ApiIn):
    """A meter to add or replace."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=400)
    name: str = Field(max_length=1000)
    kind: str = Field(max_length=40)
    attached_to: str = Field("factory", max_length=20)
    line_id: int | None = Field(None, ge=1, le=2_147_483_647)
    machine_id: int | None = Field(None, ge=1, le=2_147_483_647)
    main: bool = True
    mode: str = Field("register", max_length=20)
    multiplier: Decimal = Decimal(1)
    rollover_at: Decimal | None = None
    active: bool = True
    note: str = Field("", max_length=1000)

    def to_input(self) -> MeterIn:
        """Return the service's input."""
        return MeterIn(**self.model_dump())


class MeterOut(BaseModel):
    """A meter as the API shows it."""

    id: int
    code: str
    name: str
    kind: str
    unit: str
    attached_to: str
    line_id: int | None
    machine_id: int | None
    main: bool
    mode: str
    multiplier: Decimal
    rollover_at: Decimal | None
    active: bool
    note: str

    @classmethod
    def of(cls, meter: EnergyMeter) -> MeterOut:
        """Return the API shape of a meter."""
        from loom.apps.energy.engine.coefficients import KINDS

        return cls(
            id=meter.id,
            code=meter.code,
            name=meter.name,
            kind=meter.kind,
            unit=KINDS[meter.kind].unit,
            attached_to=meter.attached_to,
            line_id=meter.line_id,
            machine_id=meter.machine_id,
            main=meter.main,
            mode=meter.mode,
            multiplier=from_e4(meter.multiplier_e4) or Decimal(1),
            rollover_at=from_e4(meter.rollover_at_e4),
            active=meter.active,
            note=meter.note,
        )


class ReadingBody(ApiIn):
    """A reading by hand: ``at`` and ``value`` for register meters, the days for period ones."""

    model_config = ConfigDict(extra="forbid")

    at: datetime | None = None
    value: Decimal | None = None
    event: Literal["", "rollover", "replaced"] = ""
    old_final: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    note: str = Field("", max_length=1000)

    def to_input(self) -> ReadingIn:
        """Return the service's input (a time without offset is read in China time)."""
        from loom.apps.energy.service.times import parse_local_time

        return ReadingIn(
            at=parse_local_time(self.at) if self.at is not None else None,
            value=self.value,
            event=self.event,
            old_final=self.old_final,
            period_start=self.period_start,
            period_end=self.period_end,
            note=self.note,
        )


class ReadingOut(BaseModel):
    """A stored reading."""

    id: int
    meter_id: int
    at: datetime
    period_start: date | None
    period_end: date | None
    value: Decimal
    event: str
    old_final: Decimal | None
    multiplier: Decimal
    source: str
    record_id: str | None
    note: str
    created_by: str

    @classmethod
    def of(cls, row: EnergyReading) -> ReadingOut:
        """Return the API shape of a reading."""
        return cls(
            id=row.id,
            meter_id=row.meter_id,
            at=row.read_at,
            period_start=row.period_start,
            period_end=row.period_end,
            value=from_e4(row.value_e4) or Decimal(0),
            event=row.event,
            old_final=from_e4(row.old_final_e4),
            multiplier=from_e4(row.multiplier_e4) or Decimal(1),
            source=row.source,
            record_id=row.record_id,
            note=row.note,
            created_by=row.created_by,
        )


class UploadProblemOut(BaseModel):
    """One refused row of an uploaded file."""

    row: int
    field: str
    message: str


class UploadOut(BaseModel):
    """What an uploaded file gave."""

    accepted: int
    rejected: list[UploadProblemOut]


class RevenueBody(ApiIn):
    """One month's revenue in CNY."""

    model_config = ConfigDict(extra="forbid")

    month: date
    amount: Decimal
    note: str = Field("", max_length=1000)

    def to_input(self) -> RevenueIn:
        """Return the service's input (any day of the month names the month)."""
        return RevenueIn(self.month.replace(day=1), self.amount, self.note)


class RevenueOut(BaseModel):
    """A month's revenue."""

    id: int
    month: str
    amount: Decimal
    note: str

    @classmethod
    def of(cls, row: EnergyRevenue) -> RevenueOut:
        """Return the API shape of a month's revenue."""
        return cls(
            id=row.id,
            month=row.month.isoformat()[:7],
            amount=from_e4(row.amount_e4) or Decimal(0),
            note=row.note,
        )


class DayOut(BaseModel):
    """One day's consumption."""

    day: date
    amounts: dict[str, Decimal]
    kgce: Decimal
    pieces: int
    kgce_per_piece: Decimal | None
    kwh_per_piece: Decimal | None

    @classmethod
    def of(cls, day: DayFigures) -> DayOut:
        """Return the API shape of a day (figures rounded to 4 places)."""
        return cls(
            day=day.day,
            amounts={k: round(v, 4) for k, v in day.amounts.items()},
            kgce=round(day.kgce, 4),
            pieces=day.pieces,
            kgce_per_piece=_r(day.kgce_per_piece),
            kwh_per_piece=_r(day.per_piece("electricity")),
        )


def _r(value: Decimal | None, places: int = 4) -> Decimal | None:
    return None if value is None else round(value, places)


class ConsumptionOut(BaseModel):
    """Consumption of a span of days for the factory or one line."""

    first: date
    last: date
    line_id: int | None
    days: list[DayOut]
    total_kgce: Decimal
    total_tce: Decimal
    pieces: int
    kgce_per_piece: Decimal | None
    skipped_intervals: int
    coefficients: dict[str, Decimal]


class PeriodOut(BaseModel):
    """One period of R1."""

    first_month: str
    last_month: str
    tce: Decimal
    revenue: Decimal
    kgce_per_100_cny: Decimal | None
    missing_revenue: list[str]
    days_with_data: int
    days: int

    @classmethod
    def of(cls, period: PeriodIntensity) -> PeriodOut:
        """Return the API shape of a period."""
        return cls(
            first_month=period.first_month.isoformat()[:7],
            last_month=period.last_month.isoformat()[:7],
            tce=round(period.tce, 4),
            revenue=round(period.revenue, 2),
            kgce_per_100_cny=_r(period.kgce_per_100_cny, 6),
            missing_revenue=[m.isoformat()[:7] for m in period.missing_revenue],
            days_with_data=period.days_with_data,
            days=period.days,
        )


class ChangeOut(BaseModel):
    """R1: energy per 100 CNY of revenue before and after, and the option it reads as."""

    before: PeriodOut
    after: PeriodOut
    change: Decimal | None
    option: str | None

    @classmethod
    def of(cls, change: Change) -> ChangeOut:
        """Return the API shape of R1's comparison."""
        return cls(
            before=PeriodOut.of(change.before),
            after=PeriodOut.of(change.after),
            change=_r(change.ratio, 6),
            option=change.option,
        )
