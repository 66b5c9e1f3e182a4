"""OEE settings: the factory's shift start and breaks (app settings), machines' ideal cycles.

The shift of a line starts at ``shift_start`` (Beijing time), holds the line's master-data
``shift_minutes`` of work and is stretched by each of ``breaks`` it meets (planned stops).
A machine's ideal cycle time (seconds per counted piece) is kept per machine in
``equipment_machine_setting``; changing it is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import Session

from loom.apps.equipment.engine.shifts import ShiftPlan
from loom.apps.equipment.models.telemetry import MachineTelemetrySetting
from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.plugins.enablement import stored_settings
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine

SLUG = "equipment"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_IDEAL_CYCLE = Decimal("86400")


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


class EquipmentSettings(BaseModel):
    """Per-factory settings of the equipment app (``/settings/apps``)."""

    shift_start: str = Field("08:00", description="local start of the day shift, HH:MM")
    breaks: list[str] = Field(
        default_factory=lambda: ["12:00-13:00"],
        description="planned stops of every shift, HH:MM-HH:MM in local time",
    )
    max_silence_minutes: int = Field(
        30, ge=1, le=24 * 60, description="minutes a state is trusted without any record"
    )

    @field_validator("shift_start")
    @classmethod
    def _start(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError("use HH:MM")
        return value

    @field_validator("breaks")
    @classmethod
    def _breaks(cls, value: list[str]) -> list[str]:
        for item in value:
            start, _, end = item.partition("-")
            if not (_CLOCK.match(start) and _CLOCK.match(end)) or start == end:
                raise ValueError(f"{item!r}: use HH:MM-HH:MM")
        return value

    def plan(self, minutes: int) -> ShiftPlan:
        """Return the shift of a line working ``minutes`` a day."""
        pauses = tuple(
            (_clock(item.split("-")[0]), _clock(item.split("-")[1])) for item in self.breaks
        )
        return ShiftPlan(_clock(self.shift_start), minutes, pauses)

    @property
    def max_silence(self) -> timedelta:
        """Return how long a state is trusted without a record."""
        return timedelta(minutes=self.max_silence_minutes)


def equipment_settings(session: Session, org_id: int) -> EquipmentSettings:
    """Return the organisation's equipment settings (defaults when unset)."""
    return EquipmentSettings.model_validate(stored_settings(session, org_id, SLUG))


@dataclass(frozen=True)
class MachineSetting:
    """A machine of the ledger and its ideal cycle time, if set."""

    machine_id: int
    code: str
    machine_type: str
    line_id: int | None
    ideal_cycle_s: float | None  # seconds per piece, as stored (3 decimals)


def machine_settings(session: Session, scope: Scope) -> list[MachineSetting]:
    """Return every active machine of the organisation with its ideal cycle time."""
    stmt = (
        select(Machine, MachineTelemetrySetting.ideal_cycle_s)
        .outerjoin(
            MachineTelemetrySetting,
            (MachineTelemetrySetting.machine_id == Machine.id)
            & (MachineTelemetrySetting.org_id == Machine.org_id),
        )
        .where(Machine.org_id == scope.org_id, Machine.active.is_(True))
        .order_by(Machine.code)
    )
    return [
        MachineSetting(
            m.id, m.code, m.machine_type, m.line_id, None if ideal is None else float(ideal)
        )
        for m, ideal in session.execute(stmt)
    ]


#: built once (the OEE page reads it on every view)
_IDEAL_CYCLES = select(
    MachineTelemetrySetting.machine_id, MachineTelemetrySetting.ideal_cycle_s
).where(MachineTelemetrySetting.org_id == bindparam("org", type_=Integer))


def ideal_cycles(session: Session, scope: Scope) -> dict[int, float]:
    """Return ideal cycle seconds by machine id, for machines that have one."""
    rows = session.execute(_IDEAL_CYCLES, {"org": scope.org_id}).all()
    return {machine_id: float(seconds) for machine_id, seconds in rows}


def parse_ideal_cycle(value: object) -> Decimal:
    """Return a positive number of seconds with at most 3 decimals; raise ValidationFailed."""
    try:
        seconds = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            "ideal_cycle_s: a number of seconds is required", field="ideal_cycle_s"
        ) from None
    if not seconds.is_finite() or seconds <= 0 or seconds > MAX_IDEAL_CYCLE:
        raise ValidationFailed(
            "ideal_cycle_s: must be above 0 and at most 86400 seconds", field="ideal_cycle_s"
        )
    stored = seconds.quantize(Decimal("0.001"))
    if seconds != stored:
        raise ValidationFailed("ideal_cycle_s: at most 3 decimals", field="ideal_cycle_s")
    return stored


def set_ideal_cycle(
    session: Session, scope: Scope, machine_id: int, value: object
) -> MachineSetting:
    """Set a machine's ideal cycle time (seconds per piece); audited; 404 for another's machine."""
    machine = session.scalar(
        select(Machine).where(Machine.id == machine_id, Machine.org_id == scope.org_id)
    )
    if machine is None:
        raise NotFound("machine not found")
    seconds = parse_ideal_cycle(value)
    row = session.scalar(
        select(MachineTelemetrySetting).where(
            MachineTelemetrySetting.org_id == scope.org_id,
            MachineTelemetrySetting.machine_id == machine_id,
        )
    )
    before = None if row is None else {"ideal_cycle_s": str(row.ideal_cycle_s)}
    if row is None:
        row = MachineTelemetrySetting(
            org_id=scope.org_id, machine_id=machine_id, ideal_cycle_s=seconds
        )
        session.add(row)
    else:
        row.ideal_cycle_s = seconds
    session.flush()
    record_scoped(
        session,
        scope,
        "equipment.machine.ideal_cycle_set",
        "machine",
        machine_id,
        before=before,
        after={"code": machine.code, "ideal_cycle_s": str(seconds)},
    )
    return MachineSetting(
        machine.id, machine.code, machine.machine_type, machine.line_id, float(seconds)
    )
