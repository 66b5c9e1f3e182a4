"""Audit verify: records per second checked by ``verify_chains`` against a plain ORM scan."""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from bench.core import Case, Check, Config, Report, backends, sqlite_database
from bench.core import measure as measure_cases
from loom.kernel.audit.models import AuditEvent, AuditHead
from loom.kernel.audit.service import record
from loom.kernel.audit.verify import verify_chains
from loom.kernel.db.base import Base
from loom.kernel.db.session import build_engine, make_session_factory, session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Actor
from loom.kernel.tenancy.service import create_organisation

NAME = "audit_verify"
ACTOR = Actor(kind="system", label="system:bench")
CHAINS = 4  # organisations the log is spread over; verify walks chain by chain
FILL_BATCH = 1000
AUDIT_TABLES = ("audit_head", "audit_event")


def fill(factory: sessionmaker[Session], events: int) -> None:
    """Append ``events`` events through ``record``, round-robin over ``CHAINS`` new orgs."""
    with session_scope(factory) as session:
        org_ids = [
            create_organisation(
                session, ACTOR, slug=f"bench-verify-{n}", name=f"Bench {n}", kind=OrgKind.ENTERPRISE
            ).id
            for n in range(CHAINS)
        ]
    for start in range(0, events, FILL_BATCH):
        with session_scope(factory) as session:
            for i in range(start, min(events, start + FILL_BATCH)):
                record(
                    session,
                    org_id=org_ids[i % CHAINS],
                    actor=ACTOR,
                    action="bench.filled",
                    target_type="bench",
                    target_id=i,
                    before={"qty": i},
                    after={"qty": i + 1, "note": "restocked"},
                    request_id=f"{i:032x}",
                )


def copy_log(source: Engine, url: str) -> None:
    """Copy the audit tables row for row into another database (ids and hashes unchanged)."""
    target = build_engine(url)
    try:
        with source.connect() as src, target.begin() as dst:
            for name in AUDIT_TABLES:
                table = Base.metadata.tables[name]
                rows = [dict(row._mapping) for row in src.execute(select(table))]
                dst.execute(insert(table), rows)
    finally:
        target.dispose()


class Workloads:
    """The baseline scan and the verification, both over the whole log."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.problems: set[str] = set()
        self.runs = 0

    def scan(self, _n: int) -> int:
        """Load every event the way verify_chains does, without hashing or checks."""
        with session_scope(self.factory) as session:
            list(session.scalars(select(AuditHead)))
            stmt = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)
            return sum(1 for _ in session.scalars(stmt).yield_per(1000))

    def verify(self, _n: int) -> int:
        """Run verify_chains over the whole log and remember any problem it reports."""
        with session_scope(self.factory) as session:
            result = verify_chains(session)
        self.runs += 1
        if result.problem is not None:
            self.problems.add(result.problem)
        return result.checked


def measure(config: Config, report: Report, backend: str, url: str) -> None:
    """Time the scan and the verification of the log in one database."""
    engine = build_engine(url)
    try:
        factory = make_session_factory(engine)
        with session_scope(factory) as session:
            total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        work = Workloads(factory)
        cases = [
            Case("ORM scan of the log (baseline)", work.scan, ops=total),
            Case("verify_chains", work.verify, ops=total),
        ]
        report.rows += measure_cases(NAME, backend, cases, config, unit="records")
        report.checks.append(
            Check(
                NAME,
                backend,
                f"verify_chains ok on a {total}-record log",
                ok=not work.problems,
                detail="; ".join(sorted(work.problems)) or f"{work.runs} verifications ok",
            )
        )
    finally:
        engine.dispose()


def run(config: Config, report: Report) -> None:
    """Write one log through ``record`` on SQLite, then verify it there and on PostgreSQL."""
    with sqlite_database() as source_url:
        source = build_engine(source_url)
        try:
            fill(make_session_factory(source), config.pick(10_000, 2_000))
            for backend, database in backends():
                if backend == "sqlite":
                    measure(config, report, backend, source_url)
                    continue
                # Copying is much faster than appending through record() over the network,
                # and verifying the very same records makes the backends comparable.
                with database() as url:
                    copy_log(source, url)
                    measure(config, report, backend, url)
        finally:
            source.dispose()
