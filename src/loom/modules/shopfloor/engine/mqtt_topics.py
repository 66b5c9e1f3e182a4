"""The MQTT side of the scan protocol: topics, the token property, payloads, a token cache.

Devices publish a JSON array of scan events (the body of ``POST /api/v1/shopfloor/events``) at
QoS 1 to ``loom/{org slug}/events`` with the MQTT v5 user property
``authorization: Bearer loom_…``. Ingest workers share ``$share/{group}/loom/+/events`` so the
broker splits the stream between them. Apps' ingest channels work alike: records of channel
``name`` go to ``loom/{org slug}/{name}``, shared as ``$share/{group}/loom/+/{name}``; the
workers dispatch a message by its topic's last level.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import orjson

TOPIC_ROOT = "loom"
EVENTS_LEAF = "events"
DEFAULT_GROUP = "loom-ingest"
AUTH_PROPERTY = "authorization"
#: the HTTP route's limit applies to a message too
MAX_EVENTS_PER_MESSAGE = 10_000

V = TypeVar("V")


def events_topic(org_slug: str) -> str:
    """Return the topic an organisation's devices publish scan events to."""
    return f"{TOPIC_ROOT}/{org_slug}/{EVENTS_LEAF}"


def shared_subscription(group: str = DEFAULT_GROUP) -> str:
    """Return the MQTT v5 shared subscription every ingest worker of ``group`` takes."""
    if not group or any(c in group for c in "/+#"):
        raise ValueError(f"a share group name cannot be empty or contain / + #: {group!r}")
    return f"$share/{group}/{TOPIC_ROOT}/+/{EVENTS_LEAF}"


def channel_topic(org_slug: str, name: str) -> str:
    """Return the topic an organisation's devices publish records of channel ``name`` to."""
    return f"{TOPIC_ROOT}/{org_slug}/{name}"


def channel_subscription(name: str, group: str = DEFAULT_GROUP) -> str:
    """Return the shared subscription of channel ``name`` for the workers of ``group``."""
    shared_subscription(group)  # the same checks of the group name
    if not name or any(c in name for c in "/+#"):
        raise ValueError(f"a channel name cannot be empty or contain / + #: {name!r}")
    return f"$share/{group}/{TOPIC_ROOT}/+/{name}"


def split_topic(topic: str) -> tuple[str, str] | None:
    """Return ``(organisation slug, last level)`` of an ingest topic, or None for any other."""
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != TOPIC_ROOT or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def org_of_topic(topic: str) -> str | None:
    """Return the organisation slug of an events topic, or None for any other topic."""
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != TOPIC_ROOT or parts[2] != EVENTS_LEAF or not parts[1]:
        return None
    return parts[1]


def bearer_of_properties(user_properties: Iterable[tuple[str, str]]) -> str | None:
    """Return the bearer token of the ``authorization`` user property, if well-formed."""
    for name, value in user_properties:
        if name.lower() != AUTH_PROPERTY:
            continue
        scheme, _, token = value.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
        return None
    return None


def worker_client_id(base: str, index: int) -> str:
    """Return the stable client id of worker ``index``: a restarted worker resumes its session."""
    return base if index == 0 else f"{base}-{index}"


@dataclass(frozen=True)
class Decoded:
    """A message's events, or why it could not be read as a batch of events."""

    events: list[object]
    error: str = ""


def decode_events(payload: bytes) -> Decoded:
    """Decode a message payload: a JSON array of at most 10,000 events."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return Decoded([], "payload is not JSON")
    if not isinstance(data, list):
        return Decoded([], "payload must be a JSON array of events")
    if len(data) > MAX_EVENTS_PER_MESSAGE:
        return Decoded([], f"a message holds at most {MAX_EVENTS_PER_MESSAGE} events")
    return Decoded(data)


def encode_events(events: Iterable[dict[str, object]]) -> bytes:
    """Encode events as a message payload."""
    return orjson.dumps(list(events))


@dataclass(frozen=True)
class Message:
    """One received PUBLISH, kept until its events are committed and it is acknowledged."""

    mid: int
    qos: int
    topic: str
    payload: bytes
    token: str | None


@dataclass
class Stats:
    """Counters a worker logs and tests read."""

    messages: int = 0
    events: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    rejected: int = 0
    refused: int = 0
    batches: int = 0
    failures: int = 0
    acked: int = 0

    def line(self, seconds: float) -> str:
        """Return a progress line."""
        rate = self.events / seconds if seconds > 0 else 0.0
        return (
            f"{self.messages} messages, {self.events} events ({rate:,.0f}/s): "
            f"accepted {self.accepted}, duplicates {self.duplicates}, quarantined "
            f"{self.quarantined}, rejected {self.rejected}; refused messages {self.refused}, "
            f"database failures {self.failures}"
        )


class TtlCache(Generic[V]):
    """A small map whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(
        self, ttl: float, *, max_entries: int = 10_000, clock: Callable[[], float] | None = None
    ) -> None:
        """Create an empty cache."""
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock or time.monotonic
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> V | None:
        """Return the live value stored under ``key``, if any."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: str, value: V, ttl: float | None = None) -> None:
        """Store ``value`` for ``ttl`` seconds (at most the cache's own ttl)."""
        if len(self._entries) >= self.max_entries:
            # a flood of distinct bad tokens must not grow memory without bound
            self._entries.clear()
        lifetime = self.ttl if ttl is None else min(ttl, self.ttl)
        self._entries[key] = (self._clock() + lifetime, value)

    def __len__(self) -> int:
        """Return the number of live entries."""
        return len(self._entries)
