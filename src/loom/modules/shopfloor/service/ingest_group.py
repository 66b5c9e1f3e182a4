"""Group commit for the events route: batches of one factory that arrive together share a commit.

A factory's scanners post at the same time. Stored one transaction each, their batches upsert
the same counter rows (the same operators, hours and lines), queue on each other's row locks on
PostgreSQL, and each pays for its own key lookup, context and commit. Here every request hands
its prepared batch to its organisation's writer and waits: the writer stores whatever has
gathered while the previous group was being written, in one transaction, and answers each
request with its own counts once that transaction has committed. With one request at a time
nothing waits: a lone batch is written at once, as before.

A group that fails is written again batch by batch, so a batch that cannot be stored fails
alone; its request answers the error and its device sends it again (nothing was acknowledged).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.db.repository import bind_scope
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.service.ingest import IngestResult, Prepared, store_many

#: events in one group at most: a group's transaction holds SQLite's write lock throughout
MAX_GROUP_EVENTS = 20_000
#: groups written at once per organisation on PostgreSQL (SQLite has one writer anyway)
PG_WRITERS = 2


@dataclass
class _Waiting:
    scope: Scope
    prepared: Prepared
    answer: asyncio.Future[IngestResult]


def store_group(session: Session, batches: Sequence[Prepared]) -> list[IngestResult]:
    """Store the batches in the session's transaction; flush only (the writer commits)."""
    # a module-level function, looked up at call time, so fault tests can stop inside it
    return store_many(session, batches)


class GroupWriter:
    """One organisation's writer on one event loop: stores what has gathered, one group at once."""

    def __init__(self, session_factory: sessionmaker[Session], writers: int = 1) -> None:
        self._factory = session_factory
        self._waiting: deque[_Waiting] = deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers = writers

    @property
    def backlog(self) -> int:
        """Return how many batches wait for the next group."""
        return len(self._waiting)

    async def submit(self, scope: Scope, prepared: Prepared) -> IngestResult:
        """Store the batch with whatever else is waiting; return its result once committed."""
        answer: asyncio.Future[IngestResult] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(scope, prepared, answer))
        if len(self._tasks) < self._writers:
            task = asyncio.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await answer

    async def _drain(self) -> None:
        try:
            await self._drain_groups()
        except BaseException as exc:
            # never leave a request waiting on an answer nobody will give
            failure = RuntimeError(f"the ingest writer stopped: {exc!r}")
            while self._waiting:
                _settle(self._waiting.popleft(), failure)
            raise

    async def _drain_groups(self) -> None:
        while self._waiting:
            group = self._take()
            try:
                results = await run_in_threadpool(self._write, group)
            except Exception as exc:
                if len(group) == 1:
                    _settle(group[0], exc)
                    continue
                for one in group:
                    try:
                        result = (await run_in_threadpool(self._write, [one]))[0]
                    except Exception as alone:
                        _settle(one, alone)
                    else:
                        _settle(one, result)
                continue
            for waiting, result in zip(group, results, strict=True):
                _settle(waiting, result)

    def _take(self) -> list[_Waiting]:
        group = [self._waiting.popleft()]
        events = len(group[0].prepared.fresh)
        while self._waiting:
            size = len(self._waiting[0].prepared.fresh)
            if events + size > MAX_GROUP_EVENTS:
                break
            group.append(self._waiting.popleft())
            events += size
        return group

    def _write(self, group: list[_Waiting]) -> list[IngestResult]:
        """Store and commit one group in its own transaction (in a worker thread)."""
        with self._factory() as session:
            # every batch of the group belongs to one organisation: its first request's scope
            # carries the organisation the rows are checked against (and on PostgreSQL, RLS)
            bind_scope(session, group[0].scope)
            try:
                results = store_group(session, [w.prepared for w in group])
                session.commit()
            except BaseException:
                session.rollback()
                raise
        return results


def _settle(waiting: _Waiting, outcome: IngestResult | Exception) -> None:
    if waiting.answer.done():  # the request went away (client gone, server stopping)
        return
    if isinstance(outcome, Exception):
        waiting.answer.set_exception(outcome)
    else:
        waiting.answer.set_result(outcome)


_writers: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, int], GroupWriter]
] = weakref.WeakKeyDictionary()


def writer_for(session_factory: sessionmaker[Session], org_id: int) -> GroupWriter:
    """Return the organisation's writer on the running loop (one per database and loop)."""
    held = _writers.setdefault(asyncio.get_running_loop(), {})
    key = (id(session_factory), org_id)
    found = held.get(key)
    if found is None or found._factory is not session_factory:
        bind = session_factory.kw.get("bind")
        postgresql = bind is not None and bind.dialect.name == "postgresql"
        found = held[key] = GroupWriter(session_factory, PG_WRITERS if postgresql else 1)
    return found
