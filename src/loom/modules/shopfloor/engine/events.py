"""The scan-event protocol: one JSON object per scan, checked field by field without the database.

An event is ``{id, ts, device, operator, bundle, operation, qty, kind, sig}`` (docs/shopfloor.md).
The checks are hand-written rather than a Pydantic model: ingest parses tens of thousands of
events per second and each bad one must be reported alone with the field it names, while the
good ones of the batch go on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from loom.modules.shopfloor.engine.keys import storage_key
from loom.modules.shopfloor.engine.tickets import SIG_LENGTH

#: the factories' clock: local days and months of pay statements are Beijing time
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
KINDS = frozenset({"done", "rework", "defect"})
MAX_ID = 2_147_483_647
MAX_QTY = 100_000
#: a device clock this far ahead of the server is wrong, and its events would sort wrongly
MAX_CLOCK_AHEAD = timedelta(days=1)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class ParsedEvent:
    """A well-formed event: its storage key and typed fields."""

    key: uuid.UUID
    origin_id: uuid.UUID | None
    ts: datetime
    device: str
    operator: str
    bundle: int
    operation: int
    qty: int
    kind: str
    sig: str


class EventError(ValueError):
    """An event is malformed; the message names the field."""


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EventError(f"{name}: a non-empty string is required")
    if len(value) > limit:
        raise EventError(f"{name}: at most {limit} characters")
    return value.strip()


def _integer(value: object, name: str, high: int) -> int:
    # bool is an int in Python; a device sending true means a bug, not 1
    if type(value) is not int:
        raise EventError(f"{name}: an integer is required")
    if not 1 <= value <= high:
        raise EventError(f"{name}: must be between 1 and {high}")
    return value


def _timestamp(value: object, now: datetime) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise EventError("ts: an RFC 3339 timestamp string is required")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        raise EventError("ts: not an RFC 3339 timestamp") from None
    if ts.tzinfo is None:
        raise EventError("ts: the time zone offset is missing")
    ts = ts.astimezone(UTC)
    if ts < EARLIEST or ts > now + MAX_CLOCK_AHEAD:
        raise EventError("ts: outside 2000-01-01 .. one day ahead of the server clock")
    return ts


def _event_id(value: object) -> uuid.UUID:
    # uuid.UUID(str) accepts braces, urn: prefixes and missing dashes; the protocol wants the
    # canonical form only, and checking it by hand is also three times faster
    if type(value) is not str or len(value) != 36 or value[8:24:5] != "----":
        raise EventError("id: a UUID string (8-4-4-4-12 hex digits) is required")
    digits = value.replace("-", "")
    # int() would also take "+", "_", spaces and non-ASCII digits
    if not (digits.isascii() and digits.isalnum()):
        raise EventError("id: not a UUID")
    try:
        number = int(digits, 16)
    except ValueError:
        raise EventError("id: not a UUID") from None
    if (number >> 76) & 0xF not in (4, 7) or (number >> 62) & 0x3 != 0x2:
        raise EventError("id: a UUID of version 7 (or 4 from older devices) is required")
    return uuid.UUID(int=number)


def parse_event(item: object, now: datetime) -> ParsedEvent:
    """Return the typed event, or raise EventError naming the first bad field."""
    if type(item) is not dict:
        raise EventError("event: a JSON object is required")
    get = item.get
    event_id = _event_id(get("id"))
    ts = _timestamp(get("ts"), now)
    kind = get("kind")
    if kind not in KINDS:
        raise EventError("kind: one of done, rework, defect")
    sig = get("sig")
    if type(sig) is not str or len(sig) != SIG_LENGTH:
        raise EventError(f"sig: the coupon signature ({SIG_LENGTH} characters) is required")
    key = storage_key(event_id, ts)
    return ParsedEvent(
        key,
        None if key is event_id else event_id,
        ts,
        _text(get("device"), "device", 64),
        _text(get("operator"), "operator", 40),
        _integer(get("bundle"), "bundle", MAX_ID),
        _integer(get("operation"), "operation", MAX_ID),
        _integer(get("qty"), "qty", MAX_QTY),
        kind,
        sig.upper(),
    )


def hour_of(ts: datetime) -> datetime:
    """Return the UTC hour an event counts in (Beijing has whole-hour offsets, so it aligns)."""
    return ts.replace(minute=0, second=0, microsecond=0)


def local_day(ts: datetime) -> date:
    """Return the factory's calendar day of an event."""
    return ts.astimezone(LOCAL_TZ).date()


def event_dict(
    ticket_key: bytes,
    org_id: int,
    *,
    bundle: int,
    operation: int,
    operator: str,
    ts: datetime,
    qty: int,
    kind: str = "done",
    device: str = "scanner-1",
    event_id: uuid.UUID | None = None,
) -> dict[str, object]:
    """Return an event as a device sends it, signed like the coupon it scanned."""
    from loom.modules.shopfloor.engine import keys, tickets

    return {
        "id": str(event_id or keys.uuid7(ts)),
        "ts": ts.isoformat(),
        "device": device,
        "operator": operator,
        "bundle": bundle,
        "operation": operation,
        "qty": qty,
        "kind": kind,
        "sig": tickets.sign(ticket_key, org_id, bundle, operation),
    }
