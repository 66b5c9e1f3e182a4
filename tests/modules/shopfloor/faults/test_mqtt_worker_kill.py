"""SIGKILL the MQTT ingest worker mid-stream, restart it: nothing lost, nothing counted twice.

A device publishes 20,000 events as 100 messages of 200 at QoS 1 through the real broker to a
``loom ingest mqtt`` process. After 40 messages are committed the test holds the database's write
lock (SQLite's, or an EXCLUSIVE lock on the event table in PostgreSQL), publishes 20 more and
SIGKILLs the worker while it cannot commit them: they are unacknowledged, in flight. The device
keeps publishing while the worker is down, three messages a second time among them; the broker
queues all of it for the worker's persistent session, and a worker with the same client id picks
it up. Holding the lock (instead of killing after a guessed delay) fixes what was committed.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.modules.shopfloor.engine.mqtt_topics import encode_events, events_topic
from loom.modules.shopfloor.engine.tickets import ticket_key
from loom.modules.shopfloor.models import ScanEvent
from loom.modules.shopfloor.service.sample import seed_sample_factory
from loom.settings import Settings
from loom.testing.databases import mqtt_url
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from loom.testing.processes import IngestWorkerProcess
from tests.modules.shopfloor.mqtt_fixtures import (
    forget_session,
    publish,
    subscribe_offline,
    unique_slug,
)

from .stream import Plant, assert_audit_intact, assert_counted_once, make_events, totals

#: 2 lines x 1,000 bundles x 9 operations = 18,000 "done" scans, plus 2,000 rework/defect
LINES, BUNDLES_PER_ORDER, EXTRA = 2, 1_000, 2_000
EVENTS = 20_000
PER_MESSAGE = 200
MESSAGES = EVENTS // PER_MESSAGE  # 100
#: messages 0..39 are committed before the kill; 40..59 are in flight when it comes
COMMITTED, IN_FLIGHT = range(0, 40), range(40, 60)
#: sent while the worker is down: two committed messages and one in flight, a second time
RESENT = [0, 39, 40]
SESSION_EXPIRY = 600
#: generous bound of every wait (a bound, not a timing assertion)
WAIT = 60.0
STOPPED = re.compile(
    r"stopped: (?P<messages>\d+) messages, (?P<events>\d+) events .*: accepted (?P<accepted>\d+), "
    r"duplicates (?P<duplicates>\d+), quarantined (?P<quarantined>\d+), rejected (?P<rejected>\d+)"
    r"; refused messages (?P<refused>\d+)"
)


@pytest.fixture
def broker() -> str:
    """Return the test broker's URL, or skip."""
    url = mqtt_url()
    if url is None:
        pytest.skip("LOOM_TEST_MQTT_URL not set: MQTT suite skipped")
    return url


def _seed_plant(factory: Factory) -> Plant:
    """Seed the sample factory under a slug (and so a topic) no earlier run used."""
    org = factory.org(unique_slug("mqtt-kill"))
    with session_scope(factory.runtime.session_factory) as session:
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(session, scope)
        sample = seed_sample_factory(
            session, scope, prefix="MK", lines=LINES, bundles_per_order=BUNDLES_PER_ORDER
        )
    token = factory.token(org, ["shopfloor.event.write"], kind="device")
    return Plant(org, sample, token, ticket_key(factory.runtime.settings.secret_key, org.id))


def _stored(engine: Engine, org_id: int, events: list[dict[str, Any]] | None = None) -> int:
    """Return how many events the organisation has stored (of ``events`` only, when given)."""
    query = select(func.count()).select_from(ScanEvent).where(ScanEvent.org_id == org_id)
    if events is not None:
        # v7 ids are their own storage keys
        query = query.where(ScanEvent.key.in_([uuid.UUID(e["id"]) for e in events]))
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def _wait(condition: Callable[[], bool], what: str, worker: IngestWorkerProcess) -> None:
    """Poll ``condition`` until true; fail with the worker's log if it dies or never gets there."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if not worker.alive or time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}:\n{worker.log_tail()}")
        time.sleep(0.1)


@contextmanager
def _writes_blocked(engine: Engine) -> Iterator[Connection]:
    """Hold a lock that makes the worker's next transaction wait, uncommitted, until released."""
    with engine.connect() as conn, conn.begin():
        # on SQLite the engine's BEGIN IMMEDIATE already holds the database's write lock
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"LOCK TABLE {ScanEvent.__tablename__} IN EXCLUSIVE MODE"))
        yield conn


def _postgres_waiters(engine: Engine) -> int:
    """Return how many other PostgreSQL sessions of this database wait for a lock."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    # a new transaction per call: pg_stat_activity is a snapshot taken once per transaction
    with engine.connect() as conn:
        return int(conn.scalar(query) or 0)


@pytest.mark.mqtt
@both_backends
def test_killed_mqtt_worker_loses_no_event_and_counts_none_twice(
    factory: Factory,
    loom_settings: Settings,
    broker: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client_id, group = unique_slug("fault-worker"), unique_slug("fault-group")
    # the worker's session exists before any worker runs: nothing published waits on a start
    subscribe_offline(broker, client_id, group)
    try:
        _kill_and_restart(factory, loom_settings, broker, tmp_path, client_id, group, monkeypatch)
    finally:
        forget_session(broker, client_id)


def _worker(settings: Settings, log: Path, client_id: str, group: str) -> IngestWorkerProcess:
    """Start ``loom ingest mqtt`` with the test's database, client id and share group."""
    return IngestWorkerProcess(
        settings,
        log,
        client_id=client_id,
        group=group,
        session_expiry=SESSION_EXPIRY,
        database_url=settings.database_url,
    )


