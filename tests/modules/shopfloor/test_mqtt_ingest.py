"""The MQTT ingest worker against the real broker: commit, then acknowledge; refuse bad tokens.

Every test uses its own organisation slugs, share group and client ids, so sessions the broker
keeps between tests (persistence is on) cannot steal or replay another test's messages.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.identity.models import ApiToken
from loom.modules.shopfloor.engine.mqtt_topics import encode_events, events_topic
from loom.modules.shopfloor.models import Quarantined
from loom.settings import Settings
from loom.testing.databases import mqtt_url
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.mqtt_fixtures import (
    WRITE,
    Floor,
    Workers,
    forget_session,
    publish,
    subscribe_offline,
    unique_slug,
    wait_until,
)

#: ceiling for the worker process to start and connect (imports take long on a loaded machine)
START_WAIT = 120.0


@pytest.fixture
def broker() -> str:
    """Return the test broker's URL, or skip."""
    url = mqtt_url()
    if url is None:
        pytest.skip("LOOM_TEST_MQTT_URL not set: MQTT suite skipped")
    return url


@pytest.fixture
def workers(factory: Factory, broker: str) -> Iterator[Workers]:
    """Return the test's worker pool."""
    pool = Workers(factory, broker)
    yield pool
    pool.close()


@pytest.mark.mqtt
@both_backends
def test_published_events_reach_the_database(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqa")
    worker = workers.start()
    topic = events_topic(floor.org.slug)
    publish(
        broker,
        topic,
        [encode_events(floor.events(range(1, 6))), encode_events(floor.events(range(6, 11)))],
        floor.token,
    )
    wait_until(lambda: floor.count() == 10, "the ten events")
    # ten bundles of 20 pieces each, done once on the first operation
    assert floor.done_pieces() == 200
    assert (worker.stats.accepted, worker.stats.duplicates) == (10, 0)


@pytest.mark.mqtt
@both_backends
def test_a_resent_message_is_counted_as_duplicates(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqd")
    worker = workers.start()
    payload = encode_events(floor.events(range(1, 6)))
    publish(broker, events_topic(floor.org.slug), [payload], floor.token)
    wait_until(lambda: floor.count() == 5, "the first message")
    publish(broker, events_topic(floor.org.slug), [payload], floor.token)
    wait_until(lambda: worker.stats.duplicates == 5, "the resent message")
    assert floor.count() == 5
    assert floor.done_pieces() == 5 * 20
    assert (worker.stats.accepted, worker.stats.duplicates) == (5, 5)


@pytest.mark.mqtt
def test_bad_tokens_apply_nothing(
    factory: Factory, broker: str, workers: Workers, caplog: pytest.LogCaptureFixture
) -> None:
    floor = Floor(factory, "mqt")
    reader = factory.token(floor.org, ["shopfloor.event.read"], kind="device")
    revoked = factory.token(floor.org, WRITE, kind="device")
    expired = factory.token(floor.org, WRITE, kind="device")
    with factory.runtime.session_factory() as s:
        for plain, column in ((revoked, "revoked_at"), (expired, "expires_at")):
            token = s.scalars(select(ApiToken).where(ApiToken.prefix == plain.split("_")[1])).one()
            setattr(token, column, datetime.now(UTC) - timedelta(minutes=1))
        s.commit()
    workers.start()
    payload = encode_events(floor.events(range(1, 4)))
    topic = events_topic(floor.org.slug)
    caplog.set_level(logging.WARNING, "loom.shopfloor.mqtt")
    for token in (None, "loom_000000000000_forged", reader, revoked, expired):
        publish(broker, topic, [payload], token)
    # a good message last: once it is stored, the worker has judged the five before it
    publish(broker, topic, [encode_events(floor.events(range(9, 10)))], floor.token)
    wait_until(lambda: floor.count() == 1, "the good message after the bad ones")
    assert _refusals(caplog, topic) == [
        "no 'authorization: Bearer …' user property",
        "unknown bearer token",
        "the token lacks shopfloor.event.write",
        "this token was revoked",
        "this token has expired",
    ]
    assert floor.count(Quarantined) == 0


@pytest.mark.mqtt
def test_a_token_of_one_factory_cannot_post_into_another(
    factory: Factory, broker: str, workers: Workers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "loom.shopfloor.mqtt")
    mine, theirs = Floor(factory, "mqa"), Floor(factory, "mqb")
    workers.start()
    # the events are even signed for the victim's bundles: only the token is wrong
    publish(
        broker,
        events_topic(theirs.org.slug),
        [encode_events(theirs.events(range(1, 4)))],
        mine.token,
    )
    publish(
        broker, events_topic(mine.org.slug), [encode_events(mine.events(range(1, 3)))], mine.token
    )
    wait_until(lambda: mine.count() == 2, "the message on the token's own topic")
    assert theirs.count() == 0
    expected = f"the token is not one of organisation {theirs.org.slug!r}"
    assert _refusals(caplog, events_topic(theirs.org.slug)) == [expected]


@pytest.mark.mqtt
@both_backends
def test_two_workers_on_the_shared_subscription_split_the_stream(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqs")
    first, second = workers.start(), workers.start()
    payloads = [encode_events(floor.events(range(n, n + 1))) for n in range(1, 21)]
    publish(broker, events_topic(floor.org.slug), payloads, floor.token)
    wait_until(lambda: floor.count() == 20, "twenty events")
    assert first.stats.accepted > 0
    assert second.stats.accepted > 0
    assert first.stats.accepted + second.stats.accepted == 20


class _FailingCommits(Session):
    """A session whose commits fail while ``failures`` is positive (a database restart)."""

    failures = 0

    def commit(self) -> None:
        """Fail like a lost connection, or commit."""
        if type(self).failures:
            type(self).failures -= 1
            raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))
        super().commit()


def _failing_factory(factory: Factory, failures: int) -> sessionmaker[Session]:
    """Return a session factory whose next ``failures`` commits fail."""
    _FailingCommits.failures = failures
    return sessionmaker(bind=factory.runtime.engine, class_=_FailingCommits, expire_on_commit=False)


@pytest.mark.mqtt
@both_backends
def test_a_message_is_acknowledged_only_after_its_commit(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqf")
    client_id = unique_slug("w")
    broken = workers.start(client_id, _failing_factory(factory, failures=10**6))
    publish(
        broker,
        events_topic(floor.org.slug),
        [encode_events(floor.events(range(1, 6)))],
        floor.token,
    )
    wait_until(lambda: broken.stats.failures >= 2, "failed commits")
    broken.stop()
    assert broken.stats.acked == 0
    assert floor.count() == 0
    # the broker kept the unacknowledged message in the session and delivers it on restart
    restarted = workers.start(client_id)
    wait_until(lambda: floor.count() == 5, "the redelivered message")
    assert restarted.stats.accepted == 5


@pytest.mark.mqtt
@both_backends
def test_a_worker_waits_out_a_database_outage(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqo")
    worker = workers.start(session_factory=_failing_factory(factory, failures=3))
    publish(
        broker,
        events_topic(floor.org.slug),
        [encode_events(floor.events(range(1, 6)))],
        floor.token,
    )
    wait_until(lambda: floor.count() == 5, "the message after the outage")
    assert worker.stats.failures == 3
    assert floor.done_pieces() == 100


@pytest.mark.mqtt
def test_a_malformed_message_is_quarantined_and_acknowledged(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqm")
    workers.start()
    bad_event = {**floor.events(range(1, 2))[0], "qty": "many"}
    payloads = [b"not json at all", encode_events([bad_event, *floor.events(range(2, 4))])]
    publish(broker, events_topic(floor.org.slug), payloads, floor.token)
    wait_until(lambda: floor.count(Quarantined) == 2, "both messages")
    # the good events of the second message are kept; the bad one and the first message wait
    assert floor.count() == 2
    with factory.runtime.session_factory() as s:
        reasons = s.scalars(select(Quarantined.reason).where(Quarantined.org_id == floor.org.id))
        assert sorted(reasons) == ["malformed", "malformed"]


@pytest.mark.mqtt
def test_a_drained_worker_leaves_the_whole_stream_to_the_others(
    factory: Factory, broker: str, workers: Workers
) -> None:
    floor = Floor(factory, "mqr")
    staying, leaving = workers.start(), workers.start()
    leaving.drain(idle=0.5)
    payloads = [encode_events(floor.events(range(n, n + 1))) for n in range(1, 11)]
    publish(broker, events_topic(floor.org.slug), payloads, floor.token)
    # with a stopped (not drained) worker, Mosquitto would queue half of these for it
    wait_until(lambda: staying.stats.accepted == 10, "all ten messages at the remaining worker")
    assert floor.count() == 10
    assert leaving.stats.accepted == 0


@pytest.mark.mqtt
def test_the_ingest_command_runs_until_sigterm(
    factory: Factory, broker: str, loom_settings: Settings, tmp_path: Path
) -> None:
    # the worker process opens the test's own SQLite file (this test runs on SQLite only)
    assert loom_settings.database_url.startswith("sqlite")
    floor = Floor(factory, "mqcli")
    client_id = unique_slug("cli")
    group = unique_slug("g")
    env = {
        **os.environ,
        "LOOM_DATABASE_URL": loom_settings.database_url,
        "LOOM_SECRET_KEY": loom_settings.secret_key,
        "LOOM_MQTT_URL": broker,
        "LOOM_DATA_DIR": str(tmp_path),
    }
    loom = Path(sys.executable).with_name("loom")
    command = [str(loom), "ingest", "mqtt", "--client-id", client_id, "--group", group]
    # the worker's session exists before it starts: what is published meanwhile waits for it
    subscribe_offline(broker, client_id, group)
    publish(
        broker,
        events_topic(floor.org.slug),
        [encode_events(floor.events(range(1, 6)))],
        floor.token,
    )
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = _Output(process)
    try:
        # a loaded machine can take longer than WAIT just to import and connect: wait for the
        # worker's own "connected" line first, with a ceiling that only a hung start reaches
        assert output.wait_for(b"connected (session present", START_WAIT), output.text()
        wait_until(lambda: floor.count() == 5, "the events in the database")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=START_WAIT)
    finally:
        if process.poll() is None:
            process.kill()
        forget_session(broker, client_id)
        output.close()
    assert process.returncode == 0, output.text()
    assert b"accepted 5, duplicates 0" in output.text()
    assert floor.done_pieces() == 100


class _Output:
    """A process's output, read line by line on a thread so that a test can wait for a line."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        """Start reading ``process.stdout`` until its end."""
        self.lines: list[bytes] = []
        self.ended = False
        self._grew = threading.Condition()
        self._stdout = process.stdout
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self._stdout is not None
        for line in iter(self._stdout.readline, b""):
            with self._grew:
                self.lines.append(line)
                self._grew.notify_all()
        with self._grew:
            self.ended = True
            self._grew.notify_all()

    def wait_for(self, marker: bytes, timeout: float) -> bool:
        """Return once a line holds ``marker`` (True), or False at the end of output or timeout."""
        with self._grew:
            self._grew.wait_for(
                lambda: self.ended or any(marker in line for line in self.lines), timeout
            )
            return any(marker in line for line in self.lines)

    def close(self) -> None:
        """Read to the end (the process has exited or been killed) and close the pipe."""
        self.reader.join(START_WAIT)
        if self._stdout is not None:
            self._stdout.close()

    def text(self) -> bytes:
        """Return the output read so far."""
        with self._grew:
            return b"".join(self.lines)


def _refusals(caplog: pytest.LogCaptureFixture, topic: str) -> list[str]:
    """Return the reasons the worker logged for refusing messages on ``topic``, in order."""
    # other runs may publish on the shared broker: only this test's topic counts
    return [
        str(r.args[2])
        for r in caplog.records
        if r.name == "loom.shopfloor.mqtt" and isinstance(r.args, tuple) and r.args[1:2] == (topic,)
    ]
