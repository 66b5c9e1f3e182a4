"""SIGKILL the ingest server mid-stream, restart it, resend: nothing lost, nothing counted twice.

A device streams 30,000 events in batches of 300 to a real uvicorn process on a file-backed
database. The server is killed twice while a request is in flight, at the two places that
matter (loom.testing.faults): once inside the batch's transaction, once after its commit but
before its answer. After each restart the device resends every batch it has no answer for, and
at the end a few answered ones as well.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.modules.shopfloor.models import OpCount, OperatorDay, ScanEvent
from loom.modules.shopfloor.service import rebuild
from loom.settings import Settings
from loom.testing.factory import Factory
from loom.testing.faults import FACTORY, STALL_ENV, Stall, marker, stall_env
from loom.testing.plugin import both_backends
from loom.testing.processes import ServerProcess

from .stream import Ledger, Plant, assert_audit_intact, make_events, seed_plant, send, totals

BATCH = 300
#: 3 lines x 1,000 bundles x 9 operations = 27,000 "done" scans, plus 3,000 rework/defect
LINES, BUNDLES_PER_ORDER, EXTRA = 3, 1_000, 3_000
EVENTS = 30_000
BATCHES = EVENTS // BATCH  # 100
#: the 31st batch (index 30) stops inside its transaction: batches 0..29 are answered
KILL_IN_TRANSACTION = Stall("before_commit", 31)
#: after the restart the device resends from batch 30; the 25th request (batch 54) is committed
#: but not answered when the second kill comes
KILL_BEFORE_ANSWER = Stall("before_answer", 25)
#: answered batches sent again at the end: the first, the last answered before each kill, the last
RESENT_ANSWERED = [0, 29, 53, 99]
MARKER_SECONDS = 60.0


def _wait_for_stall(path: Path, sender: Future[int | None], server: ServerProcess) -> None:
    """Block until the server has stopped at its fault point; fail if it never gets there."""
    deadline = time.monotonic() + MARKER_SECONDS
    while not path.exists():
        if sender.done():
            # the stream ended or failed before the chosen batch: report why
            raise AssertionError(f"no stall; sender returned {sender.result()!r}")
        if not server.alive or time.monotonic() > deadline:
            raise AssertionError(f"server never reached {path.name}:\n{server.log_tail()}")
        time.sleep(0.01)


def _run_until_killed(
    server: ServerProcess,
    stall: Stall,
    fault_dir: Path,
    plant: Plant,
    batches: list[list[dict[str, Any]]],
    order: list[int],
    ledger: Ledger,
) -> int:
    """Stream ``order`` from a thread and SIGKILL the server at its stall; return the batch sent."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        sender = pool.submit(send, server.base_url, plant.token, batches, order, ledger)
        _wait_for_stall(marker(fault_dir, stall), sender, server)
        server.kill()
        in_flight = sender.result(timeout=60)
    assert in_flight is not None, "the request in flight was answered although its server died"
    return in_flight


class _Db:
    """Read the plant's rows straight from the database the server processes write."""

    def __init__(self, app: FastAPI, plant: Plant) -> None:
        self.app = app
        self.org = plant.org

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a unit of work bound to the plant's organisation."""
        with session_scope(self.app.state.loom.session_factory) as session:
            bind_scope(session, system_scope(self.org.id, self.org.kind, "test"))
            yield session

    def stored(self, events: list[dict[str, Any]]) -> int:
        """Return how many of ``events`` are stored (v7 ids are their own storage keys)."""
        ids = [uuid.UUID(e["id"]) for e in events]
        with self.session() as s:
            count = s.scalar(
                select(func.count()).where(ScanEvent.org_id == self.org.id, ScanEvent.key.in_(ids))
            )
        return int(count or 0)

    def keys(self) -> Counter[uuid.UUID]:
        """Return every stored event key of the plant with its number of rows."""
        with self.session() as s:
            rows = s.scalars(select(ScanEvent.key).where(ScanEvent.org_id == self.org.id))
            return Counter(rows)


def _servers(settings: Settings, tmp_path: Path, fault_dir: Path) -> list[ServerProcess]:
    """Start the first server and both replacements, each with its own fault point and log."""
    envs = [
        stall_env(KILL_IN_TRANSACTION, fault_dir),
        stall_env(KILL_BEFORE_ANSWER, fault_dir),
        {STALL_ENV: ""},
    ]
    return [
        ServerProcess(settings, tmp_path / f"uvicorn-{n}.log", factory=FACTORY, env=env)
        for n, env in enumerate(envs, start=1)
    ]


