"""Concurrent audit writers: threads appending to one shared chain versus one chain each."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.core import Case, Check, Config, Report, backends
from bench.core import measure as measure_cases
from loom.kernel.audit.models import AuditEvent, AuditHead
from loom.kernel.audit.service import record
from loom.kernel.audit.verify import verify_chains
from loom.kernel.db.session import build_engine, make_session_factory, session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Actor
from loom.kernel.tenancy.service import create_organisation

NAME = "audit_concurrent"
THREADS = 4
ACTOR = Actor(kind="system", label="system:bench")


class WriterFailed(RuntimeError):
    """A concurrent append raised: under correct locking every append must commit."""


class Appender:
    """Runs ``THREADS`` writers, each appending events in their own committed transactions."""

    def __init__(self, factory: sessionmaker[Session], org_ids: list[int]) -> None:
        self.factory = factory
        self.org_ids = org_ids
        self.appended: Counter[int] = Counter()
        self._lock = threading.Lock()

    def _write(self, org_id: int, count: int, start: threading.Barrier, errors: list[str]) -> None:
        try:
            start.wait()
            for i in range(count):
                with session_scope(self.factory) as session:
                    record(
                        session,
                        org_id=org_id,
                        actor=ACTOR,
                        action="bench.concurrent",
                        target_type="bench",
                        target_id=i,
                        after={"thread": threading.get_ident(), "i": i},
                    )
                with self._lock:
                    self.appended[org_id] += 1
        except Exception as exc:  # reported by the caller: a failed append is a finding
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")

    def workload(self, threads: int, chains: int) -> Callable[[int], int]:
        """Return a workload: ``threads`` writers spread over the first ``chains`` orgs."""

        def run(n: int) -> int:
            per_thread = max(1, n // threads)
            start = threading.Barrier(threads)
            errors: list[str] = []
            workers = [
                threading.Thread(
                    target=self._write,
                    args=(self.org_ids[t % chains], per_thread, start, errors),
                    name=f"bench-writer-{t}",
                )
                for t in range(threads)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            if errors:
                raise WriterFailed(f"{len(errors)} writer(s) failed; first: {errors[0]}")
            return per_thread * threads

        return run


def check_chains(factory: sessionmaker[Session], appender: Appender) -> tuple[bool, str]:
    """Verify every chain and that no append was lost or duplicated."""
    with session_scope(factory) as session:
        result = verify_chains(session)
        heads = {h.chain: h.seq for h in session.scalars(select(AuditHead))}
        stored = Counter(
            session.scalars(select(AuditEvent.chain).where(AuditEvent.action == "bench.concurrent"))
        )
    problems = [] if result.ok else [f"verify_chains: {result.problem}"]
    for org_id in appender.org_ids:
        # Each organisation's chain starts with its own creation event.
        expected = appender.appended[org_id]
        if stored[org_id] != expected or heads.get(org_id) != expected + 1:
            problems.append(
                f"chain {org_id}: {expected} appends committed, {stored[org_id]} stored, "
                f"head seq {heads.get(org_id)} (expected {expected + 1})"
            )
    if problems:
        return False, "; ".join(problems)
    return True, f"{result.checked} records verified, {sum(appender.appended.values())} appends"


def measure(config: Config, report: Report, backend: str, url: str) -> None:
    """Time the three writer layouts on one database, then check every chain."""
    engine = build_engine(url, pool_size=THREADS + 1)
    try:
        factory = make_session_factory(engine)
        with session_scope(factory) as session:
            org_ids = [
                create_organisation(
                    session,
                    ACTOR,
                    slug=f"bench-conc-{n}",
                    name=f"Bench {n}",
                    kind=OrgKind.ENTERPRISE,
                ).id
                for n in range(THREADS)
            ]
        appender = Appender(factory, org_ids)
        cases = [
            Case(
                f"{THREADS} threads, {THREADS} organisations (baseline)",
                appender.workload(THREADS, THREADS),
                multiple=THREADS,
                warmup=THREADS * 5,
            ),
            Case(
                f"{THREADS} threads, 1 organisation",
                appender.workload(THREADS, 1),
                multiple=THREADS,
                warmup=THREADS * 5,
            ),
            Case("1 thread, 1 organisation", appender.workload(1, 1)),
        ]
        try:
            report.rows += measure_cases(NAME, backend, cases, config, unit="events")
        except WriterFailed as exc:
            report.checks.append(
                Check(NAME, backend, "every concurrent append committed", False, str(exc))
            )
        ok, detail = check_chains(factory, appender)
        report.checks.append(
            Check(NAME, backend, "chains intact after concurrent appends", ok, detail)
        )
    finally:
        engine.dispose()


def run(config: Config, report: Report) -> None:
    """Compare one shared chain with one chain per writer, then verify the log."""
    for backend, database in backends():
        with database() as url:
            measure(config, report, backend, url)
