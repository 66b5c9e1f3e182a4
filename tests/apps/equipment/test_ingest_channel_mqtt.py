"""Telemetry over MQTT with the real broker: stored once, acknowledged after the commit.

Each test uses its own organisation slug, share group and client id, so sessions the broker
keeps between tests cannot steal or replay another test's messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.kernel.audit.models import AuditEvent
from loom.kernel.messaging.ingest import channel_routes
from loom.modules.shopfloor.engine.mqtt_topics import channel_topic
from loom.modules.shopfloor.service.mqtt_ingest import IngestWorker
from loom.testing.databases import mqtt_url
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.apps.equipment.telemetry_fixtures import TELEMETRY_WRITE, count, seed_ledger, state
from tests.modules.shopfloor.mqtt_fixtures import WAIT, forget_session, publish, unique_slug
from tests.modules.shopfloor.mqtt_fixtures import wait_until as wait_for


@pytest.fixture
def broker() -> str:
    """Return the test broker's URL, or skip."""
    url = mqtt_url()
    if url is None:
        pytest.skip("LOOM_TEST_MQTT_URL not set: MQTT suite skipped")
    return url


class Pool:
    """Telemetry-taking workers of one share group; their sessions are removed afterwards."""

    def __init__(self, factory: Factory, url: str) -> None:
        """Remember the factory and broker."""
        self.factory, self.url, self.group = factory, url, unique_slug("g")
        self.started: list[IngestWorker] = []

    def start(
        self, client_id: str = "", session_factory: sessionmaker[Session] | None = None
    ) -> IngestWorker:
        """Start a worker taking every registered channel and wait for its subscription."""
        runtime = self.factory.runtime
        worker = IngestWorker(
            url=self.url,
            session_factory=session_factory or runtime.session_factory,
            registry=runtime.registry,
            secret_key=runtime.settings.secret_key,
            client_id=client_id or unique_slug("w"),
            group=self.group,
            backoff=0.05,
            app=runtime.apps.get("shopfloor"),
            channels=list(channel_routes(runtime.apps.values()).values()),
        )
        worker.start()
        assert worker.subscribed.wait(WAIT)
        self.started.append(worker)
        return worker

    def close(self) -> None:
        """Stop every worker and forget its session."""
        for worker in self.started:
            worker.stop()
        for client_id in {w.client_id for w in self.started}:
            forget_session(self.url, client_id)


@pytest.fixture
def pool(factory: Factory, broker: str) -> Iterator[Pool]:
    """Return the test's workers."""
    workers = Pool(factory, broker)
    yield workers
    workers.close()


def _stored(factory: Factory, org: OrgRef) -> int:
    with factory.runtime.session_factory() as s:
        return s.scalar(select(func.count()).where(TelemetryRecord.org_id == org.id)) or 0


def _plant(factory: Factory, name: str) -> tuple[OrgRef, str]:
    org = factory.org(unique_slug(name))
    seed_ledger(factory.runtime.session_factory, org.id)
    return org, factory.token(org, TELEMETRY_WRITE, kind="device")


@pytest.mark.mqtt
@both_backends
def test_telemetry_is_stored_exactly_once(factory: Factory, broker: str, pool: Pool) -> None:
    org, token = _plant(factory, "tel")
    worker = pool.start()
    batch = orjson.dumps([state(0, "M01", "running"), count(10, "M01", 30, 1)])
    topic = channel_topic(org.slug, "telemetry")
    publish(broker, topic, [batch], token)
    wait_for(lambda: _stored(factory, org) == 2, "the two records")
    # the device resends (it saw no PUBACK): duplicates, nothing stored twice
    publish(broker, topic, [batch], token)
    wait_for(lambda: worker.stats.duplicates == 2, "the resent message")
    # both messages are acknowledged, each after its commit
    wait_for(lambda: worker.stats.acked == 2, "the second acknowledgement")
    assert _stored(factory, org) == 2
    assert worker.stats.accepted == 2


class _FailingCommits(Session):
    """A session whose commits fail while ``failures`` is positive (a database restart)."""

    failures = 0

    def commit(self) -> None:
        """Fail like a lost connection, or commit."""
        from sqlalchemy.exc import OperationalError

        if type(self).failures:
            type(self).failures -= 1
            raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))
        super().commit()


@pytest.mark.mqtt
def test_telemetry_is_acknowledged_only_after_its_commit(
    factory: Factory, broker: str, pool: Pool
) -> None:
    org, token = _plant(factory, "tack")
    client_id = unique_slug("w")
    _FailingCommits.failures = 10**6
    broken_sessions = sessionmaker(
        bind=factory.runtime.engine, class_=_FailingCommits, expire_on_commit=False
    )
    broken = pool.start(client_id, broken_sessions)
    topic = channel_topic(org.slug, "telemetry")
    publish(broker, topic, [orjson.dumps([state(0, "M02", "idle")])], token)
    wait_for(lambda: broken.stats.failures >= 2, "failed commits")
    broken.stop()
    assert broken.stats.acked == 0
    assert _stored(factory, org) == 0
    # the broker kept the unacknowledged message and hands it to the restarted worker
    restarted = pool.start(client_id)
    wait_for(lambda: _stored(factory, org) == 1, "the redelivered message")
    assert restarted.stats.accepted == 1


@pytest.mark.mqtt
def test_refused_records_and_bad_messages_are_set_aside(
    factory: Factory, broker: str, pool: Pool, caplog: pytest.LogCaptureFixture
) -> None:
    org, token = _plant(factory, "tbad")
    other, _other_token = _plant(factory, "tvictim")
    scans_only = factory.token(org, ["shopfloor.event.write"], kind="device")
    worker = pool.start()
    caplog.set_level(logging.WARNING, "loom.shopfloor.mqtt")
    topic = channel_topic(org.slug, "telemetry")
    publish(broker, topic, [orjson.dumps([state(0, "M01", "running")])], scans_only)
    publish(
        broker,
        channel_topic(other.slug, "telemetry"),
        [orjson.dumps([state(0, "M01", "idle")])],
        token,
    )
    good_and_bad = [state(1, "M01", "running"), state(2, "M77", "down", "jam")]
    publish(broker, topic, [b"not json", orjson.dumps(good_and_bad)], token)
    wait_for(lambda: worker.stats.rejected == 2, "both refusals set aside")
    assert worker.stats.refused == 2
    assert (_stored(factory, org), _stored(factory, other)) == (1, 0)
    with factory.runtime.session_factory() as s:
        kept = s.scalars(
            select(AuditEvent).where(
                AuditEvent.org_id == org.id, AuditEvent.action == "equipment.ingest.set_aside"
            )
        ).all()
    items = sorted((i["reason"], str(i["item"])) for e in kept for i in e.after["items"])
    assert [reason for reason, _item in items] == [
        "body: not valid JSON",
        "machine: no machine with code 'M77'",
    ]
    assert "not json" in items[0][1]
    refusals = [r.getMessage() for r in caplog.records if "refused a message" in r.getMessage()]
    assert any("the token lacks equipment.telemetry.write" in m for m in refusals)
    assert any(f"the token is not one of organisation {other.slug!r}" in m for m in refusals)
