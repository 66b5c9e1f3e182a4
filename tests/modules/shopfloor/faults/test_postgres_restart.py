"""PostgreSQL stops mid-stream and comes back: 503 meanwhile, then nothing lost or doubled.

A device streams 4,000 events in batches of 200 to a real uvicorn process whose database is a
private PostgreSQL cluster (the shared one serves other tests). After eight batches are answered
the cluster is stopped with ``-m fast`` (open transactions rolled back, connections closed);
the device gets 503 with Retry-After, waits as told and sends the same batch again. Once it has
been refused at least once, the cluster starts again and the stream goes on through the same
server, whose pool replaces its dead connections (``pool_pre_ping``).
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest
from fastapi import FastAPI

from loom.app import create_app
from loom.kernel.db.migrate import upgrade
from loom.kernel.db.session import build_engine
from loom.kernel.plugins.spec import AppSpec
from loom.settings import Settings
from loom.testing.databases import postgres_url
from loom.testing.factory import Factory
from loom.testing.processes import ServerProcess

from .services import PrivatePostgres
from .stream import (
    EVENTS,
    Ledger,
    assert_audit_intact,
    assert_counted_once,
    make_events,
    seed_plant,
)

#: 1 line x 400 bundles x 9 operations = 3,600 "done" scans, plus 400 rework/defect
LINES, BUNDLES_PER_ORDER, EXTRA = 1, 400, 400
TOTAL = 4_000
BATCH = 200
BATCHES = TOTAL // BATCH  # 20
#: the cluster stops once this many batches are answered
STOP_AFTER = 8
#: generous bound of every wait (a bound, not a timing assertion)
WAIT = 60.0
UNAVAILABLE = "the database is unavailable; retry in a few seconds"


@dataclass
class RetryingLedger(Ledger):
    """The device's ledger, with every 503 it was given: (batch, Retry-After, error body)."""

    refused: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def stream_with_retries(
    base_url: str, token: str, batches: list[list[dict[str, Any]]], ledger: RetryingLedger
) -> None:
    """Post every batch in order; on 503 wait Retry-After seconds and send it again."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx2.Client(base_url=base_url, headers=headers, timeout=120.0) as client:
        for index, batch in enumerate(batches):
            deadline = time.monotonic() + WAIT
            while True:
                response = client.post(EVENTS, content=orjson.dumps(batch))
                if response.status_code == 200:
                    with ledger.lock:
                        ledger.acked.add(index)
                        ledger.answers.append((index, response.json()))
                    break
                if response.status_code != 503 or time.monotonic() > deadline:
                    raise AssertionError(f"batch {index}: {response.status_code} {response.text}")
                retry_after = response.headers.get("Retry-After", "")
                with ledger.lock:
                    ledger.refused.append((index, retry_after, response.json()))
                time.sleep(float(retry_after))


def _wait(condition: Any, what: str, sender: Future[None], server: ServerProcess) -> None:
    """Poll ``condition`` until true; fail if the sender or the server gave up first."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if sender.done():
            raise AssertionError(f"the device stopped before {what}: {sender.result()!r}")
        if not server.alive or time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}:\n{server.log_tail()}")
        time.sleep(0.01)


@pytest.mark.postgres
def test_postgresql_restart_answers_503_and_loses_nothing(
    loom_apps: list[AppSpec], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if postgres_url() is None:
        pytest.skip("LOOM_TEST_POSTGRES_URL not set: PostgreSQL suite skipped")
    with PrivatePostgres(tmp_path) as cluster:
        # the cluster's own database: the server may start before it exists, since it
        # connects with its first request; importing Loom takes seconds, so it starts first
        settings = Settings(
            env="test",
            database_url=cluster.url,
            data_dir=tmp_path / "data",
            secret_key=secrets.token_urlsafe(48),
        )
        with ServerProcess(settings, tmp_path / "uvicorn.log") as server:
            cluster.create()
            engine = build_engine(cluster.url)
            upgrade(engine, loom_apps)
            engine.dispose()
            app = create_app(settings, loom_apps)
            try:
                _stream_through_a_restart(app, cluster, server)
                # the figures are checked: how the server ends is no part of this test
                server.kill()
                assert_audit_intact(settings, monkeypatch)
            finally:
                app.state.loom.engine.dispose()


def _stream_through_a_restart(
    app: FastAPI, cluster: PrivatePostgres, server: ServerProcess
) -> None:
    """Seed, stream, stop the cluster until the device is refused, start it, and check."""
    plant = seed_plant(Factory(app), lines=LINES, bundles_per_order=BUNDLES_PER_ORDER)
    events = make_events(plant, EXTRA, seed=20260304)
    assert len(events) == TOTAL
    batches = [events[i : i + BATCH] for i in range(0, TOTAL, BATCH)]
    ledger = RetryingLedger()
    server.wait_until_up()
    with ThreadPoolExecutor(max_workers=1) as pool:
        sender = pool.submit(stream_with_retries, server.base_url, plant.token, batches, ledger)
        _wait(lambda: len(ledger.acked) >= STOP_AFTER, "eight answered batches", sender, server)
        cluster.stop()
        # the device is refused at least once while the database is down: then it comes back
        _wait(lambda: len(ledger.refused) >= 1, "a 503", sender, server)
        refused_while_down = len(ledger.answers)
        cluster.start()
        sender.result(timeout=WAIT * 2)

    assert ledger.acked == set(range(BATCHES))
    # the stop came after eight answers and the stream paused on its first refusal
    assert STOP_AFTER <= refused_while_down < BATCHES
    assert ledger.refused, "no request met the stopped database"
    for _index, retry_after, body in ledger.refused:
        assert retry_after == "2"  # kernel/web/errors.py RETRY_AFTER_SECONDS
        assert body == {"error": {"code": "unavailable", "message": UNAVAILABLE, "details": None}}
    # each batch answered once; a batch whose commit landed just before the connection was cut
    # (refused, then resent) comes back as duplicates: whole batches, never a part
    assert len(ledger.answers) == BATCHES
    duplicates = ledger.total("duplicates")
    assert duplicates % BATCH == 0
    assert duplicates <= BATCH * len({index for index, _r, _b in ledger.refused})
    assert ledger.total("accepted") + duplicates == TOTAL
    assert ledger.total("quarantined") == 0
    assert all(answer["rejected"] == [] for _index, answer in ledger.answers)
    assert "Traceback" not in server.log.read_text(errors="replace"), server.log_tail()
    assert_counted_once(app.state.loom.session_factory, plant, events)
