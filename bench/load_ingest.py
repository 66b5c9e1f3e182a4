"""The load scenario's ingest: signed scan batches posted over HTTP at a fixed rate.

A separate enterprise gets a sample factory with enough bundles for the whole run; its scans
(``bench.shopfloor_scans``) are signed as they are needed, and batch ``k`` is due at
``k * batch / rate`` seconds. A few sender threads post the due batches, so that one slow answer
does not hold back the schedule. A batch that falls behind is sent late; batches still due when
the time is up are not sent, and the achieved rate is what the server accepted over the wall time.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from time import monotonic, sleep

import httpx2
import orjson
from fastapi import FastAPI

from bench.shopfloor_common import Plant, seed_plant
from bench.shopfloor_scans import bundles_per_order, event_dicts, line_work, scan_days
from loom.kernel.db.base import utcnow
from loom.modules.shopfloor.engine.figures import local_today
from loom.modules.shopfloor.engine.tickets import ticket_key
from loom.testing.factory import Factory

EVENTS_URL = "/api/v1/shopfloor/events"
LINES = 20
OPERATORS_PER_LINE = 30
BUNDLES_PER_LINE_DAY = 150
#: devices posting at once: 10 batches of 500 are due each second, so each sender has 800 ms per
#: batch; with 4 (runs 1-9) a batch answered in over 400 ms under load already fell behind
SENDERS = 8


@dataclass
class IngestTally:
    """What the server answered over the run."""

    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: int = 0  # answers other than 200, and requests that got no answer
    first_error: str = ""
    behind_seconds: float = 0.0  # how late the latest batch left, at worst
    unsent: int = 0  # batches still due when the run's time was up
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def error(self, text: str) -> None:
        """Count a failed request."""
        with self.lock:
            self.errors += 1
            self.first_error = self.first_error or text


@dataclass(frozen=True)
class IngestSource:
    """A seeded plant, its device token, and the signing key of its coupons."""

    plant: Plant
    token: str
    key: bytes


def seed_source(application: FastAPI, events: int, secret_key: str) -> IngestSource:
    """Seed an enterprise with bundles enough for ``events`` scans; return it with a token."""
    bundles = bundles_per_order(events, LINES)
    plant = seed_plant(
        application,
        "load-ingest",
        lines=LINES,
        operators_per_line=OPERATORS_PER_LINE,
        bundles_per_order=bundles,
    )
    token = Factory(application).token(plant.org, ["shopfloor.event.write"], kind="device")
    return IngestSource(plant, token, ticket_key(secret_key, plant.org.id))


def batches(source: IngestSource, batch: int) -> Iterator[bytes]:
    """Yield signed batches of ``batch`` scans, day after day, until the bundles run out."""
    work = line_work(source.plant.sample)
    per_line = max(len(w.bundles) for w in work)
    # end a day or more before today: no scan may lie ahead of the server clock
    days = math.ceil(per_line / BUNDLES_PER_LINE_DAY) + 2
    first = local_today(utcnow()) - timedelta(days=days)
    pending: list[dict[str, object]] = []
    for _day, scans in scan_days(
        first, work, source.plant.sample.operations, BUNDLES_PER_LINE_DAY, seed=2026
    ):
        pending += event_dicts(scans, source.key, source.plant.org.id)
        while len(pending) >= batch:
            yield orjson.dumps(pending[:batch])
            del pending[:batch]


def drive(
    base_url: str, source: IngestSource, *, rate: float, batch: int, seconds: float
) -> tuple[IngestTally, float]:
    """Post batches at ``rate`` events/s for ``seconds``; return the tally and the wall time."""
    tally = IngestTally()
    due: queue.Queue[bytes | None] = queue.Queue(maxsize=SENDERS * 4)
    headers = {"Authorization": f"Bearer {source.token}", "Content-Type": "application/json"}

    def send() -> None:
        with httpx2.Client(base_url=base_url, headers=headers, timeout=60) as client:
            while (body := due.get()) is not None:
                try:
                    response = client.post(EVENTS_URL, content=body)
                except httpx2.TransportError as exc:
                    tally.error(f"no answer: {exc!r}")
                    continue
                if response.status_code != 200:
                    tally.error(f"{response.status_code}: {response.text[:200]}")
                    continue
                answer = response.json()
                with tally.lock:
                    tally.sent += batch
                    tally.accepted += answer["accepted"]
                    tally.duplicates += answer["duplicates"]
                    tally.rejected += len(answer["rejected"])

    threads = [threading.Thread(target=send, daemon=True) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    stream = batches(source, batch)
    started = monotonic()
    count = math.floor(rate * seconds / batch)
    for index in range(count):
        if monotonic() - started > seconds:
            # the run is over: what the server could not take in time is not sent at all, so
            # an overloaded server shows as a lower achieved rate, not as a longer run
            tally.unsent = count - index
            break
        body = next(stream)  # signing happens here, ahead of the batch's due time
        wait = started + index * batch / rate - monotonic()
        if wait > 0:
            sleep(wait)
        else:
            tally.behind_seconds = max(tally.behind_seconds, -wait)
        due.put(body)
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    return tally, monotonic() - started
