"""The ingest worker's batches without a broker: one transaction, cached tokens, set-asides."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.plugins.enablement import set_enabled
from loom.kernel.tenancy.models import Organisation
from loom.modules.shopfloor.engine.mqtt_topics import Message, encode_events, events_topic
from loom.modules.shopfloor.models import Quarantined
from loom.modules.shopfloor.service import mqtt_ingest
from loom.modules.shopfloor.service.mqtt_ingest import IngestWorker
from loom.testing.factory import Factory
from tests.modules.shopfloor.mqtt_fixtures import Floor


class _Acks:
    """Stands in for the paho client: records acknowledgements."""

    def __init__(self) -> None:
        """Set up."""
        self.acked: list[int] = []

    def ack(self, mid: int, qos: int) -> None:
        """Record an acknowledgement."""
        self.acked.append(mid)


def _worker(factory: Factory, **options: Any) -> tuple[IngestWorker, _Acks]:
    """Return a worker that is not connected, with a stand-in client recording its acks."""
    runtime = factory.runtime
    worker = IngestWorker(
        url="mqtt://unused",
        session_factory=runtime.session_factory,
        registry=runtime.registry,
        secret_key=runtime.settings.secret_key,
        client_id="unit",
        **options,
    )
    acks = _Acks()
    worker._client = acks  # type: ignore[assignment]
    return worker, acks


def test_queued_messages_share_one_transaction_and_tokens_are_cached(factory: Factory) -> None:
    floor = Floor(factory, "mqc")
    runtime = factory.runtime
    worker, acks = _worker(factory)
    topic = events_topic(floor.org.slug)
    for mid, n in enumerate(range(1, 6), start=1):
        payload = encode_events(floor.events(range(n, n + 1)))
        worker._queue.put(Message(mid, 1, topic, payload, floor.token))
    token_queries: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        """Record SELECTs on the token table."""
        if "identity_api_token" in statement and statement.lstrip().upper().startswith("SELECT"):
            token_queries.append(statement)

    batch = worker._take_batch()
    assert len(batch) == 5
    assert worker._process(batch)
    event.listen(runtime.engine, "before_cursor_execute", count)
    try:
        worker._queue.put(
            Message(6, 1, topic, encode_events(floor.events(range(6, 7))), floor.token)
        )
        assert worker._process(worker._take_batch())
    finally:
        event.remove(runtime.engine, "before_cursor_execute", count)
    assert acks.acked == [1, 2, 3, 4, 5, 6]
    assert worker.stats.batches == 2
    assert floor.count() == 6
    # the second batch trusted the token the first one verified
    assert token_queries == []


def test_an_organisation_without_the_shopfloor_app_is_refused(factory: Factory) -> None:
    floor = Floor(factory, "mqx")
    runtime = factory.runtime
    spec = runtime.apps["shopfloor"]
    with runtime.session_factory() as s:
        org = s.get(Organisation, floor.org.id)
        assert org is not None
        set_enabled(s, system_scope(org.id, org.kind, "test"), org, spec, enabled=False)
        s.commit()
    worker, acks = _worker(factory, app=spec)
    payload = encode_events(floor.events(range(1, 4)))
    assert worker._process([Message(7, 1, events_topic(floor.org.slug), payload, floor.token)])
    # refused, yet acknowledged: a resend could not fare better
    assert (acks.acked, worker.stats.refused, floor.count()) == ([7], 1, 0)


def test_a_message_that_keeps_failing_is_set_aside_and_the_others_go_on(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    floor = Floor(factory, "mqp")
    real_store = mqtt_ingest.store_many

    def store_many(session: Session, batches: Any, **kwargs: Any) -> Any:
        """Fail on bundle 13 as a bug would; store the rest."""
        for prepared in batches:
            if any(event.bundle == 13 for _index, event in prepared.fresh.values()):
                raise RuntimeError("a bug in the ingest")
        return real_store(session, batches, **kwargs)

    monkeypatch.setattr(mqtt_ingest, "store_many", store_many)
    worker, acks = _worker(factory, backoff=0.01)
    topic = events_topic(floor.org.slug)
    batch = [
        Message(mid, 1, topic, encode_events(floor.events(range(n, n + 1))), floor.token)
        for mid, n in ((1, 11), (2, 13), (3, 15))
    ]
    assert worker._process(batch)
    assert acks.acked == [1, 2, 3]
    # bundles 11 and 15 stored; the message with 13 kept in the quarantine with the error
    assert floor.count() == 2
    with factory.runtime.session_factory() as s:
        kept = s.scalars(select(Quarantined).where(Quarantined.org_id == floor.org.id)).one()
    assert kept.reason == "malformed"
    assert "a bug in the ingest" in kept.detail
    # the batch failed once, then the lone message three times before it was set aside
    assert worker.stats.failures == 4
