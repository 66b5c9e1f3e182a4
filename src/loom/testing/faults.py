"""A server that stops at a chosen point of the N-th event batch, so a test can SIGKILL it there.

Crash tests start Loom with ``--factory loom.testing.faults:stalling_app`` and set
``LOOM_FAULT_STALL`` to ``before_commit:N`` or ``before_answer:N`` and ``LOOM_FAULT_DIR`` to a
directory. The N-th ``POST /api/v1/shopfloor/events`` of the process then waits, and a marker file
named after the point appears in the directory:

- ``before_commit``: the batch is stored and counted in the open transaction, not committed;
- ``before_answer``: the transaction is committed, the answer not yet sent.

These are the two places where a kill is interesting: a lost batch must leave no trace, and a
committed one must be recognised as a duplicate when the device sends it again. Waiting at a
known point (instead of killing after a guessed delay) makes the test deterministic.
Nothing in production imports this module.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from fastapi import FastAPI
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loom.modules.shopfloor.service import ingest_group
from loom.modules.shopfloor.service.ingest import IngestResult, Prepared
from loom.modules.shopfloor.service.ingest_group import store_group
from loom.testing.processes import all_apps

STALL_ENV = "LOOM_FAULT_STALL"
DIR_ENV = "LOOM_FAULT_DIR"
FACTORY = "loom.testing.faults:stalling_app"
EVENTS_PATH = "/api/v1/shopfloor/events"
POINTS = ("before_commit", "before_answer")
#: far longer than any test waits for the marker: the stalled process is killed, not woken
STALL_SECONDS = 600.0


class Stall(NamedTuple):
    """Where to stop, and in which event batch of the process (counted from 1)."""

    point: str
    nth: int


def parse_stall(value: str) -> Stall | None:
    """Return the stall ``point:N`` asks for, None for an empty value; refuse anything else."""
    if not value.strip():
        return None
    point, _, nth = value.strip().partition(":")
    if point not in POINTS or not nth.isdigit() or int(nth) < 1:
        raise ValueError(f"{STALL_ENV} must be one of {POINTS} followed by :N (N >= 1)")
    return Stall(point, int(nth))


def stall_env(stall: Stall, directory: Path) -> dict[str, str]:
    """Return the environment that makes a server process stop at ``stall``."""
    return {STALL_ENV: f"{stall.point}:{stall.nth}", DIR_ENV: str(directory)}


def marker(directory: Path, stall: Stall) -> Path:
    """Return the file that appears once the server has stopped at ``stall``."""
    return directory / stall.point


def _stall_before_commit(nth: int, mark: Path) -> None:
    """Make the events route's writer wait after its flush, inside the open transaction."""
    # the writer looks the function up in its module's namespace at call time
    namespace = vars(ingest_group)
    if namespace.get("store_group") is not store_group:
        raise RuntimeError("the events route's writer no longer calls ingest_group.store_group")
    calls = [0]

    def stalling(session: Session, batches: Sequence[Prepared]) -> list[IngestResult]:
        """Store as usual; in the chosen group, wait before the writer's commit."""
        results = store_group(session, batches)
        calls[0] += 1
        if calls[0] == nth:
            # the writer commits when this returns: stopping here leaves every row of the
            # group flushed in an uncommitted transaction
            mark.touch()
            time.sleep(STALL_SECONDS)
        return results

    namespace["store_group"] = stalling


class _StallAnswer:
    """ASGI middleware: hold the chosen batch's answer back once the handler has finished."""

    def __init__(self, app: ASGIApp, nth: int, mark: Path) -> None:
        self.app = app
        self.nth = nth
        self.mark = mark
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass every request through; delay the start of the chosen batch's answer."""
        if scope["type"] != "http" or scope["path"] != EVENTS_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        self.calls += 1
        if self.calls != self.nth:
            await self.app(scope, receive, send)
            return

        async def held(message: Message) -> None:
            if message["type"] == "http.response.start":
                # the route's transaction ends before its answer starts (get_db has
                # scope="function"), so the batch is durable here and the client has no answer
                self.mark.touch()
                await asyncio.sleep(STALL_SECONDS)
            await send(message)

        await self.app(scope, receive, held)


def stalling_app() -> FastAPI:
    """Build the application with every app, stopping where LOOM_FAULT_STALL says."""
    app: FastAPI = all_apps()
    stall = parse_stall(os.environ.get(STALL_ENV, ""))
    if stall is None:
        return app
    mark = marker(Path(os.environ[DIR_ENV]), stall)
    if stall.point == "before_commit":
        _stall_before_commit(stall.nth, mark)
    else:
        # added last, so outermost: it sees the answer after every other middleware
        app.add_middleware(_StallAnswer, nth=stall.nth, mark=mark)
    return app
