"""Passwords, session cookies, CSRF and bearer tokens."""

from __future__ import annotations

from datetime import timedelta

import itsdangerous.timed
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.authz.principal import SESSION_COOKIE, session_serializer
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.identity.models import ApiToken, User
from loom.kernel.identity.secrets import split_token
from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import TEST_PASSWORD, Factory
from loom.testing.leak import make_tenant_pair


def test_passwords_are_stored_as_argon2id(loom_app: FastAPI, factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    with session_scope(loom_app.state.loom.session_factory) as s:
        user = s.scalar(select(User).where(User.username == "alice"))
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert TEST_PASSWORD not in user.password_hash


def test_wrong_password_is_refused_without_saying_which_part(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client()
    csrf = client.cookies[CSRF_COOKIE]
    for username in ("alice", "nobody"):
        page = client.post(
            "/login",
            data={"username": username, "password": "wrong-password", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert page.status_code == 400
        assert SESSION_COOKIE not in page.cookies
    assert client.get("/api/v1/me").status_code == 401


def test_login_without_csrf_token_is_refused(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client()
    page = client.post(
        "/login", data={"username": "alice", "password": TEST_PASSWORD}, follow_redirects=False
    )
    assert page.status_code == 403
    assert client.get("/api/v1/me").status_code == 401


def test_cookie_session_needs_csrf_header_for_changes(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    client = pair.client_a
    body = {"name": "x", "permissions": ["kernel.home.view"]}
    del client.headers["X-CSRF-Token"]
    refused = client.post("/api/v1/tokens", json=body)
    assert refused.status_code == 403
    assert "security token" in refused.json()["error"]["message"]
    client.headers["X-CSRF-Token"] = "not-the-cookie-value"
    assert client.post("/api/v1/tokens", json=body).status_code == 403
    client.headers["X-CSRF-Token"] = client.cookies[CSRF_COOKIE]
    assert client.post("/api/v1/tokens", json=body).status_code == 201


def test_expired_session_cookie_is_refused(
    loom_app: FastAPI, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factory.org("acme")
    user_id = factory.user("alice", (org, Role.ADMIN))
    settings = loom_app.state.loom.settings
    serializer = session_serializer(settings.secret_key)
    # Sign a cookie as if it had been issued longer ago than the maximum age.
    old = utcnow() - timedelta(seconds=settings.session_max_age_seconds + 5)
    with monkeypatch.context() as patch:
        patch.setattr(itsdangerous.timed.time, "time", lambda: old.timestamp())
        cookie = serializer.dumps({"u": user_id, "o": org.id, "e": 0})
    client = TestClient(loom_app, cookies={SESSION_COOKIE: cookie})
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_forged_cookie_is_refused(loom_app: FastAPI, factory: Factory) -> None:
    org = factory.org("acme")
    user_id = factory.user("alice", (org, Role.ADMIN))
    forged = session_serializer("some-other-secret").dumps({"u": user_id, "o": org.id, "e": 0})
    client = TestClient(loom_app, cookies={SESSION_COOKIE: forged})
    assert client.get("/api/v1/me").status_code == 401


def test_logout_everywhere_invalidates_old_cookies(loom_app: FastAPI, factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client("alice")
    assert client.get("/api/v1/me").status_code == 200
    with session_scope(loom_app.state.loom.session_factory) as s:
        s.execute(update(User).where(User.username == "alice").values(session_epoch=1))
    assert client.get("/api/v1/me").status_code == 401


def test_user_switches_between_organisations(factory: Factory) -> None:
    a = factory.org("org-a", OrgKind.ENTERPRISE, name="Factory A")
    c = factory.org("org-c", OrgKind.CONTRACTOR, name="Contractor C")
    factory.user("zhao", (c, Role.ADMIN), (a, Role.VIEWER))
    client = factory.client("zhao")
    me = client.get("/api/v1/me").json()
    assert {m["org_slug"] for m in me["memberships"]} == {"org-a", "org-c"}
    start = me["org_id"]
    other = a.id if start == c.id else c.id
    switched = client.post("/org/switch", data={"org_id": other}, follow_redirects=False)
    assert switched.status_code == 303
    after = client.get("/api/v1/me").json()
    assert after["org_id"] == other
    # A viewer at A may not manage tokens there, although zhao is admin at C.
    if other == a.id:
        assert "kernel.token.manage" not in after["permissions"]
        assert client.get("/api/v1/tokens").status_code == 403


def test_cannot_switch_into_an_organisation_one_is_not_member_of(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.post("/org/switch", data={"org_id": pair.b.id}, follow_redirects=False)
    assert response.status_code == 404
    assert pair.client_a.get("/api/v1/me").json()["org_id"] == pair.a.id


def test_token_is_shown_once_and_stored_hashed(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    made = pair.client_a.post(
        "/api/v1/tokens",
        json={
            "name": "line 3 scanner",
            "kind": "device",
            "permissions": ["kernel.home.view"],
            "days": 30,
        },
    ).json()
    plain = made["token"]
    prefix, secret = split_token(plain) or ("", "")
    assert made["prefix"] == prefix
    listed = pair.client_a.get("/api/v1/tokens").json()["items"][0]
    assert "token" not in listed
    with session_scope(loom_app.state.loom.session_factory) as s:
        row = s.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
        assert row is not None
        assert secret not in row.secret_hash
        assert row.kind == "device"


def test_token_authenticates_records_last_use_and_is_limited(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    plain = factory.token(pair.a, ["kernel.profile.view"])
    device = factory.token_client(plain)
    me = device.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["org_id"] == pair.a.id
    assert me.json()["permissions"] == ["kernel.profile.view"]
    assert device.get("/api/v1/tokens").status_code == 403  # not in its permission list
    listed = pair.client_a.get("/api/v1/tokens").json()["items"]
    assert listed[0]["last_used_at"] is not None


def test_token_cannot_reach_another_organisation(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    plain = factory.token(pair.a, ["kernel.token.read", "kernel.profile.view"])
    device = factory.token_client(plain)
    b_token = pair.client_b.post(
        "/api/v1/tokens", json={"name": "b", "permissions": ["kernel.home.view"]}
    )
    assert device.get(f"/api/v1/tokens/{b_token.json()['id']}").status_code == 404


def test_revoked_and_expired_tokens_stop_working(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    plain = factory.token(pair.a, ["kernel.profile.view"])
    device = factory.token_client(plain)
    assert device.get("/api/v1/me").status_code == 200
    token_id = pair.client_a.get("/api/v1/tokens").json()["items"][0]["id"]
    assert pair.client_a.post(f"/api/v1/tokens/{token_id}/revoke").status_code == 200
    revoked = device.get("/api/v1/me")
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["error"]["message"]

    plain2 = factory.token(pair.a, ["kernel.profile.view"])
    with session_scope(loom_app.state.loom.session_factory) as s:
        s.execute(
            update(ApiToken)
            .where(ApiToken.prefix == split_token(plain2)[0])  # type: ignore[index]
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = factory.token_client(plain2).get("/api/v1/me")
    assert expired.status_code == 401
    assert "expired" in expired.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "permissions": ["kernel.home.view"]}, "name"),
        ({"name": "x", "permissions": []}, "permissions"),
        ({"name": "x", "permissions": ["no.such.permission"]}, "permissions"),
        ({"name": "x", "permissions": ["kernel.home.view"], "days": 0}, "days"),
        ({"name": "x", "permissions": ["kernel.home.view"], "kind": "robot"}, "kind"),
    ],
)
def test_token_validation_names_the_field(
    factory: Factory, body: dict[str, object], field: str
) -> None:
    pair = make_tenant_pair(factory)
    response = pair.client_a.post("/api/v1/tokens", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["message"]
    assert pair.client_a.get("/api/v1/tokens").json()["total"] == 0


def test_token_cannot_exceed_creator_permissions(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("boss", (org, Role.ADMIN))
    factory.user("lead", (org, Role.MANAGER))
    boss = factory.client("boss")
    # Managers may read tokens but not manage them: the route refuses.
    lead = factory.client("lead")
    assert (
        lead.post(
            "/api/v1/tokens", json={"name": "x", "permissions": ["kernel.home.view"]}
        ).status_code
        == 403
    )
    # An admin may not grant a permission that admins of an enterprise do not hold.
    response = boss.post(
        "/api/v1/tokens",
        json={"name": "x", "permissions": ["kernel.org.export", "kernel.home.view"]},
    )
    assert response.status_code == 201
