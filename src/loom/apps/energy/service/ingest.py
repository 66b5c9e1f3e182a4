"""The ``meters`` ingest channel: register readings sent by metering devices.

A record is ``{"id": "...", "meter": "<meter code>", "ts": "<ISO 8601 with offset>",
"value": <register figure>}``. Records are stored once by their id: a resent batch counts
as duplicates. A figure lower than the previous one is a rollover when the meter's register
maximum is known (a device cannot say so itself), otherwise it is rejected naming the field;
a replaced meter is recorded by hand first, then the device goes on from the new figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.energy.engine.readings import DROPPED
from loom.apps.energy.models import EnergyReading
from loom.apps.energy.service.meters import all_meters
from loom.apps.energy.service.numbers import parse_decimal
from loom.apps.energy.service.readings import ReadingIn, ReadingRefused, store
from loom.kernel.audit.service import record_scoped
from loom.kernel.plugins.spec import IngestResult
from loom.kernel.tenancy.scope import Scope

CHANNEL = "meters"
MAX_RECORDS = 5_000


def _timestamp(raw: object) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        ts = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    # a time without its offset would be read in the server's zone: refuse to guess
    return ts if ts.tzinfo is not None else None


def _record_id(raw: object) -> str | None:
    if isinstance(raw, str) and 0 < len(raw.strip()) <= 64:
        return raw.strip()
    return None


def _stored_ids(session: Session, scope: Scope, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    stmt = select(EnergyReading.record_id).where(
        EnergyReading.org_id == scope.org_id, EnergyReading.record_id.in_(ids)
    )
    return {rid for rid in session.scalars(stmt) if rid is not None}


def _first(exc: ReadingRefused) -> str:
    return exc.problems[0].message if exc.problems else exc.message


def handle_meter_records(session: Session, scope: Scope, records: Sequence[Any]) -> IngestResult:
    """Store one batch of device readings for the scope's enterprise; flush, never commit."""
    meters = {m.code: m for m in all_meters(session, scope)}
    wanted = {rid for r in records if isinstance(r, dict) and (rid := _record_id(r.get("id")))}
    seen = _stored_ids(session, scope, wanted)
    accepted, duplicates = 0, 0
    rejected: list[tuple[int, str]] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            rejected.append((index, "record: an object is expected"))
            continue
        rid = _record_id(record.get("id"))
        if rid is None:
            rejected.append((index, "id: a record id of 1 to 64 characters is expected"))
            continue
        if rid in seen:
            duplicates += 1
            continue
        meter = meters.get(str(record.get("meter", "")).strip())
        if meter is None:
            rejected.append((index, "meter: no such meter"))
            continue
        if meter.mode != "register" or not meter.active:
            rejected.append((index, "meter: the meter takes no device readings"))
            continue
        ts = _timestamp(record.get("ts"))
        if ts is None:
            rejected.append((index, "ts: an ISO 8601 time with its offset is expected"))
            continue
        data = ReadingIn(at=ts, value=parse_decimal(record.get("value")))
        try:
            try:
                store(session, scope, meter, data, source="device", record_id=rid)
            except ReadingRefused as exc:
                dropped = any(p.template == DROPPED for p in exc.problems)
                if not (dropped and meter.rollover_at_e4 is not None):
                    raise
                rolled = ReadingIn(at=ts, value=data.value, event="rollover")
                store(session, scope, meter, rolled, source="device", record_id=rid)
        except ReadingRefused as exc:
            rejected.append((index, _first(exc)))
            continue
        seen.add(rid)
        accepted += 1
    if accepted:
        record_scoped(
            session,
            scope,
            "energy.reading.ingested",
            "channel",
            CHANNEL,
            after={"accepted": accepted, "duplicates": duplicates, "rejected": len(rejected)},
        )
    return IngestResult(accepted=accepted, duplicates=duplicates, rejected=tuple(rejected))
