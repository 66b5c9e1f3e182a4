"""A right password for an account with nothing to reset writes no user row and takes no lock.

Many stations logged in as one account (a shop floor's shared login) queued on that account's
row: each login locked it until its audit append had committed (the load scenario's ramp).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select, text, update

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.identity import service as identity
from loom.kernel.identity.models import User
from loom.kernel.tenancy.models import Role
from loom.testing.factory import TEST_PASSWORD, Factory
from loom.testing.plugin import both_backends
from loom.testing.statements import statements_during


@pytest.fixture
def alice(factory: Factory) -> str:
    """Return the username of an administrator of a fresh organisation."""
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    return "alice"


def _login(app: FastAPI, username: str, password: str = TEST_PASSWORD) -> User | None:
    sessions = app.state.loom.session_factory
    with session_scope(sessions) as s:
        attempt = identity.read_login(s, username)
    verdict = identity.check_password(attempt, password)
    with session_scope(sessions) as s:
        return identity.record_login(s, verdict, password=password)


def _writes_to_users(engine: Engine, action: Any) -> list[str]:
    """Run ``action``; return the statements it sent that lock or write identity_user."""
    _, seen = statements_during(
        engine,
        action,
        lambda sql: "identity_user" in sql and ("FOR UPDATE" in sql or sql.startswith("UPDATE")),
    )
    return seen


def _last_login(app: FastAPI, username: str) -> Any:
    with session_scope(app.state.loom.session_factory) as s:
        return s.scalar(select(User.last_login_at).where(User.username == username))


def _set_last_login(app: FastAPI, username: str, moment: Any) -> None:
    with session_scope(app.state.loom.session_factory) as s:
        s.execute(update(User).where(User.username == username).values(last_login_at=moment))


def _logins_audited(app: FastAPI) -> int:
    with session_scope(app.state.loom.session_factory) as s:
        found = s.scalars(
            select(AuditEvent.id).where(AuditEvent.action == "identity.user.logged_in")
        )
        return len(found.all())


@both_backends
def test_a_second_login_within_the_minute_writes_no_user_row(loom_app: FastAPI, alice: str) -> None:
    engine = loom_app.state.loom.engine
    first = _writes_to_users(engine, lambda: _login(loom_app, "alice"))
    stamped = _last_login(loom_app, "alice")
    second = _writes_to_users(engine, lambda: _login(loom_app, "alice"))
    # the first login sets last_login_at (one conditional UPDATE, no row lock taken first)
    assert len(first) == 1, first
    assert first[0].startswith("UPDATE identity_user"), first
    assert stamped is not None
    # the second, a moment later, leaves the row alone; both are in the audit trail
    assert second == []
    assert _last_login(loom_app, "alice") == stamped
    assert _logins_audited(loom_app) == 2


@both_backends
def test_last_login_is_refreshed_once_older_than_the_resolution(
    loom_app: FastAPI, alice: str
) -> None:
    # just inside the resolution: kept; just outside: replaced by this login's time
    recent = utcnow() - identity.LAST_LOGIN_RESOLUTION + timedelta(seconds=5)
    _set_last_login(loom_app, "alice", recent)
    assert _login(loom_app, "alice") is not None
    kept = _last_login(loom_app, "alice")
    assert kept.replace(tzinfo=None) == recent.replace(tzinfo=None)
    old = utcnow() - identity.LAST_LOGIN_RESOLUTION - timedelta(seconds=5)
    _set_last_login(loom_app, "alice", old)
    before = utcnow()
    assert _login(loom_app, "alice") is not None
    refreshed = _last_login(loom_app, "alice")
    assert refreshed.replace(tzinfo=None) >= before.replace(tzinfo=None)


@both_backends
def test_counted_failures_still_take_the_locked_path_and_are_reset(
    loom_app: FastAPI, alice: str
) -> None:
    assert _login(loom_app, "alice", "wrong-password") is None
    engine = loom_app.state.loom.engine
    writes = _writes_to_users(engine, lambda: _login(loom_app, "alice"))
    # a count to reset: the row is written with the count (and on PostgreSQL locked first;
    # SQLite's BEGIN IMMEDIATE already serialises writers and has no FOR UPDATE)
    assert any(sql.startswith("UPDATE") and "failed_logins" in sql for sql in writes), writes
    if engine.dialect.name == "postgresql":
        assert any("FOR UPDATE" in sql for sql in writes), writes
    with session_scope(loom_app.state.loom.session_factory) as s:
        user = s.scalar(select(User).where(User.username == "alice"))
        assert user is not None
        assert user.failed_logins == 0


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_login_goes_through_while_another_holds_the_account_row(
    loom_app: FastAPI, alice: str
) -> None:
    """PostgreSQL: a transaction holding the user's row does not hold up a clean login."""
    assert _login(loom_app, "alice") is not None  # last_login_at is now recent
    engine = loom_app.state.loom.engine
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL loom.all_tenants = 'on'"))
            connection.execute(
                text("SELECT id FROM identity_user WHERE username = 'alice' FOR UPDATE")
            )
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        done: list[User | None] = []
        login = threading.Thread(target=lambda: done.append(_login(loom_app, "alice")))
        login.start()
        login.join(10)
        # the login finished while the row was still locked by the other transaction
        assert not login.is_alive()
        assert len(done) == 1
        assert done[0] is not None
    finally:
        release.set()
        holder.join(10)
    assert _logins_audited(loom_app) == 2
