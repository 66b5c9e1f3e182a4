"""Two-organisation leak tests for the kernel's own tenant-owned data, on both backends."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.errors import NotFound
from loom.kernel.identity.models import ApiToken
from loom.kernel.identity.service import TokenRepository
from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends


def _create_token(client: TestClient) -> int:
    response = client.post(
        "/api/v1/tokens", json={"name": "scanner", "permissions": ["kernel.home.view"], "days": 5}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@both_backends
def test_tokens_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    tokens = TenantResource(
        name="api token",
        list_url="/api/v1/tokens",
        item_url="/api/v1/tokens/{id}",
        create=_create_token,
        update_body=None,
        deletable=False,
    )
    assert_tenant_isolation(pair, tokens)
    token_id = _create_token(pair.client_a)
    revoke = pair.client_b.post(f"/api/v1/tokens/{token_id}/revoke")
    assert revoke.status_code == 404
    assert pair.client_a.get(f"/api/v1/tokens/{token_id}").json()["revoked_at"] is None


@both_backends
def test_audit_trail_is_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    _create_token(pair.client_a)
    a_actions = [e["action"] for e in pair.client_a.get("/api/v1/audit").json()["items"]]
    b_events = pair.client_b.get("/api/v1/audit?limit=200").json()["items"]
    assert "kernel.token.created" in a_actions
    assert all(e["actor_label"] != "alice" for e in b_events)
    assert "kernel.token.created" not in [e["action"] for e in b_events]


@both_backends
def test_members_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    a_members = pair.client_a.get("/api/v1/members").json()
    b_members = pair.client_b.get("/api/v1/members").json()
    assert [m["username"] for m in a_members] == ["alice"]
    assert [m["username"] for m in b_members] == ["bob"]
    alice_membership = a_members[0]["membership_id"]
    hijack = pair.client_b.put(f"/api/v1/members/{alice_membership}", json={"role": "viewer"})
    assert hijack.status_code == 404
    assert pair.client_a.get("/api/v1/members").json()[0]["role"] == "admin"


@both_backends
def test_orm_queries_are_filtered_even_without_a_where(loom_app: FastAPI, factory: Factory) -> None:
    """The session-level wall: a service that forgets the org filter still sees one tenant."""
    pair = make_tenant_pair(factory)
    _create_token(pair.client_a)
    _create_token(pair.client_b)
    with session_scope(loom_app.state.loom.session_factory) as s:
        bind_scope(s, system_scope(pair.b.id, OrgKind.ENTERPRISE, "test"))
        seen = s.scalars(select(ApiToken)).all()  # deliberately no WHERE clause
        assert {t.org_id for t in seen} == {pair.b.id}
        assert len(seen) == 1


@both_backends
def test_writes_into_another_tenant_are_refused(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    token_id = _create_token(pair.client_a)
    factory_s = loom_app.state.loom.session_factory
    with session_scope(factory_s) as s:
        token = s.get(ApiToken, token_id)
        assert token is not None
        bind_scope(s, system_scope(pair.b.id, OrgKind.ENTERPRISE, "test"))
        token.name = "stolen"
        with pytest.raises(PermissionError, match="another organisation"):
            s.flush()
        s.rollback()
    assert pair.client_a.get(f"/api/v1/tokens/{token_id}").json()["name"] == "scanner"


def test_repository_get_of_foreign_id_is_not_found(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    token_id = _create_token(pair.client_a)
    with session_scope(loom_app.state.loom.session_factory) as s:
        repo = TokenRepository(s, system_scope(pair.b.id, OrgKind.ENTERPRISE, "test"))
        with pytest.raises(NotFound):
            repo.get(token_id)


def test_scope_cannot_be_forged() -> None:
    from loom.kernel.tenancy.scope import Actor, Scope

    with pytest.raises(TypeError, match=r"minted by loom\.kernel\.authz"):
        Scope(1, OrgKind.ENTERPRISE, Actor("user", "mallory"), frozenset({"*"}))


@both_backends
def test_an_id_no_integer_key_can_hold_is_simply_not_found(factory: Factory) -> None:
    # PostgreSQL refuses to compare an INTEGER key with 2**40 ("integer out of range"); the
    # repository answers 404 before asking, on every backend, instead of a 500.
    org = factory.org("acme", OrgKind.ENTERPRISE)
    factory.user("boss", (org, Role.MANAGER))
    client = factory.client("boss")
    for path in ("/api/v1/programme/projects/1099511627776", "/api/v1/assessment/assessments/0"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["error"]["code"] == "not_found"
