"""Readings by hand, by file or from devices: checked against their neighbours, then stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.energy.engine.consumption import day_start
from loom.apps.energy.engine.readings import EVENTS, Reading, check_register, periods_overlap
from loom.apps.energy.models import EnergyMeter, EnergyReading
from loom.apps.energy.service.meters import MeterRepository
from loom.apps.energy.service.numbers import Refused, from_e4, refuse, to_e4
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import FieldProblem, text_problems

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
#: device clocks drift and hand entries use the reader's watch: allow a little ahead of now
MAX_AHEAD = timedelta(days=1)


@dataclass(frozen=True)
class ReadingIn:
    """A reading as entered: register meters need ``at``, period meters the two days."""

    at: datetime | None = None
    value: Decimal | None = None
    event: str = ""
    old_final: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    note: str = ""


#: a reading with bad fields (each problem keeps its msgid)
ReadingRefused = Refused


class ReadingRepository(TenantRepository[EnergyReading]):
    """The scope's enterprise's readings."""

    model = EnergyReading


def as_reading(row: EnergyReading) -> Reading:
    """Return a stored reading as the engine's plain data."""
    start = day_start(row.period_start) if row.period_start is not None else None
    return Reading(
        at=row.read_at,
        value_e4=row.value_e4,
        multiplier_e4=row.multiplier_e4,
        event=row.event,
        old_final_e4=row.old_final_e4,
        start=start,
    )


def snapshot(row: EnergyReading) -> dict[str, Any]:
    """Return a reading's fields as the audit trail records them."""
    return {
        "meter_id": row.meter_id,
        "read_at": row.read_at.isoformat(),
        "period_start": row.period_start.isoformat() if row.period_start else None,
        "period_end": row.period_end.isoformat() if row.period_end else None,
        "value": str(from_e4(row.value_e4)),
        "event": row.event,
        "old_final": None if row.old_final_e4 is None else str(from_e4(row.old_final_e4)),
        "source": row.source,
        "record_id": row.record_id,
    }


def _neighbours(
    session: Session, meter: EnergyMeter, at: datetime
) -> tuple[EnergyReading | None, EnergyReading | None, bool]:
    base = select(EnergyReading).where(
        EnergyReading.org_id == meter.org_id, EnergyReading.meter_id == meter.id
    )
    previous = session.scalars(
        base.where(EnergyReading.read_at < at).order_by(EnergyReading.read_at.desc()).limit(1)
    ).first()
    following = session.scalars(
        base.where(EnergyReading.read_at > at).order_by(EnergyReading.read_at).limit(1)
    ).first()
    same = session.scalars(base.where(EnergyReading.read_at == at).limit(1)).first()
    return previous, following, same is not None


def _time_problems(field: str, at: datetime | None, now: datetime) -> list[FieldProblem]:
    if at is None:
        return [FieldProblem(field, "a date and time such as 2026-03-01 08:00 is expected here")]
    if at < EARLIEST:
        return [FieldProblem(field, "too far in the past")]
    if at > now + MAX_AHEAD:
        return [FieldProblem(field, "in the future")]
    return []


def _register_row(
    session: Session, meter: EnergyMeter, data: ReadingIn, now: datetime
) -> EnergyReading:
    found = _time_problems("at", data.at, now)
    if data.event not in EVENTS:
        found.append(FieldProblem("event", "one of %(kinds)s", {"kinds": "rollover, replaced"}))
    value, bad = to_e4("value", data.value)
    found += bad
    old_final, bad = to_e4("old_final", data.old_final, required=data.event == "replaced")
    found += bad
    refuse(found)
    assert data.at is not None
    assert value is not None
    previous, following, taken = _neighbours(session, meter, data.at)
    if taken:
        refuse([FieldProblem("at", "the meter has a reading at this time already")])
    new = Reading(
        at=data.at,
        value_e4=value,
        multiplier_e4=meter.multiplier_e4,
        event=data.event,
        old_final_e4=old_final if data.event == "replaced" else None,
    )
    refusal = check_register(
        new,
        as_reading(previous) if previous is not None else None,
        as_reading(following) if following is not None else None,
        meter.rollover_at_e4,
    )
    if refusal is not None:
        refuse([FieldProblem(refusal.field, refusal.template, refusal.params)])
    return EnergyReading(
        org_id=meter.org_id,
        meter_id=meter.id,
        read_at=data.at,
        value_e4=value,
        event=data.event,
        old_final_e4=new.old_final_e4,
        multiplier_e4=meter.multiplier_e4,
    )


