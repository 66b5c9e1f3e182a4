"""Ingest channels apart from their transports: names, batches, results and set-asides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.messaging.ingest import (
    BatchError,
    ChannelRoute,
    apply_batch,
    channel_routes,
    checked,
    decode_batch,
    set_aside,
)
from loom.kernel.plugins.spec import AppSpec, IngestChannel, IngestResult
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.ingest import body_limit
from loom.modules.shopfloor.engine.mqtt_topics import channel_subscription, split_topic
from loom.testing.factory import Factory


def _count_all(_session: Any, _scope: Scope, records: Sequence[Any]) -> IngestResult:
    """Accept every record but the ones that are not objects."""
    bad = tuple(
        (i, "record: a JSON object is required")
        for i, r in enumerate(records)
        if not isinstance(r, dict)
    )
    return IngestResult(accepted=len(records) - len(bad), rejected=bad)


def _app(slug: str, *names: str) -> AppSpec:
    channels = tuple(IngestChannel(n, _count_all, f"{slug}.x.write") for n in names)
    return AppSpec(slug=slug, name=slug, version="1", ingest_channels=channels)


def test_channels_are_found_by_name_and_clashes_refused() -> None:
    routes = channel_routes([_app("one", "vibration"), _app("two", "meters")])
    assert sorted(routes) == ["meters", "vibration"]
    assert routes["meters"].app.slug == "two"
    with pytest.raises(ValueError, match="'meters' of 'three' and 'two'"):
        channel_routes([_app("two", "meters"), _app("three", "meters")])
    # the scan stream's name is taken; a name is one topic level and one URL segment
    for bad in ("events", "a/b", "Meters", "x", "m+"):
        with pytest.raises(ValueError, match="bad ingest channel name"):
            channel_routes([_app("one", bad)])


def test_the_installed_apps_declare_the_telemetry_channel(loom_app: FastAPI) -> None:
    routes = channel_routes(loom_app.state.loom.apps.values())
    assert routes["telemetry"].app.slug == "equipment"
    assert routes["telemetry"].channel.permission == "equipment.telemetry.write"


def test_batches_are_json_arrays_of_bounded_length() -> None:
    assert decode_batch(b'[{"a": 1}, 2]', 2) == [{"a": 1}, 2]
    for payload, message, too_large in (
        (b"{", "body: not valid JSON", False),
        (b"{}", "body: a JSON array of records is required", False),
        (b"[1, 2, 3]", "body: at most 2 records per batch", True),
    ):
        with pytest.raises(BatchError) as info:
            decode_batch(payload, 2)
        assert (info.value.message, info.value.too_large) == (message, too_large)
    # 1 MiB plus 1 KiB per record
    assert body_limit(10) == 1_048_576 + 10 * 1_024


def test_a_handler_result_must_describe_its_batch() -> None:
    fine = IngestResult(accepted=1, duplicates=1, rejected=((2, "x: bad"),))
    assert checked(fine, 3) is fine
    for impossible in (
        IngestResult(accepted=4),
        IngestResult(accepted=-1),
        IngestResult(accepted=0, rejected=((3, "x"),)),
        IngestResult(accepted=0, rejected=((1, "x"), (1, "y"))),
    ):
        with pytest.raises(RuntimeError, match="impossible result"):
            checked(impossible, 3)


def test_topics_of_channels() -> None:
    assert channel_subscription("telemetry") == "$share/loom-ingest/loom/+/telemetry"
    assert channel_subscription("telemetry", "g2") == "$share/g2/loom/+/telemetry"
    with pytest.raises(ValueError, match="channel name"):
        channel_subscription("a/b")
    assert split_topic("loom/mill/telemetry") == ("mill", "telemetry")
    assert split_topic("loom/mill/events") == ("mill", "events")
    for other in ("loom/mill", "loom//telemetry", "x/mill/telemetry", "loom/mill/telemetry/x"):
        assert split_topic(other) is None


def test_refused_records_without_a_channel_store_go_to_the_audit_log(factory: Factory) -> None:
    org = factory.org("mill")
    scope = system_scope(org.id, org.kind, "test")
    route = ChannelRoute(IngestChannel("vibration", _count_all, "one.x.write"), _app("one"))
    with factory.runtime.session_factory() as s:
        result = apply_batch(s, scope, route, [{"v": 1}, "junk"], keep_refused=True)
        s.commit()
    assert (result.accepted, result.rejected) == (1, ((1, "record: a JSON object is required"),))
    with factory.runtime.session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.org_id == org.id)).all()[-1]
    assert event.action == "one.ingest.set_aside"
    assert (event.target_type, event.target_id) == ("ingest_channel", "vibration")
    assert event.after == {
        "items": [{"item": "junk", "reason": "record: a JSON object is required"}]
    }


def test_a_channel_may_keep_refused_records_itself(factory: Factory) -> None:
    org = factory.org("mill")
    scope = system_scope(org.id, org.kind, "test")
    kept: list[tuple[Any, str]] = []

    def keep(_session: Any, _scope: Scope, items: Sequence[tuple[Any, str]]) -> None:
        """Remember what was set aside."""
        kept.extend(items)

    channel = IngestChannel("vibration", _count_all, "one.x.write", set_aside=keep)
    with factory.runtime.session_factory() as s:
        before = len(s.scalars(select(AuditEvent).where(AuditEvent.org_id == org.id)).all())
        set_aside(s, scope, ChannelRoute(channel, _app("one")), [(7, "x: bad")])
        after = len(s.scalars(select(AuditEvent).where(AuditEvent.org_id == org.id)).all())
    assert kept == [(7, "x: bad")]
    assert after == before
