"""The telemetry record protocol: one JSON object per state change or count, checked by hand.

``{"id", "ts", "machine", "kind": "state", "state", "reason"}`` or
``{"id", "ts", "machine", "kind": "count", "good", "reject"}`` (docs/equipment-oee.md). As for
scans, a bad record is reported alone, with the field it names, and the rest of the batch goes
on; ids are UUIDv7 (v4 accepted) and stored under the same time-ordered keys.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from loom.apps.equipment.models.telemetry import RECORD_KINDS, STATES
from loom.modules.shopfloor.engine.keys import storage_key

MAX_CODE = 40
MAX_REASON = 40
MAX_COUNT = 1_000_000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
#: a device clock this far ahead of the server is wrong, and its records would sort wrongly
MAX_CLOCK_AHEAD = timedelta(days=1)
#: states whose reason is kept (why a machine is down or stopped as planned)
REASONED = frozenset({"down", "planned_stop"})


class RecordError(ValueError):
    """A record is malformed; the message names the field."""


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """A well-formed telemetry record: its storage key and typed fields."""

    key: uuid.UUID
    origin_id: uuid.UUID | None
    ts: datetime
    machine: str
    kind: str
    state: str | None
    reason: str
    good: int
    reject: int


def _record_id(value: object) -> uuid.UUID:
    if type(value) is not str or len(value) != 36 or value[8:24:5] != "----":
        raise RecordError("id: a UUID string (8-4-4-4-12 hex digits) is required")
    digits = value.replace("-", "")
    if not (digits.isascii() and digits.isalnum()):
        raise RecordError("id: not a UUID")
    try:
        number = int(digits, 16)
    except ValueError:
        raise RecordError("id: not a UUID") from None
    if (number >> 76) & 0xF not in (4, 7) or (number >> 62) & 0x3 != 0x2:
        raise RecordError("id: a UUID of version 7 (or 4 from older devices) is required")
    return uuid.UUID(int=number)


def _timestamp(value: object, now: datetime) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise RecordError("ts: an RFC 3339 timestamp string is required")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError("ts: not an RFC 3339 timestamp") from None
    if ts.tzinfo is None:
        raise RecordError("ts: the time zone offset is missing")
    ts = ts.astimezone(UTC)
    if ts < EARLIEST or ts > now + MAX_CLOCK_AHEAD:
        raise RecordError("ts: outside 2000-01-01 .. one day ahead of the server clock")
    return ts


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{name}: a non-empty string is required")
    if len(value.strip()) > limit:
        raise RecordError(f"{name}: at most {limit} characters")
    return value.strip()


def _count(item: dict[str, object], name: str) -> int:
    value = item.get(name, 0)
    # bool is an int in Python; a device sending true means a bug, not 1
    if type(value) is not int:
        raise RecordError(f"{name}: an integer is required")
    if not 0 <= value <= MAX_COUNT:
        raise RecordError(f"{name}: must be between 0 and {MAX_COUNT}")
    return value


def parse_record(item: object, now: datetime) -> ParsedRecord:
    """Return the typed record, or raise RecordError naming the first bad field."""
    if not isinstance(item, dict):
        raise RecordError("record: a JSON object is required")
    record_id = _record_id(item.get("id"))
    ts = _timestamp(item.get("ts"), now)
    machine = _text(item.get("machine"), "machine", MAX_CODE)
    kind = item.get("kind")
    if kind not in RECORD_KINDS:
        raise RecordError("kind: must be state or count")
    key = storage_key(record_id, ts)
    origin = None if key is record_id else record_id
    if kind == "state":
        state = item.get("state")
        if state not in STATES:
            raise RecordError("state: must be running, idle, down or planned_stop")
        reason = ""
        raw_reason = item.get("reason")
        if raw_reason is not None and state in REASONED:
            reason = _text(raw_reason, "reason", MAX_REASON)
        for name in ("good", "reject"):
            if item.get(name, 0) != 0:
                raise RecordError(f"{name}: only count records carry counts")
        return ParsedRecord(key, origin, ts, machine, "state", str(state), reason, 0, 0)
    good, reject = _count(item, "good"), _count(item, "reject")
    if "state" in item:
        raise RecordError("state: only state records carry a state")
    if good + reject == 0:
        raise RecordError("good: a count record needs good or reject pieces")
    return ParsedRecord(key, origin, ts, machine, "count", None, "", good, reject)