def _period_row(
    session: Session, meter: EnergyMeter, data: ReadingIn, now: datetime
) -> EnergyReading:
    found: list[FieldProblem] = []
    for field, day in (("period_start", data.period_start), ("period_end", data.period_end)):
        if day is None:
            found.append(FieldProblem(field, "a date such as 2026-03-01 is expected here"))
        else:
            found += _time_problems(field, day_start(day), now)
    value, bad = to_e4("value", data.value)
    found += bad
    if data.event:
        found.append(FieldProblem("event", "a period meter has no rollover or replacement"))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        found.append(FieldProblem("period_end", "the period ends before it starts"))
    refuse(found)
    assert data.period_start is not None
    assert data.period_end is not None
    assert value is not None
    stored = session.execute(
        select(EnergyReading.period_start, EnergyReading.period_end).where(
            EnergyReading.org_id == meter.org_id,
            EnergyReading.meter_id == meter.id,
            EnergyReading.period_start <= data.period_end,
            EnergyReading.period_end >= data.period_start,
        )
    ).all()
    clash = periods_overlap(
        data.period_start,
        data.period_end,
        [(s, e) for s, e in stored if s is not None and e is not None],
    )
    if clash is not None:
        params = {"start": clash[0].isoformat(), "end": clash[1].isoformat()}
        refuse(
            [FieldProblem("period_start", "overlaps the stored period %(start)s – %(end)s", params)]
        )
    return EnergyReading(
        org_id=meter.org_id,
        meter_id=meter.id,
        read_at=day_start(data.period_end + timedelta(days=1)),
        period_start=data.period_start,
        period_end=data.period_end,
        value_e4=value,
        multiplier_e4=10_000,
    )


def store(
    session: Session,
    scope: Scope,
    meter: EnergyMeter,
    data: ReadingIn,
    *,
    source: str = "hand",
    record_id: str | None = None,
    now: datetime | None = None,
) -> EnergyReading:
    """Check one reading against the meter's others and add it (no audit: callers record)."""
    refuse(text_problems("note", data.note, 200, required=False))
    moment = now or utcnow()
    if meter.mode == "period":
        row = _period_row(session, meter, data, moment)
    else:
        row = _register_row(session, meter, data, moment)
    row.source = source
    row.record_id = record_id
    row.note = data.note.strip()
    row.created_by = scope.actor.label
    session.add(row)
    session.flush()
    return row


def add(session: Session, scope: Scope, meter_id: int, data: ReadingIn) -> EnergyReading:
    """Record one reading of a meter by hand; a 422 names the field that does not fit."""
    meter = MeterRepository(session, scope).get(meter_id)
    row = store(session, scope, meter, data)
    record_scoped(session, scope, "energy.reading.created", "reading", row.id, after=snapshot(row))
    return row


def delete(session: Session, scope: Scope, reading_id: int) -> EnergyMeter:
    """Delete a reading; a rollover or replacement with later readings must stay."""
    repo = ReadingRepository(session, scope)
    row = repo.get(reading_id)
    meter = MeterRepository(session, scope).get(row.meter_id)
    if row.event:
        _previous, following, _taken = _neighbours(session, meter, row.read_at)
        if following is not None:
            # without it the later readings would read as a drop of the register
            raise ValidationFailed(
                "reading: later readings rely on this rollover or replacement; delete them first",
                field="reading",
            )
    before = snapshot(row)
    repo.delete(row)
    record_scoped(session, scope, "energy.reading.deleted", "reading", reading_id, before=before)
    return meter


def page_of(
    session: Session, scope: Scope, meter_id: int, *, offset: int = 0, limit: int = 50
) -> Page[EnergyReading]:
    """Return one page of a meter's readings, newest first (404 for another's meter)."""
    MeterRepository(session, scope).get(meter_id)
    repo = ReadingRepository(session, scope)
    stmt = (
        repo.select()
        .where(EnergyReading.meter_id == meter_id)
        .order_by(EnergyReading.read_at.desc(), EnergyReading.id.desc())
    )
    return repo.page(stmt, offset=offset, limit=limit)
