"""Login throttling per client, account lockout after wrong passwords, CSRF rotation at login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.authz.principal import SESSION_COOKIE
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.identity import service as identity
from loom.kernel.identity.models import User
from loom.kernel.identity.throttle import LoginThrottle
from loom.kernel.tenancy.models import Role
from loom.testing.factory import TEST_PASSWORD, Factory
from loom.testing.plugin import both_backends


def _try(client: TestClient, username: str, password: str) -> int:
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": client.cookies[CSRF_COOKIE],
        },
        follow_redirects=False,
    )
    return response.status_code


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    loom_app: FastAPI, factory: Factory
) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client()
    # the default limit (Settings.login_max_failures) is 5 wrong passwords in a row
    assert [_try(client, "alice", "wrong-password") for _ in range(5)] == [400] * 5
    page = client.post(
        "/login",
        data={
            "username": "alice",
            "password": TEST_PASSWORD,
            "csrf_token": client.cookies[CSRF_COOKIE],
        },
        follow_redirects=False,
    )
    assert page.status_code == 423
    assert SESSION_COOKIE not in page.cookies
    # 15 minutes by default; the message says how long, in the default language
    assert "已被锁定，15 分钟后解锁" in page.text
    with session_scope(loom_app.state.loom.session_factory) as s:
        user = s.scalar(select(User).where(User.username == "alice"))
        assert user is not None
        assert user.locked_until is not None
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(user.id)))
        assert "identity.user.locked" in set(actions)
        # the lock runs out: move it into the past and the right password works again
        s.execute(
            update(User).where(User.id == user.id).values(locked_until=utcnow() - timedelta(1))
        )
    assert _try(client, "alice", TEST_PASSWORD) == 303


def test_a_right_password_resets_the_count_of_wrong_ones(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client()
    assert [_try(client, "alice", "wrong-password") for _ in range(4)] == [400] * 4
    assert _try(client, "alice", TEST_PASSWORD) == 303
    fresh = factory.client()
    # four more wrong ones do not reach the limit: the count started again at the success
    assert [_try(fresh, "alice", "wrong-password") for _ in range(4)] == [400] * 4
    assert _try(fresh, "alice", TEST_PASSWORD) == 303


def test_one_client_trying_many_usernames_must_wait(factory: Factory) -> None:
    client = factory.client()
    # Settings.login_client_failures: 20 failures per 5-minute window from one address
    codes = [_try(client, f"nobody{i}", "wrong-password") for i in range(20)]
    assert codes == [400] * 20
    response = client.post(
        "/login",
        data={"username": "x", "password": "y", "csrf_token": client.cookies[CSRF_COOKIE]},
        follow_redirects=False,
    )
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 300


def test_throttle_window_slides() -> None:
    now = [1000.0]
    throttle = LoginThrottle(limit=3, window_seconds=60, clock=lambda: now[0])
    for step in (0, 10, 20):
        now[0] = 1000.0 + step
        throttle.failed("10.0.0.1")
    now[0] = 1030.0
    # the oldest failure (t=1000) leaves the window at t=1060: 30 s + 1 to wait
    assert throttle.wait_seconds("10.0.0.1") == 31
    assert throttle.wait_seconds("10.0.0.2") == 0
    now[0] = 1060.0
    assert throttle.wait_seconds("10.0.0.1") == 0


def test_login_hands_out_a_new_csrf_secret(factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client()
    before = client.cookies[CSRF_COOKIE]
    assert _try(client, "alice", TEST_PASSWORD) == 303
    after = client.cookies[CSRF_COOKIE]
    assert after != before
    # the secret seen before login no longer passes for a change
    client.headers["X-CSRF-Token"] = before
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403


@both_backends
def test_no_connection_is_checked_out_while_the_password_is_hashed(
    loom_app: FastAPI, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client()
    pool = loom_app.state.loom.engine.pool
    held: list[int] = []
    real = identity.verify_password

    def verify(password_hash: str, password: str) -> bool:
        held.append(pool.checkedout())
        return real(password_hash, password)

    monkeypatch.setattr(identity, "verify_password", verify)
    # right password, wrong password, unknown user (checked against the dummy hash)
    codes = [_try(client, "alice", TEST_PASSWORD), _try(client, "alice", "wrong-password")]
    codes.append(_try(client, "nobody", "wrong-password"))
    assert codes == [303, 400, 400]
    # one check per attempt, each with the whole pool free for other requests
    assert held == [0, 0, 0]


def test_attempts_checked_at_the_same_time_all_count(loom_app: FastAPI, factory: Factory) -> None:
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    sessions = loom_app.state.loom.session_factory
    with session_scope(sessions) as s:
        attempt = identity.read_login(s, "Alice ")
    assert attempt is not None
    # two wrong passwords read the same row before either is written
    wrong = [identity.check_password(attempt, "wrong-password") for _ in range(2)]
    right = identity.check_password(attempt, TEST_PASSWORD)
    assert [v.ok for v in (*wrong, right)] == [False, False, True]
    for verdict in wrong:
        with session_scope(sessions) as s:
            assert identity.record_login(s, verdict, max_failures=2) is None
    # the second failure reached the limit of 2: the right password checked before is refused
    with session_scope(sessions) as s, pytest.raises(identity.LockedOut):
        identity.record_login(s, right, max_failures=2)
    with session_scope(sessions) as s:
        user = s.scalar(select(User).where(User.username == "alice"))
        assert user is not None
        assert user.locked_until is not None
        assert user.last_login_at is None


def test_a_concurrent_rehash_does_not_refuse_the_right_password(
    loom_app: FastAPI, factory: Factory
) -> None:
    # Seen in the load smoke: twenty logins of one account read its old-profile hash together;
    # the first rewrote it (rehash), and the others were refused as if the password had changed.
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    sessions = loom_app.state.loom.session_factory
    with session_scope(sessions) as s:
        attempt = identity.read_login(s, "alice")
    assert attempt is not None
    first, second = (identity.check_password(attempt, TEST_PASSWORD) for _ in range(2))
    rehashed = identity.hash_password(TEST_PASSWORD)  # same password, a new salt
    with session_scope(sessions) as s:
        s.execute(update(User).where(User.username == "alice").values(password_hash=rehashed))
    with session_scope(sessions) as s:
        assert identity.record_login(s, first, password=TEST_PASSWORD) is not None
    # a reset to another password in the meantime still refuses the attempt checked before
    with session_scope(sessions) as s:
        new_hash = identity.hash_password("another-long-password-1")
        s.execute(update(User).where(User.username == "alice").values(password_hash=new_hash))
    with session_scope(sessions) as s:
        assert identity.record_login(s, second, password=TEST_PASSWORD) is None
        user = s.scalar(select(User).where(User.username == "alice"))
        assert user is not None
        assert user.password_hash == new_hash