def _kill_and_restart(
    factory: Factory,
    settings: Settings,
    broker: str,
    tmp_path: Path,
    client_id: str,
    group: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stream, kill with messages in flight, stream on, restart, and check the figures."""
    engine = factory.runtime.engine
    # importing Loom takes seconds: the first worker starts while the plant is seeded
    with _worker(settings, tmp_path / "worker-1.log", client_id, group) as first:
        plant = _seed_plant(factory)
        events = make_events(plant, EXTRA, seed=20260303)
        assert len(events) == EVENTS
        messages = [events[i : i + PER_MESSAGE] for i in range(0, EVENTS, PER_MESSAGE)]
        topic = events_topic(plant.org.slug)

        def send(indexes: list[int] | range) -> None:
            """Publish the messages at QoS 1; return once the broker has every one."""
            publish(broker, topic, [encode_events(messages[i]) for i in indexes], plant.token)

        # 1. the first 40 messages are committed
        send(COMMITTED)
        _wait(lambda: _stored(engine, plant.org.id) == 8_000, "8,000 stored events", first)

        # 2. 20 more reach a worker that cannot commit them; it is killed holding them
        with _writes_blocked(engine):
            send(IN_FLIGHT)
            # the broker has each of them (publish waited for its PUBACK) and sent it on to the
            # connected worker at once: there was room for RECEIVE_MAXIMUM (200) unacknowledged
            if engine.dialect.name == "postgresql":
                # and the worker does hold some: its transaction waits for the test's lock
                _wait(lambda: _postgres_waiters(engine) >= 1, "a waiting transaction", first)
            first.kill()
    # the killed transaction left nothing; everything committed before it stays
    assert _stored(engine, plant.org.id) == 8_000
    assert _stored(engine, plant.org.id, [e for i in IN_FLIGHT for e in messages[i]]) == 0

    # 3. the device goes on while no worker runs; the broker queues it all for the session
    send(RESENT)
    send(range(IN_FLIGHT.stop, MESSAGES))

    # 4. the same client id resumes the session: in-flight messages come again, then the queue
    with _worker(settings, tmp_path / "worker-2.log", client_id, group) as second:
        second.wait_for_output(f"{client_id} connected (session present: True)")
        _wait(lambda: _stored(engine, plant.org.id) == EVENTS, "20,000 stored events", second)
        second.stop()  # SIGTERM: it finishes its batch and logs its totals
    assert second.process.returncode == 0, second.log_tail()
    _assert_restarted_worker_totals(second)
    assert_counted_once(factory.runtime.session_factory, plant, events)
    _assert_applied_done(factory, plant, events)
    assert_audit_intact(settings, monkeypatch)


def _assert_restarted_worker_totals(worker: IngestWorkerProcess) -> None:
    """The second worker applied exactly what the first had not committed; resends were dups."""
    found = STOPPED.search(worker.log.read_text(errors="replace"))
    assert found is not None, worker.log_tail()
    totals_ = {name: int(value) for name, value in found.groupdict().items()}
    # 100 messages - 40 committed = 60 new ones: 12,000 events, each applied exactly once
    assert totals_["accepted"] == EVENTS - 8_000, totals_
    # the 3 resent messages are 600 duplicates. The broker may also redeliver a committed
    # message whose PUBACK the kill overtook (the worker commits, then acknowledges): whole
    # messages of duplicates, never an event applied twice
    redelivered, rest = divmod(totals_["duplicates"] - len(RESENT) * PER_MESSAGE, PER_MESSAGE)
    assert (rest, redelivered >= 0) == (0, True), totals_
    # every share group gets every organisation's events (``loom/+/events``): the messages of a
    # test or benchmark using the broker meanwhile reach this worker and are refused (their
    # tokens are not in this database), so they are told apart by that
    own = totals_["messages"] - totals_["refused"]
    assert own == 60 + len(RESENT) + redelivered, totals_
    assert totals_["events"] == own * PER_MESSAGE, totals_
    assert (totals_["quarantined"], totals_["rejected"]) == (0, 0), totals_


def _assert_applied_done(factory: Factory, plant: Plant, events: list[dict[str, Any]]) -> None:
    """The applied 'done' quantity equals what the stream sent, beside the shared checks."""
    expected = totals(events, plant.sample.operations)
    org = plant.org
    with session_scope(factory.runtime.session_factory) as session:
        bind_scope(session, system_scope(org.id, org.kind, "test"))
        assert _statuses(session, org.id) == {"applied": EVENTS}
        applied_done = session.scalar(
            select(func.sum(ScanEvent.qty)).where(
                ScanEvent.org_id == org.id, ScanEvent.status == "applied", ScanEvent.kind == "done"
            )
        )
    assert int(applied_done or 0) == expected["done"]


def _statuses(session: Session, org_id: int) -> dict[str, int]:
    """Return the number of stored events per status."""
    rows = session.execute(
        select(ScanEvent.status, func.count())
        .where(ScanEvent.org_id == org_id)
        .group_by(ScanEvent.status)
    ).all()
    return {status: int(count) for status, count in rows}
