"""Token checks read apart from SQLite's write lock (``db.session.reads_apart``).

Every SQLite transaction of Loom begins IMMEDIATE. A device posting scans authenticated in such
a transaction, so its token check waited for the ingest writer's commit and the writer then
waited for the check: the two could not overlap. These tests hold the write lock on another
connection and show what waits and what does not.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loom.kernel.authz.principal import principal_from_token
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import reads_apart, session_scope
from loom.kernel.identity.models import ApiToken
from loom.kernel.tenancy.models import Organisation
from loom.testing.factory import Factory

#: long enough that a read that waits for the lock is seen waiting, short for the suite
WAITED = 0.3


@pytest.fixture
def token(factory: Factory) -> str:
    """Return a device token of a fresh organisation, used once so that no touch is due."""
    plain = factory.token(factory.org("plant"), ["shopfloor.event.write"], kind="device")
    with session_scope(factory.runtime.session_factory) as session:
        principal_from_token(session, plain)
    return plain


@pytest.fixture
def write_lock(loom_app: FastAPI) -> Iterator[sqlite3.Connection]:
    """Hold the database's write lock on a connection of its own until the test ends."""
    path = loom_app.state.loom.engine.url.database
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def _in_thread(action: object) -> tuple[threading.Thread, list[object]]:
    done: list[object] = []

    def run() -> None:
        done.append(action())  # type: ignore[operator]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def test_a_token_is_checked_while_another_connection_holds_the_write_lock(
    loom_app: FastAPI, token: str, write_lock: sqlite3.Connection
) -> None:
    session = loom_app.state.loom.session_factory()
    try:
        thread, done = _in_thread(lambda: principal_from_token(session, token))
        thread.join(WAITED)
        assert not thread.is_alive(), "the token check waited for the write lock"
        principal = done[0]
        assert principal.token is not None  # type: ignore[attr-defined]
        # the read's transaction ended: the session's next one begins as usual
        assert not session.in_transaction()
    finally:
        write_lock.execute("ROLLBACK")
        write_lock.execute("BEGIN")  # the fixture's teardown rolls back again
        session.close()


def test_an_ordinary_first_read_waits_for_the_write_lock(
    loom_app: FastAPI, token: str, write_lock: sqlite3.Connection
) -> None:
    # the control: the same read outside reads_apart begins IMMEDIATE and queues
    session = loom_app.state.loom.session_factory()
    try:
        thread, done = _in_thread(lambda: session.scalar(select(ApiToken.id).limit(1)))
        thread.join(WAITED)
        assert thread.is_alive()
        assert not done
        write_lock.execute("ROLLBACK")
        thread.join(10)
        assert done
        assert done[0] is not None
        write_lock.execute("BEGIN")
    finally:
        session.rollback()
        session.close()


def test_a_change_inside_is_refused_and_rolled_back(factory: Factory) -> None:
    org = factory.org("renamed")
    sessions = factory.runtime.session_factory

    def rename_inside(session: Session) -> None:
        with reads_apart(session):
            found = session.get(Organisation, org.id)
            assert found is not None
            found.name = "changed inside"

    with Session(bind=factory.runtime.engine) as session:
        with pytest.raises(RuntimeError, match="changed rows"):
            rename_inside(session)
        assert not session.in_transaction()
    with session_scope(sessions) as session:
        assert session.get(Organisation, org.id).name != "changed inside"  # type: ignore[union-attr]


def test_pending_changes_keep_the_usual_transaction(factory: Factory) -> None:
    org = factory.org("pending")
    with Session(bind=factory.runtime.engine) as session:
        found = session.get(Organisation, org.id)
        assert found is not None
        session.commit()
        found.name = "renamed before"
        with reads_apart(session):
            # no transaction of its own: the read autoflushes the change into the usual one
            session.scalar(select(Organisation.id).where(Organisation.id == org.id))
            assert session.in_transaction()
        session.commit()
        assert session.get(Organisation, org.id).name == "renamed before"  # type: ignore[union-attr]


def test_a_due_touch_is_still_written(factory: Factory, token: str) -> None:
    sessions = factory.runtime.session_factory
    long_ago = utcnow() - timedelta(hours=2)
    with session_scope(sessions) as session:
        session.execute(update(ApiToken).values(last_used_at=long_ago))
    with session_scope(sessions) as session:
        principal_from_token(session, token)
    with session_scope(sessions) as session:
        stamps = session.scalars(select(ApiToken.last_used_at)).all()
    assert len(stamps) == 1
    assert stamps[0] is not None
    assert stamps[0].replace(tzinfo=None) > long_ago.replace(tzinfo=None) + timedelta(hours=1)
