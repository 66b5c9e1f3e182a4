"""Event ids and storage keys: time-ordered keys make inserts append to the index.

Devices should send UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds lead, so consecutive
events land on the last page of the index. Older devices send random (v4) ids; storing those as
they are would scatter inserts over the whole index (about ten times slower on SQLite, see
docs/shopfloor.md). A v4 id is therefore stored under a derived key: the event's own timestamp in
milliseconds followed by 74 of the id's random bits, marked with version 4 so a derived key can
never equal a genuine v7 id. The derivation is a pure function of (id, ts), so a resent event maps
to the same key and is recognised as a duplicate.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime

_MS_MASK = (1 << 48) - 1
_VARIANT = 0b10 << 62


def uuid7(ts: datetime | None = None, rand: bytes | None = None) -> uuid.UUID:
    """Return a UUIDv7 for ``ts`` (now when omitted), with 74 random bits."""
    ms = int((ts.timestamp() if ts is not None else _now()) * 1000) & _MS_MASK
    noise = int.from_bytes(rand if rand is not None else os.urandom(10), "big")
    rand_a = (noise >> 62) & 0xFFF
    rand_b = noise & ((1 << 62) - 1)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (rand_a << 64) | _VARIANT | rand_b)


def _now() -> float:
    from time import time

    return time()


def storage_key(event_id: uuid.UUID, ts: datetime) -> uuid.UUID:
    """Return the key an event is stored under: its id if v7, else a ts-led key from its bits."""
    if event_id.version == 7:
        return event_id  # the same object: callers tell a derived key by identity
    # keep the 74 random-looking bits a v4 id carries outside its version and variant fields
    return uuid.UUID(int=derived_number(event_id.int, int(ts.timestamp() * 1000)))


_new = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def uuid_of(number: int) -> uuid.UUID:
    """Return ``uuid.UUID(int=number)`` for a number already known to fit in 128 bits.

    ``UUID.__init__`` checks its arguments in Python (1.6 µs against 0.5 here, measured); ingest
    builds one per event from a number it has checked itself. The two slots set are the ones
    ``UUID.__init__`` sets; ``tests/modules/shopfloor/ingest/test_event_parsing.py`` compares.
    """
    made = _new(uuid.UUID)
    _set(made, "int", number)
    _set(made, "is_safe", _UNKNOWN)
    return made


def derived_number(number: int, millis: int) -> int:
    """Return the storage key (as a number) of a v4 id ``number`` scanned at ``millis``."""
    rand_a = (number >> 64) & 0xFFF
    rand_b = number & ((1 << 62) - 1)
    return ((millis & _MS_MASK) << 80) | (0x4 << 76) | (rand_a << 64) | _VARIANT | rand_b


def key_millis(key: uuid.UUID) -> int:
    """Return the Unix milliseconds that lead a storage key."""
    return key.int >> 80