@both_backends
def test_killed_server_loses_no_event_and_counts_none_twice(
    loom_app: FastAPI,
    loom_settings: Settings,
    factory: Factory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fault_dir = tmp_path / "faults"
    fault_dir.mkdir()
    with ExitStack() as stack:
        # Importing Loom takes seconds, so the replacements start now, alongside the seeding.
        # A server opens its first database connection with its first request (the health
        # check in wait_until_up), which each replacement gets only after its predecessor died.
        first, second, third = (
            stack.enter_context(server) for server in _servers(loom_settings, tmp_path, fault_dir)
        )
        _stream_with_two_kills(loom_app, factory, fault_dir, (first, second, third))
    # the kills left no half-written audit record: the chain verifies end to end
    assert_audit_intact(loom_settings, monkeypatch)


def _stream_with_two_kills(
    loom_app: FastAPI, factory: Factory, fault_dir: Path, servers: tuple[ServerProcess, ...]
) -> None:
    """Seed, stream with a kill in a transaction and one before an answer, then check."""
    first, second, third = servers
    plant = seed_plant(factory, lines=LINES, bundles_per_order=BUNDLES_PER_ORDER)
    events = make_events(plant, EXTRA, seed=20260302)
    assert len(events) == EVENTS
    batches = [events[i : i + BATCH] for i in range(0, EVENTS, BATCH)]
    db = _Db(loom_app, plant)
    ledger = Ledger()

    # 1. killed while batch 30 is flushed in its open transaction
    first.wait_until_up()
    lost = _run_until_killed(
        first, KILL_IN_TRANSACTION, fault_dir, plant, batches, list(range(BATCHES)), ledger
    )
    assert lost == 30
    assert ledger.acked == set(range(30))
    # all or nothing: the killed transaction left no row; every answered batch is durable
    assert db.stored(batches[lost]) == 0
    assert sum(db.keys().values()) == 30 * BATCH

    # 2. a new server on the same database, killed after batch 54 committed but before its answer
    second.wait_until_up()
    pending = [i for i in range(BATCHES) if i not in ledger.acked]
    unanswered = _run_until_killed(
        second, KILL_BEFORE_ANSWER, fault_dir, plant, batches, pending, ledger
    )
    assert unanswered == 54
    assert ledger.acked == set(range(54))
    # the answer comes only after the commit, so an unanswered batch may well be stored
    assert db.stored(batches[unanswered]) == BATCH

    # 3. a server without faults: resend everything unanswered, then some answered batches
    third.wait_until_up()
    pending = [i for i in range(BATCHES) if i not in ledger.acked]
    assert send(third.base_url, plant.token, batches, pending + RESENT_ANSWERED, ledger) is None
    assert ledger.acked == set(range(BATCHES))

    # 100 batches answered once each plus 4 answered again: 104 answers of 300 events
    assert ledger.events_acked(batches) == 104 * BATCH
    assert ledger.total("accepted") + ledger.total("duplicates") == 104 * BATCH
    # batch 54 was stored by the killed server, so its resend and the 4 repeats are duplicates
    assert ledger.total("duplicates") == BATCH + len(RESENT_ANSWERED) * BATCH
    assert ledger.total("accepted") == EVENTS - BATCH
    assert ledger.total("quarantined") == 0
    assert all(answer["rejected"] == [] for _index, answer in ledger.answers)

    # every id sent is stored exactly once, and nothing else is
    stored = db.keys()
    assert set(stored) == {uuid.UUID(e["id"]) for e in events}
    assert set(stored.values()) == {1}
    _assert_counted_once(db, plant, events)


def _assert_counted_once(db: _Db, plant: Plant, events: list[dict[str, Any]]) -> None:
    """The counters hold each event once: equal to the events as sent and to a rebuild."""
    expected = totals(events, plant.sample.operations)
    done_per_operation: Counter[int] = Counter()
    for event in events:
        if event["kind"] == "done":
            done_per_operation[event["operation"]] += event["qty"]
    org_id = plant.org.id
    with db.session() as session:
        statuses = dict(
            session.execute(
                select(ScanEvent.status, func.count())
                .where(ScanEvent.org_id == org_id)
                .group_by(ScanEvent.status)
            ).all()
        )
        applied_done = session.scalar(
            select(func.sum(ScanEvent.qty)).where(
                ScanEvent.org_id == org_id,
                ScanEvent.status == "applied",
                ScanEvent.kind == "done",
            )
        )
        counted = session.execute(
            select(
                func.sum(OpCount.done_qty),
                func.sum(OpCount.rework_qty),
                func.sum(OpCount.defect_qty),
            ).where(OpCount.org_id == org_id)
        ).one()
        per_operation = dict(
            session.execute(
                select(OpCount.operation_id, func.sum(OpCount.done_qty))
                .where(OpCount.org_id == org_id)
                .group_by(OpCount.operation_id)
            ).all()
        )
        pay = session.scalar(
            select(func.sum(OperatorDay.earnings_e4)).where(OperatorDay.org_id == org_id)
        )
        report = rebuild.check(session, org_id)
    assert statuses == {"applied": EVENTS}
    assert tuple(int(v) for v in counted) == (
        expected["done"],
        expected["rework"],
        expected["defect"],
    )
    assert int(applied_done or 0) == expected["done"]
    assert {op: int(qty) for op, qty in per_operation.items()} == dict(done_per_operation)
    assert int(pay or 0) == expected["pay_e4"]
    assert report.events == EVENTS
    assert report.differences == []
