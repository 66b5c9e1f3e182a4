"""Admission: a server process runs as many requests at once as it has database connections.

Without it, requests queued without bound: a request keeps its connection across its thread
hops (one per sync dependency), so worker threads could block on an empty pool while the
requests holding the connections waited for a thread (the load runs saw 30-90 s pages). A
request now waits its turn in the event loop, holding nothing, for up to
``request_queue_seconds``; then it is answered 503 with Retry-After instead of timing out.
"""

from __future__ import annotations

import asyncio
import weakref

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from loom.kernel.web.errors import server_busy

#: paths that never touch the database (files; the metrics an operator needs most when busy)
EXEMPT = ("/static/", "/metrics")
#: pages that never touch the database either: the login form is what every arriving user
#: asks for first, and queued behind the argon2 checks of the logins it waited 1.5 s (run 4)
FREE_PAGES = frozenset({("GET", "/login")})


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
        try:
            await self.app(scope, receive, send)
        finally:
            turns.release()
