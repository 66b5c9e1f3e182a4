"""Audit append: events per second through ``record`` against plain inserts of the same row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bench.core import Case, Config, Report, backends
from bench.core import measure as measure_cases
from loom.kernel.audit.models import AuditEvent
from loom.kernel.audit.service import canonical, event_digest, record
from loom.kernel.db.base import UTCDateTime, utcnow
from loom.kernel.db.session import build_engine, make_session_factory, session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Actor
from loom.kernel.tenancy.service import create_organisation

NAME = "audit_append"
BATCH = 100
ACTOR = Actor(kind="system", label="system:bench")
# A typical "after" of a business change: a handful of scalar fields.
PAYLOAD: dict[str, Any] = {"name": "Widget order 1042", "qty": 12, "price": "38.50", "ok": True}
REQUEST_ID = "b" * 32
FAKE_HASH = "f" * 64


class ScratchBase(DeclarativeBase):
    """Separate metadata, so the scratch table never joins Loom's migrations."""

    type_annotation_map = {datetime: UTCDateTime()}


class ScratchEvent(ScratchBase):
    """Same columns and indexes as ``audit_event``, written without the chain protocol."""

    __tablename__ = "bench_scratch_event"
    __table_args__ = (
        UniqueConstraint("chain", "seq", name="uq_bench_scratch_event_chain"),
        Index("ix_bench_scratch_event_org_at", "org_id", "at"),
        Index("ix_bench_scratch_event_action", "action"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    chain: Mapped[int] = mapped_column()
    seq: Mapped[int] = mapped_column()
    org_id: Mapped[int | None] = mapped_column(default=None)
    at: Mapped[datetime] = mapped_column()
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_label: Mapped[str] = mapped_column(String(200))
    actor_user_id: Mapped[int | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(String(120))
    target_type: Mapped[str] = mapped_column(String(80))
    target_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    request_id: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Writers:
    """The four workloads against one database, each appending ``n`` rows."""

    def __init__(self, factory: sessionmaker[Session], org_id: int) -> None:
        self.factory = factory
        self.org_id = org_id
        self.scratch_seq = 0

    def _audit(self, session: Session, i: int) -> None:
        record(
            session,
            org_id=self.org_id,
            actor=ACTOR,
            action="bench.appended",
            target_type="bench",
            target_id=i,
            after=PAYLOAD,
            request_id=REQUEST_ID,
        )

    def _plain(self, session: Session, i: int) -> None:
        self.scratch_seq += 1
        # Flush per row, as ``record`` does, so both sides pay the same ORM round trips.
        session.add(
            ScratchEvent(
                chain=self.org_id,
                seq=self.scratch_seq,
                org_id=self.org_id,
                at=utcnow(),
                actor_kind=ACTOR.kind,
                actor_label=ACTOR.label,
                action="bench.appended",
                target_type="bench",
                target_id=str(i),
                before=None,
                after=PAYLOAD,
                request_id=REQUEST_ID,
                prev_hash=FAKE_HASH,
                hash=FAKE_HASH,
            )
        )
        session.flush()

    def audit_single(self, n: int) -> int:
        """Append ``n`` audit events, one committed transaction each."""
        for i in range(n):
            with session_scope(self.factory) as session:
                self._audit(session, i)
        return n

    def plain_single(self, n: int) -> int:
        """Insert ``n`` scratch rows, one committed transaction each."""
        for i in range(n):
            with session_scope(self.factory) as session:
                self._plain(session, i)
        return n

    def audit_batched(self, n: int) -> int:
        """Append ``n`` audit events, ``BATCH`` per transaction."""
        for start in range(0, n, BATCH):
            with session_scope(self.factory) as session:
                for i in range(start, min(n, start + BATCH)):
                    self._audit(session, i)
        return n

    def plain_batched(self, n: int) -> int:
        """Insert ``n`` scratch rows, ``BATCH`` per transaction."""
        for start in range(0, n, BATCH):
            with session_scope(self.factory) as session:
                for i in range(start, min(n, start + BATCH)):
                    self._plain(session, i)
        return n


def hash_only(n: int) -> int:
    """Build ``n`` events in memory and digest them: the hashing share of ``record``."""
    prev = FAKE_HASH
    for i in range(n):
        event = AuditEvent(
            chain=1,
            seq=i + 1,
            org_id=1,
            at=utcnow(),
            actor_kind=ACTOR.kind,
            actor_label=ACTOR.label,
            actor_user_id=None,
            action="bench.appended",
            target_type="bench",
            target_id=str(i),
            before=canonical(None),
            after=canonical(PAYLOAD),
            request_id=REQUEST_ID,
            prev_hash=prev,
        )
        prev = event.hash = event_digest(event)
    return n


def measure(config: Config, report: Report, backend: str, url: str) -> None:
    """Time both commit patterns on one database, each against its own baseline."""
    engine = build_engine(url)
    try:
        ScratchBase.metadata.create_all(engine)
        factory = make_session_factory(engine)
        with session_scope(factory) as session:
            org = create_organisation(
                session, ACTOR, slug="bench-append", name="Bench", kind=OrgKind.ENTERPRISE
            )
            org_id = org.id
        writers = Writers(factory, org_id)
        single = [
            Case("plain insert, 1/txn (baseline)", writers.plain_single),
            Case("audit record, 1/txn", writers.audit_single),
        ]
        batched = [
            Case(
                f"plain insert, {BATCH}/txn (baseline)",
                writers.plain_batched,
                multiple=BATCH,
                warmup=BATCH,
            ),
            Case(f"audit record, {BATCH}/txn", writers.audit_batched, multiple=BATCH, warmup=BATCH),
            Case("no database: build event + event_digest", hash_only, warmup=BATCH),
        ]
        for cases in (single, batched):
            report.rows += measure_cases(NAME, backend, cases, config, unit="events")
    finally:
        engine.dispose()


def run(config: Config, report: Report) -> None:
    """Measure both commit patterns on every configured backend."""
    for backend, database in backends():
        with database() as url:
            measure(config, report, backend, url)
