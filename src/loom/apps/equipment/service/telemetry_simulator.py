"""Simulated machine telemetry for demos: state changes and counts of a factory's machines.

Each machine runs a small Markov chain: running for about 40 minutes, then mostly a short idle
(waiting for bundles), sometimes a breakdown with a reason (about 5–25 minutes). While running
it reports its count every 5 minutes (pieces = running seconds ÷ its ideal cycle time × an
efficiency of 80–95 %, about 2 % rejects); in every state it repeats its state every 10 minutes
as a sign of life, so the OEE engine never sees it as silent. Ids are UUIDv7.
"""

from __future__ import annotations

import http.client
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import orjson

from loom.kernel.messaging.mqtt import connect, user_properties
from loom.modules.shopfloor.engine import keys
from loom.modules.shopfloor.engine.mqtt_topics import channel_topic

INGEST_PATH = "/api/v1/ingest/telemetry"
DOWN_REASONS = (("needle_break", 5), ("thread_break", 4), ("motor_fault", 1), ("bobbin_jam", 3))
COUNT_EVERY = timedelta(minutes=5)
HEARTBEAT = timedelta(minutes=10)
DEFAULT_CYCLE_S = 30.0


@dataclass(frozen=True)
class SimMachine:
    """A machine to simulate: its code and ideal cycle time."""

    code: str
    ideal_cycle_s: float | None


def _record(ts: datetime, machine: str, **fields: Any) -> dict[str, Any]:
    """Return a record with a UUIDv7 id."""
    return {"id": str(keys.uuid7(ts)), "ts": ts.isoformat(), "machine": machine, **fields}


def _next_state(rng: random.Random, current: str) -> tuple[str, str, timedelta]:
    """Return the next state, its reason and how long it lasts."""
    if current != "running":
        return "running", "", timedelta(minutes=rng.expovariate(1 / 40) + 5)
    if rng.random() < 0.7:
        return "idle", "", timedelta(minutes=rng.uniform(1, 8))
    reasons = [name for name, _weight in DOWN_REASONS]
    weights = [float(weight) for _name, weight in DOWN_REASONS]
    reason = rng.choices(reasons, weights)[0]
    return "down", reason, timedelta(minutes=rng.uniform(5, 25))


def machine_stream(
    machine: SimMachine, start: datetime, end: datetime, rng: random.Random
) -> Iterator[dict[str, Any]]:
    """Yield one machine's records between ``start`` and ``end`` in time order."""
    cycle = machine.ideal_cycle_s or DEFAULT_CYCLE_S
    efficiency = rng.uniform(0.80, 0.95)
    now, state, reason = start, "running", ""
    stay = timedelta(minutes=rng.uniform(5, 40))
    while now < end:
        fields = {"kind": "state", "state": state, **({"reason": reason} if reason else {})}
        yield _record(now, machine.code, **fields)
        until = min(end, now + stay)
        beat, last_count = now, now
        while beat + COUNT_EVERY <= until:
            beat += COUNT_EVERY
            if state == "running":
                pieces = int((beat - last_count).total_seconds() / cycle * efficiency)
                reject = sum(rng.random() < 0.02 for _ in range(pieces))
                if pieces:
                    yield _record(
                        beat, machine.code, kind="count", good=pieces - reject, reject=reject
                    )
                last_count = beat
            elif (beat - now) % HEARTBEAT == timedelta(0):
                yield _record(beat, machine.code, **fields)
        now = until
        state, reason, stay = _next_state(rng, state)


def factory_stream(
    machines: list[SimMachine], start: datetime, end: datetime, seed: int
) -> list[dict[str, Any]]:
    """Return every machine's records, merged in time order."""
    rng = random.Random(seed)
    records = [r for m in machines for r in machine_stream(m, start, end, rng)]
    return sorted(records, key=lambda r: r["ts"])


class HttpTelemetrySender:
    """POSTs batches to the telemetry channel and sums the answers."""

    def __init__(self, base_url: str, token: str, timeout: float = 60.0) -> None:
        """Prepare the connection."""
        parsed = urlparse(base_url)
        kind = (
            http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
        )
        self._conn = kind(parsed.hostname or "127.0.0.1", parsed.port, timeout=timeout)
        self._path = parsed.path.rstrip("/") + INGEST_PATH
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.answers = {"accepted": 0, "duplicates": 0, "rejected": 0}

    def send(self, batch: list[dict[str, Any]]) -> None:
        """Send one batch; raise on an error answer."""
        self._conn.request("POST", self._path, body=orjson.dumps(batch), headers=self._headers)
        response = self._conn.getresponse()
        body = response.read()
        if response.status >= 300:
            raise RuntimeError(f"server answered {response.status}: {body[:300]!r}")
        answer = orjson.loads(body)
        self.answers["accepted"] += int(answer["accepted"])
        self.answers["duplicates"] += int(answer["duplicates"])
        self.answers["rejected"] += len(answer["rejected"])

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class MqttTelemetrySender:
    """Publishes batches at QoS 1 to ``loom/{org}/telemetry`` and waits for the broker."""

    def __init__(self, mqtt_url: str, org_slug: str, token: str) -> None:
        """Connect."""
        self._client = connect(mqtt_url)
        self._topic = channel_topic(org_slug, "telemetry")
        self._properties = user_properties({"authorization": f"Bearer {token}"})
        self._pending: list[Any] = []
        self.answers: dict[str, int] = {}

    def send(self, batch: list[dict[str, Any]]) -> None:
        """Publish one batch."""
        payload = orjson.dumps(batch)
        info = self._client.publish(self._topic, payload, qos=1, properties=self._properties)
        self._pending.append(info)

    def close(self) -> None:
        """Wait until the broker has every publication, then disconnect."""
        for info in self._pending:
            info.wait_for_publish(60)
        self._client.disconnect()
        self._client.loop_stop()
