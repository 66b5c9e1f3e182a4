"""Admission: a server process runs a few requests at once, never more than its connections.

Without it, requests queued without bound: a request keeps its connection across its thread
hops (one per sync dependency), so worker threads could block on an empty pool while the
requests holding the connections waited for a thread (the load runs saw 30-90 s pages). A
request now waits its turn in the event loop, holding nothing, for up to
``request_queue_seconds``; then it is answered 503 with Retry-After instead of timing out.
How many run at once is ``request_concurrency`` (4): past that, a process's threads only
contend for its interpreter lock, and a CPU-bound thread (a login's argon2 check) waited
100 ms for a core behind their wake-ups in the load scenario. A request taking back a turn it
lent goes before new arrivals (``Turns``; decision record 0016).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
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


class Turns:
    """``limit`` turns shared by one event loop's requests; a returning request goes first.

    Like a semaphore, but a request taking back a turn it lent (``turn_lent``) is served before
    any new arrival: it has done part of its work and holds a user's wait already. Behind the
    new arrivals, a login's second transaction waited about 50 ms for a turn in the load
    scenario (docs/benchmarks.md §13).
    """

    def __init__(self, limit: int) -> None:
        """Start with ``limit`` free turns."""
        self._free = limit
        self._new: deque[asyncio.Future[None]] = deque()
        self._returning: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        """Whether a new arrival would have to wait."""
        return self._free == 0 or bool(self._new) or bool(self._returning)

    async def acquire(self, *, returning: bool = False) -> None:
        """Wait for a turn, in the returning or the new arrivals' line."""
        if not self.locked():
            self._free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        line = self._returning if returning else self._new
        line.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a turn just as it gave up: pass it on
            elif waiter in line:
                line.remove(waiter)
            raise

    def release(self) -> None:
        """Hand the turn to the first returning request, else the first new one, else free it."""
        for line in (self._returning, self._new):
            while line:
                waiter = line.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._free += 1


class Turn:
    """An admitted request's turn, which a route may lend out while it uses no database."""

    def __init__(self, turns: Turns) -> None:
        """Hold one of ``turns`` (already acquired)."""
        self._turns = turns
        self.held = True

    def release(self) -> None:
        """Give the turn back, once."""
        if self.held:
            self.held = False
            self._turns.release()

    async def take_back(self) -> None:
        """Wait for a turn again, ahead of the requests that have not yet had one."""
        await self._turns.acquire(returning=True)
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
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Turns] = (
            weakref.WeakKeyDictionary()
        )

    def _turns_here(self) -> Turns:
        loop = asyncio.get_running_loop()
        turns = self._turns.get(loop)
        if turns is None:
            turns = self._turns[loop] = Turns(self.limit)
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
        turns = self._turns_here()
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
