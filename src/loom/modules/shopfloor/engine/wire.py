"""The fast path for a well-formed batch: the JSON array decoded into typed structs in C.

msgspec decodes a body straight into ``Scan`` structs, checking the types, lengths, ranges and
the kind while it reads, where ``events.parser`` does the same per field in Python on the dicts
orjson built. It only ever answers "all of them" or "not this way": a body with any event the
structs refuse (an unknown or missing field, a wrong type, a value out of range) returns None,
and the caller parses the batch event by event, which words each refusal and keeps the rest.
What the structs cannot check (the id's form and version, the time, blank text) is checked by
the parser's own helpers, so a batch taken here gives the same events as the parser gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from loom.modules.shopfloor.engine.events import (
    MAX_CLOCK_AHEAD,
    MAX_ID,
    MAX_QTY,
    EventError,
    ParsedEvent,
    id_number,
    instant,
    keys_of,
)
from loom.modules.shopfloor.engine.tickets import SIG_LENGTH

_Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class Scan(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """One event as the protocol sends it, typed; the bounds are the parser's."""

    # An unknown field refuses the batch here: the per-event parser then ignores it as before.
    # Refusing keeps this path to bodies both decoders read alike (orjson refuses some values,
    # such as integers beyond 64 bits, that msgspec would skip over unread in an unknown field).
    id: Annotated[str, msgspec.Meta(min_length=36, max_length=36)]
    ts: Annotated[str, msgspec.Meta(max_length=40)]
    device: Annotated[str, msgspec.Meta(max_length=64)]
    operator: Annotated[str, msgspec.Meta(max_length=40)]
    bundle: _Id
    operation: _Id
    qty: Annotated[int, msgspec.Meta(ge=1, le=MAX_QTY)]
    kind: Literal["done", "rework", "defect"]
    sig: Annotated[str, msgspec.Meta(min_length=SIG_LENGTH, max_length=SIG_LENGTH)]


class BatchDecoder:
    """Decode a JSON body of at most ``limit`` events into ``Scan`` structs, or give None."""

    def __init__(self, limit: int) -> None:
        """Build the decoder once: msgspec compiles the type into its C decoder."""
        batch = Annotated[list[Scan], msgspec.Meta(max_length=limit)]
        self._decode = msgspec.json.Decoder(batch).decode

    def __call__(self, body: bytes) -> list[Scan] | None:
        """Return the body's events, or None when any of them needs the per-event parser."""
        try:
            return self._decode(body)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None


def parse_scans(scans: Sequence[Scan], now: datetime) -> list[ParsedEvent] | None:
    """Return the events of a decoded batch received at ``now``; None if one is malformed."""
    latest = now + MAX_CLOCK_AHEAD
    events: list[ParsedEvent] = []
    append = events.append
    try:
        for scan in scans:
            number = id_number(scan.id)
            ts = instant(scan.ts, latest)
            device = scan.device.strip()
            operator = scan.operator.strip()
            if not (device and operator):
                return None
            key, origin = keys_of(number, ts)
            append(
                ParsedEvent(
                    key,
                    origin,
                    ts,
                    device,
                    operator,
                    scan.bundle,
                    scan.operation,
                    scan.qty,
                    scan.kind,
                    scan.sig.upper(),
                )
            )
    except EventError:
        return None
    return events
