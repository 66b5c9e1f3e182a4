"""The ``telemetry`` ingest channel: store machine state and count records idempotently.

Called by the transports (HTTP ``POST /api/v1/ingest/telemetry`` and MQTT
``loom/{org}/telemetry``) inside a transaction they own; it flushes, never commits. Records are
looked up by key (a resent record is a duplicate, not stored again) and their machine codes
against the master-data machine ledger of the scope's organisation only: a code of another
factory is unknown here. As with scans (decision record 0009), no audit event is written per
batch: the table itself is the append-only record of what devices sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.apps.equipment.permissions import TELEMETRY_WRITE
from loom.apps.equipment.service.telemetry_records import ParsedRecord, RecordError, parse_record
from loom.kernel.db.base import utcnow
from loom.kernel.plugins.spec import IngestChannel, IngestResult
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine

CHANNEL = "telemetry"
MAX_RECORDS = 10_000
#: keys looked up per query (SQLite's bound-parameter limit is far above this)
LOOKUP_CHUNK = 900


def _existing_keys(session: Session, org_id: int, keys: list[uuid.UUID]) -> set[uuid.UUID]:
    """Return which of ``keys`` the organisation has stored already."""
    found: set[uuid.UUID] = set()
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        stmt = select(TelemetryRecord.key).where(
            TelemetryRecord.org_id == org_id, TelemetryRecord.key.in_(chunk)
        )
        found.update(session.scalars(stmt))
    return found


def _machines(session: Session, org_id: int, codes: set[str]) -> dict[str, int]:
    """Return the organisation's machine ids by code, for ``codes``."""
    if not codes:
        return {}
    stmt = select(Machine.code, Machine.id).where(
        Machine.org_id == org_id, Machine.code.in_(sorted(codes))
    )
    found: dict[str, int] = {}
    for code, machine_id in session.execute(stmt):
        found[code] = machine_id
    return found


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert rows; a key another worker stored meanwhile is skipped, not an error."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(TelemetryRecord).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(TelemetryRecord).on_conflict_do_nothing()
    else:  # pragma: no cover - Loom runs on SQLite and PostgreSQL only
        stmt = insert(TelemetryRecord)
    session.execute(stmt, rows)


def store_telemetry(session: Session, scope: Scope, records: Sequence[Any]) -> IngestResult:
    """Store a batch of telemetry records for the scope's organisation; flush, never commit."""
    now = utcnow()
    org_id = scope.org_id
    rejected: list[tuple[int, str]] = []
    parsed: list[tuple[int, ParsedRecord]] = []
    for index, item in enumerate(records):
        try:
            parsed.append((index, parse_record(item, now)))
        except RecordError as exc:
            rejected.append((index, str(exc)))
    machines = _machines(session, org_id, {record.machine for _i, record in parsed})
    existing = _existing_keys(session, org_id, [record.key for _i, record in parsed])
    rows: list[dict[str, Any]] = []
    duplicates = 0
    for index, record in parsed:
        machine_id = machines.get(record.machine)
        if machine_id is None:
            rejected.append((index, f"machine: no machine with code {record.machine!r}"))
            continue
        if record.key in existing:
            duplicates += 1
            continue
        existing.add(record.key)  # the same record twice in one batch
        rows.append(
            {
                "org_id": org_id,
                "key": record.key,
                "origin_id": record.origin_id,
                "ts": record.ts,
                "received_at": now,
                "machine_id": machine_id,
                "kind": record.kind,
                "state": record.state,
                "reason": record.reason,
                "good": record.good,
                "reject": record.reject,
            }
        )
    _insert(session, rows)
    session.flush()
    return IngestResult(accepted=len(rows), duplicates=duplicates, rejected=tuple(sorted(rejected)))


def telemetry_channel() -> IngestChannel:
    """Return the channel the equipment app declares."""
    return IngestChannel(
        name=CHANNEL, handler=store_telemetry, permission=TELEMETRY_WRITE, max_records=MAX_RECORDS
    )
