"""Pure MQTT helpers (topics, the token property, payloads, the cache) and ``token_scope``."""

from __future__ import annotations

import pytest

from loom.kernel.authz.guard import token_scope
from loom.kernel.errors import NotAuthenticated
from loom.modules.shopfloor.engine.mqtt_topics import (
    Decoded,
    TtlCache,
    bearer_of_properties,
    decode_events,
    events_topic,
    org_of_topic,
    shared_subscription,
    worker_client_id,
)
from loom.testing.factory import Factory


@pytest.mark.parametrize(
    ("topic", "slug"),
    [
        ("loom/garments/events", "garments"),
        ("loom//events", None),
        ("loom/garments/events/extra", None),
        ("other/garments/events", None),
        ("loom/garments/status", None),
    ],
)
def test_the_organisation_is_read_from_the_topic(topic: str, slug: str | None) -> None:
    assert org_of_topic(topic) == slug


def test_topics_and_the_shared_subscription() -> None:
    assert events_topic("garments") == "loom/garments/events"
    assert shared_subscription() == "$share/loom-ingest/loom/+/events"
    with pytest.raises(ValueError, match="share group"):
        shared_subscription("a/b")
    assert worker_client_id("loom-ingest-host", 0) == "loom-ingest-host"
    assert worker_client_id("loom-ingest-host", 2) == "loom-ingest-host-2"


@pytest.mark.parametrize(
    ("properties", "token"),
    [
        ([("authorization", "Bearer loom_abc_def")], "loom_abc_def"),
        ([("x-trace", "1"), ("Authorization", "bearer  loom_abc_def ")], "loom_abc_def"),
        ([("authorization", "Basic abc")], None),
        ([("authorization", "Bearer ")], None),
        ([], None),
    ],
)
def test_the_token_is_read_from_the_user_property(
    properties: list[tuple[str, str]], token: str | None
) -> None:
    assert bearer_of_properties(properties) == token


def test_payloads_must_be_json_arrays_of_at_most_10000_events() -> None:
    assert decode_events(b'[{"id": 1}]') == Decoded([{"id": 1}])
    assert decode_events(b"{").error == "payload is not JSON"
    assert decode_events(b'{"id": 1}').error == "payload must be a JSON array of events"
    assert "at most 10000" in decode_events(b"[" + b"0," * 10_000 + b"0]").error


def test_the_token_cache_forgets_after_its_time() -> None:
    now = [100.0]
    cache: TtlCache[str] = TtlCache(30, clock=lambda: now[0])
    cache.put("a", "scope-a")
    cache.put("b", "scope-b", ttl=5)  # a token expiring in 5 s is trusted 5 s only
    now[0] = 104.0
    assert (cache.get("a"), cache.get("b")) == ("scope-a", "scope-b")
    now[0] = 105.0
    assert (cache.get("a"), cache.get("b")) == ("scope-a", None)
    now[0] = 130.0
    assert cache.get("a") is None


def test_token_scope_mints_what_the_token_holds(factory: Factory) -> None:
    org = factory.org("tokscope")
    plain = factory.token(org, ["shopfloor.event.write", "shopfloor.event.read"], kind="device")
    runtime = factory.runtime
    with runtime.session_factory() as session:
        scope = token_scope(session, plain, runtime.registry)
        assert (scope.org_id, scope.actor.kind) == (org.id, "token")
        assert scope.permissions == {"shopfloor.event.write", "shopfloor.event.read"}
        assert scope.can("shopfloor.event.write")
        assert not scope.can("shopfloor.order.write")
        with pytest.raises(NotAuthenticated):
            token_scope(session, plain[:-2] + "xx", runtime.registry)
        with pytest.raises(NotAuthenticated):
            token_scope(session, "not-a-token", runtime.registry)
