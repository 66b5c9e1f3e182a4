"""Engines and the unit of work: one owner commits or rolls back, services only flush."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

# registers the row-level-security session hooks wherever sessions are made
from loom.kernel.db import rls as _rls  # noqa: F401


def build_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys on and a sane busy timeout."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:" and not url.startswith("sqlite://:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Composite foreign keys are our tenant wall; SQLite ignores them unless asked.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy, not the driver, emit BEGIN, so that we can make it IMMEDIATE.
    dbapi_connection.isolation_level = None


#: execution option of a transaction that only reads (``reads_apart``): SQLite begins it DEFERRED
_READS_ONLY = "loom_reads_only"


def _sqlite_begin_immediate(connection: Any) -> None:
    if connection.get_execution_options().get(_READS_ONLY):
        # a WAL reader takes no lock: it reads while a writer writes
        connection.exec_driver_sql("BEGIN DEFERRED")
        return
    # Take the write lock at BEGIN: a deferred transaction that reads the audit head and later
    # writes would fail with SQLITE_BUSY_SNAPSHOT when another writer committed in between.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def reads_apart(session: Session) -> Iterator[None]:
    """Run the enclosed reads in a transaction of their own, which on SQLite takes no lock.

    Every SQLite transaction otherwise begins IMMEDIATE, holding the database's one write lock
    from its first read: a request that only authenticates before handing its work on (the
    scan route) then queued behind the ingest writer's commit. With a transaction already
    begun or changes pending, and on PostgreSQL, this does nothing. The enclosed code must not
    change anything through the session; the transaction ends at the exit, so the session's
    next statement begins a transaction of the usual kind.
    """
    if (
        session.in_transaction()
        or session.new
        or session.dirty
        or session.deleted
        or session.get_bind().dialect.name != "sqlite"
    ):
        yield
        return
    session.connection(execution_options={_READS_ONLY: True})
    try:
        yield
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("reads_apart: the enclosed code changed rows")
    except BaseException:
        session.rollback()
        raise
    session.commit()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory bound to ``engine``."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Own one transaction for CLI commands and jobs: commit on success, roll back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
