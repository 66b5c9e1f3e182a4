"""Admission: a server process runs a few requests at once, never more than its connections.

Without it, requests queued without bound: a request keeps its connection across its thread
hops (one per sync dependency), so worker threads could block on an empty pool while the
requests holding the connections waited for a thread (the load runs saw 30-90 s pages). A
request now waits its turn in the event loop, holding nothing, for up to
``request_queue_seconds``; then it is answered 503 with Retry-After instead of timing out.
How many run at once is ``request_concurrency`` (4): past that, a process's threads only
contend for its interpreter lock, and a CPU-bound thread (a login's argon2 check) waited
100 ms for a core behind their wake-ups in the load scenario.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from loom.kernel.web.errors import server_busy

#: paths that never touch the database (files; the metrics an operator needs most when busy)
EXEMPT = ("/static/", "/metrics")
#: pages that never touch the database either: the login form is what every arriving user
#: asks for first, and queued behind the argon2 checks of the logins it waited 1.5 s (run 4)
FREE_PAGES = frozenset({("GET", "/login")})
#: where an admitted request's turn is kept in the ASGI scope
TURN_KEY = "loom.admission_turn"


class Turn:
    """An admitted request's turn, which a route may lend out while it uses no database."""

    def __init__(self, turns: asyncio.Semaphore) -> None:
        """Hold one of ``turns`` (already acquired)."""
        self._turns = turns
        self.held = True

    def release(self) -> None:
        """Give the turn back, once."""
        if self.held:
            self.held = False
            self._turns.release()

    async def take_back(self) -> None:
        """Wait for a turn again, behind the requests already waiting."""
        await self._turns.acquire()
        self.held = True


@asynccontextmanager
async def turn_lent(request: Request) -> AsyncIterator[None]:
    """Let other requests have this request's turn while the block runs (no database in it).

    A login's password check is tens of milliseconds of CPU outside any transaction; holding
    the turn meanwhile kept a page from running beside it (docs/benchmarks.md §13).
    """
    turn: Turn | None = request.scope.get(TURN_KEY)
    if turn is None or not turn.held:
        yield  # not admitted through the queue (a test app, a free page)
        return
    turn.release()
    try:
        yield
    finally:
        await turn.take_back()


class Admission:
    """ASGI middleware running ``limit`` requests at once; the rest wait up to ``wait`` s."""

    def __init__(self, app: ASGIApp, limit: int, wait: float) -> None:
        self.app = app
        self.limit = limit
        self.wait = wait
        # one semaphore per event loop: tests run one app under several loops
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        turns = self._turns.get(loop)
        if turns is None:
            turns = self._turns[loop] = asyncio.Semaphore(self.limit)
        return turns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request when a turn is free; answer 503 if none frees up in time."""
        if (
            scope["type"] != "http"
            or scope["path"].startswith(EXEMPT)
            or (scope["method"], scope["path"]) in FREE_PAGES
        ):
            await self.app(scope, receive, send)
            return
        turns = self._semaphore()
        if turns.locked():
            try:
                await asyncio.wait_for(turns.acquire(), self.wait)
            except TimeoutError:
                await server_busy(Request(scope, receive))(scope, receive, send)
                return
        else:
            await turns.acquire()
        turn = scope[TURN_KEY] = Turn(turns)
        try:
            await self.app(scope, receive, send)
        finally:
            turn.release()
