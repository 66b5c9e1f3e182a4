"""An MQTT worker's batch planned before the write transaction: authenticated, decoded, verified.

Planning takes no database lock (SQLite's write lock is held only while ``mqtt_ingest`` stores
the plan), so it is kept apart from the worker's connection and commit logic. A device's scan
events take the fast path of the HTTP route (``engine.wire``) when every message decodes whole.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from loom.kernel.messaging.ingest import BatchError, ChannelRoute, decode_batch, unreadable
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.mqtt_topics import (
    MAX_EVENTS_PER_MESSAGE,
    Message,
    decode_events,
    split_topic,
)
from loom.modules.shopfloor.engine.wire import Scan
from loom.modules.shopfloor.service.ingest import Prepared, decode_scans, prepare, prepare_scans
from loom.modules.shopfloor.service.mqtt_auth import DeviceTokens

log = logging.getLogger("loom.shopfloor.mqtt")


@dataclass
class Plan:
    """A batch parsed and verified before the write transaction: what the worker stores."""

    prepared: list[tuple[Scope, Prepared]] = field(default_factory=list)
    malformed: list[tuple[Scope, dict[str, object], str]] = field(default_factory=list)
    # apps' ingest channels: decoded batches, and messages that are not a batch
    records: list[tuple[Scope, ChannelRoute, list[object]]] = field(default_factory=list)
    unreadable: list[tuple[Scope, ChannelRoute, dict[str, str], str]] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("events", "accepted", "duplicates", "quarantined", "rejected", "refused"), 0
        )
    )


def route_of(channels: Mapping[str, ChannelRoute], message: Message) -> ChannelRoute | None:
    """Return the ingest channel of the message's topic; None for scan events."""
    parts = split_topic(message.topic)
    return None if parts is None else channels.get(parts[1])


def plan_batch(
    batch: list[Message],
    *,
    tokens: DeviceTokens,
    channels: Mapping[str, ChannelRoute],
    secret_key: str,
    client_id: str,
) -> Plan:
    """Authenticate, decode, parse and verify every message (no write lock is held)."""
    plan = Plan()
    groups: dict[int, tuple[Scope, list[Part]]] = {}
    for message in batch:
        auth = tokens.authenticate(message)
        if auth.scope is None:
            plan.counts["refused"] += 1
            log.warning("%s: refused a message on %s: %s", client_id, message.topic, auth.refusal)
            continue
        route = route_of(channels, message)
        if route is not None:
            _plan_records(plan, auth.scope, route, message)
            continue
        part = Part(message.payload, decode_scans(message.payload))
        if part.scans is not None and len(part.scans) > MAX_EVENTS_PER_MESSAGE:
            part.scans = None  # the message limit is decode_events' to word, should it be lower
        if part.scans is None:
            decoded = decode_events(message.payload)
            if decoded.error:
                text = message.payload[:20_000].decode("utf-8", "replace")
                plan.malformed.append((auth.scope, {"message": text}, decoded.error))
                continue
            part.items = decoded.events
        token_id = auth.scope.actor.token_id or 0
        groups.setdefault(token_id, (auth.scope, []))[1].append(part)
    for scope, parts in groups.values():
        plan.counts["events"] += sum(part.count for part in parts)
        for prepared in prepare_parts(parts, scope.org_id, secret_key=secret_key):
            plan.prepared.append((scope, prepared))
    return plan


@dataclass
class Part:
    """One message's events: decoded whole by the fast path (``scans``), or as JSON (``items``)."""

    payload: bytes
    scans: list[Scan] | None
    items: list[object] | None = None

    @property
    def count(self) -> int:
        """Return the number of events in the message."""
        return len(self.scans if self.scans is not None else self.events())

    def events(self) -> list[object]:
        """Return the events as JSON values, for the per-event parser."""
        if self.items is None:
            # the fast decoder took this payload whole, so it is a JSON array for orjson too
            self.items = decode_events(self.payload).events
        return self.items


def prepare_parts(parts: list[Part], org_id: int, *, secret_key: str) -> list[Prepared]:
    """Prepare one device's messages in batches of at most a message's events.

    The fast path is taken only when it takes every batch whole; otherwise the events are
    prepared exactly as before, one by one, in the same batches.
    """
    size = MAX_EVENTS_PER_MESSAGE
    if all(part.scans is not None for part in parts):
        scans = [scan for part in parts for scan in part.scans or ()]
        fast = [
            prepare_scans(scans[start : start + size], org_id, secret_key=secret_key)
            for start in range(0, len(scans), size)
        ]
        if all(prepared is not None for prepared in fast):
            return [prepared for prepared in fast if prepared is not None]
    events = [event for part in parts for event in part.events()]
    return [
        prepare(events[start : start + size], org_id, secret_key=secret_key)
        for start in range(0, len(events), size)
    ]


def _plan_records(plan: Plan, scope: Scope, route: ChannelRoute, message: Message) -> None:
    """Decode one channel message into the plan (a message that is no batch is kept aside)."""
    try:
        records = decode_batch(message.payload, route.channel.max_records)
    except BatchError as exc:
        plan.unreadable.append((scope, route, unreadable(message.payload), exc.message))
        return
    plan.counts["events"] += len(records)
    plan.records.append((scope, route, records))
