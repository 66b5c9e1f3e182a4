"""The audit log: every change recorded in the same transaction, chained, and verifiable."""

from __future__ import annotations

import itertools

import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from loom.kernel.audit.models import AuditEvent
from loom.kernel.audit.service import GENESIS, daily_counts, event_digest, record
from loom.kernel.audit.verify import verify_chains
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import build_engine, make_session_factory, session_scope
from loom.kernel.tenancy.scope import Actor
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from loom.testing.plugin import both_backends
from tests.conftest import RunCli


def _make_history(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    for name in ("one", "two", "three"):
        made = pair.client_a.post(
            "/api/v1/tokens", json={"name": name, "permissions": ["kernel.home.view"], "days": 9}
        )
        assert made.status_code == 201


def _events(app: FastAPI) -> list[AuditEvent]:
    with session_scope(app.state.loom.session_factory) as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)))


@both_backends
def test_chain_links_every_event_to_its_predecessor(loom_app: FastAPI, factory: Factory) -> None:
    _make_history(factory)
    events = _events(loom_app)
    by_chain: dict[int, list[AuditEvent]] = {}
    for e in events:
        by_chain.setdefault(e.chain, []).append(e)
    for chain_events in by_chain.values():
        assert [e.seq for e in chain_events] == list(range(1, len(chain_events) + 1))
        assert chain_events[0].prev_hash == GENESIS
        for prev, cur in itertools.pairwise(chain_events):
            assert cur.prev_hash == prev.hash
        for e in chain_events:
            assert e.hash == event_digest(e)


@both_backends
def test_token_creation_is_recorded_with_actor_and_after_values(
    loom_app: FastAPI, factory: Factory
) -> None:
    _make_history(factory)
    created = [e for e in _events(loom_app) if e.action == "kernel.token.created"]
    assert [e.after["name"] for e in created] == ["one", "two", "three"]
    assert {e.actor_label for e in created} == {"alice"}
    assert all(e.request_id for e in created), "request id missing from API-made events"


@both_backends
def test_verify_passes_on_an_untouched_log(run_cli: RunCli, factory: Factory) -> None:
    _make_history(factory)
    result = run_cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "audit log intact" in result.output


@both_backends
def test_verify_catches_a_direct_update(
    loom_app: FastAPI, run_cli: RunCli, factory: Factory
) -> None:
    _make_history(factory)
    victim = next(e for e in _events(loom_app) if e.action == "kernel.token.created")
    with loom_app.state.loom.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET actor_label = 'someone-else' WHERE id = :id"),
            {"id": victim.id},
        )
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    assert f"id={victim.id}" in result.output
    assert "edited" in result.output


@both_backends
def test_verify_catches_a_direct_delete_in_the_middle(
    loom_app: FastAPI, run_cli: RunCli, factory: Factory
) -> None:
    _make_history(factory)
    chain_events = [e for e in _events(loom_app) if e.action == "kernel.token.created"]
    victim, successor = chain_events[0], chain_events[1]
    with loom_app.state.loom.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim.id})
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    # The first bad record is the one after the gap.
    assert f"id={successor.id}" in result.output
    assert "deleted" in result.output


@both_backends
def test_verify_catches_deleting_the_newest_record(
    loom_app: FastAPI, run_cli: RunCli, factory: Factory
) -> None:
    _make_history(factory)
    newest = max(
        (e for e in _events(loom_app) if e.action == "kernel.token.created"), key=lambda e: e.seq
    )
    with loom_app.state.loom.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": newest.id})
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    assert f"chain {newest.chain}" in result.output


def test_audit_events_cannot_be_changed_through_the_orm(
    loom_app: FastAPI, factory: Factory
) -> None:
    _make_history(factory)
    with loom_app.state.loom.session_factory() as s:
        event = s.scalars(select(AuditEvent)).first()
        assert event is not None
        event.action = "forged"
        with pytest.raises(PermissionError, match="append-only"):
            s.flush()
        s.rollback()
    with session_scope(loom_app.state.loom.session_factory) as s:
        assert verify_chains(s).ok


def test_failed_change_leaves_no_audit_record(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    before = len(_events(loom_app))
    bad = pair.client_a.post("/api/v1/tokens", json={"name": "x", "permissions": ["no.such"]})
    assert bad.status_code == 422
    assert len(_events(loom_app)) == before


def test_audit_page_lists_and_searches(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    pair.client_a.post("/api/v1/tokens", json={"name": "z", "permissions": ["kernel.home.view"]})
    page = pair.client_a.get("/audit")
    assert page.status_code == 200
    assert "kernel.token.created" in page.text
    filtered = pair.client_a.get("/audit", params={"q": "member"})
    assert "kernel.member.added" in filtered.text
    assert "kernel.token.created" not in filtered.text


def test_daily_counts_cover_fourteen_days_ending_today(loom_app: FastAPI, factory: Factory) -> None:
    _make_history(factory)
    org_a_events = [e for e in _events(loom_app) if e.chain == 1]
    with session_scope(loom_app.state.loom.session_factory) as s:
        counts = daily_counts(s, 1, 14)
    assert len(counts) == 14
    assert counts[-1] == (utcnow().date().isoformat(), len(org_a_events))
    assert sum(n for _, n in counts[:-1]) == 0


def test_home_page_embeds_the_activity_chart(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    page = pair.client_a.get("/")
    assert 'id="activity-chart"' in page.text
    assert "/static/vendor/echarts-6.1.0.min.js" in page.text
    assert pair.client_a.get("/static/vendor/echarts-6.1.0.min.js").status_code == 200


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_verify_holds_whatever_the_session_time_zone(
    loom_app: FastAPI, loom_db_url: str, factory: Factory
) -> None:
    """PostgreSQL returns timestamps in the session's zone; hashes must not depend on it."""
    _make_history(factory)
    shanghai = build_engine(loom_db_url, connect_args={"options": "-c timezone=Asia/Shanghai"})
    factory_sh = make_session_factory(shanghai)
    with session_scope(factory_sh) as s:
        assert s.scalar(text("SHOW timezone")) == "Asia/Shanghai"
        assert verify_chains(s).ok
        record(
            s,
            org_id=None,
            actor=Actor("system", "tz-test"),
            action="tz.checked",
            target_type="t",
            target_id=1,
        )
    shanghai.dispose()
    with session_scope(loom_app.state.loom.session_factory) as s:
        assert verify_chains(s).ok
