"""The scan-event protocol: one JSON object per scan, checked field by field without the database.

An event is ``{id, ts, device, operator, bundle, operation, qty, kind, sig}`` (docs/shopfloor.md).
The checks are hand-written rather than a Pydantic model: ingest parses tens of thousands of
events per second and each bad one must be reported alone with the field it names, while the
good ones of the batch go on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from loom.modules.shopfloor.engine.keys import derived_number, uuid_of
from loom.modules.shopfloor.engine.tickets import SIG_LENGTH

#: the factories' clock: local days and months of pay statements are Beijing time
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
KINDS = frozenset({"done", "rework", "defect"})
MAX_ID = 2_147_483_647
MAX_QTY = 100_000
#: a device clock this far ahead of the server is wrong, and its events would sort wrongly
MAX_CLOCK_AHEAD = timedelta(days=1)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_fromisoformat = datetime.fromisoformat


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
    if not isinstance(value, str) or not (stripped := value.strip()):
        raise EventError(f"{name}: a non-empty string is required")
    if len(value) > limit:
        raise EventError(f"{name}: at most {limit} characters")
    return stripped


def _integer_error(value: object, name: str, high: int) -> EventError:
    # bool is an int in Python; a device sending true means a bug, not 1
    if type(value) is not int:
        return EventError(f"{name}: an integer is required")
    return EventError(f"{name}: must be between 1 and {high}")


def id_number(value: object) -> int:
    """Return a canonical v7 (or v4) UUID string as its number, or raise naming ``id``."""
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
    return number


def _timestamp_error(value: object) -> EventError:
    if not isinstance(value, str) or len(value) > 40:
        return EventError("ts: an RFC 3339 timestamp string is required")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        return EventError("ts: not an RFC 3339 timestamp")
    if ts.tzinfo is None:
        return EventError("ts: the time zone offset is missing")
    return EventError("ts: outside 2000-01-01 .. one day ahead of the server clock")


def instant(value: object, latest: datetime) -> datetime:
    """Return a ``ts`` value as an aware UTC time no later than ``latest``, or raise naming it."""
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        ts = _fromisoformat(value)
        if ts.tzinfo is None:
            raise ValueError
        ts = ts.astimezone(UTC)
        if ts < EARLIEST or ts > latest:
            raise ValueError
    except (ValueError, OverflowError):
        # OverflowError: an offset that moves year 1 or 9999 out of range in UTC
        raise _timestamp_error(value) from None
    return ts


def keys_of(number: int, ts: datetime) -> tuple[uuid.UUID, uuid.UUID | None]:
    """Return (storage key, original id or None) of a checked id ``number`` scanned at ``ts``."""
    if (number >> 76) & 0xF == 7:
        return uuid_of(number), None
    return uuid_of(derived_number(number, int(ts.timestamp() * 1000))), uuid_of(number)


def parser(now: datetime) -> Callable[[object], ParsedEvent]:
    """Return ``parse_event`` for one batch received at ``now``, for parsing thousands of events.

    The checks are written out in one function, each field's common case first: ingest parses
    every event it receives, and the helper calls of a field-by-field version cost about half
    of its parsing time. Any failing field is re-examined by the slower helpers, so the
    messages are the same. The id, time and key helpers are shared with the batch fast path
    (``engine.wire``), which must accept exactly what this accepts.
    """
    latest = now + MAX_CLOCK_AHEAD
    kinds = KINDS

    def parse(item: object) -> ParsedEvent:
        if type(item) is not dict:
            raise EventError("event: a JSON object is required")
        get = item.get
        number = id_number(get("id"))
        ts = instant(get("ts"), latest)
        kind = get("kind")
        if kind not in kinds:
            raise EventError("kind: one of done, rework, defect")
        sig = get("sig")
        if type(sig) is not str or len(sig) != SIG_LENGTH:
            raise EventError(f"sig: the coupon signature ({SIG_LENGTH} characters) is required")
        device = _text(get("device"), "device", 64)
        operator = _text(get("operator"), "operator", 40)
        bundle = get("bundle")
        if type(bundle) is not int or not 1 <= bundle <= MAX_ID:
            raise _integer_error(bundle, "bundle", MAX_ID)
        operation = get("operation")
        if type(operation) is not int or not 1 <= operation <= MAX_ID:
            raise _integer_error(operation, "operation", MAX_ID)
        qty = get("qty")
        if type(qty) is not int or not 1 <= qty <= MAX_QTY:
            raise _integer_error(qty, "qty", MAX_QTY)
        key, origin = keys_of(number, ts)
        return ParsedEvent(
            key, origin, ts, device, operator, bundle, operation, qty, kind, sig.upper()
        )

    return parse


def parse_event(item: object, now: datetime) -> ParsedEvent:
    """Return the typed event, or raise EventError naming the first bad field."""
    return parser(now)(item)


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
