"""Admission: beyond its database connections a process queues requests, then answers 503."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware import Middleware
from starlette.types import Receive, Scope, Send

from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.identity import pages as login_pages
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Role
from loom.kernel.web.admission import Admission, Turns
from loom.kernel.web.errors import RETRY_AFTER_SECONDS
from loom.settings import Settings
from loom.testing.admission import HeldCall, one_turn, probe_while_held
from loom.testing.factory import TEST_PASSWORD, Factory
from loom.testing.plugin import app_for_test


class Held:
    """An ASGI app whose requests stay in flight until released; it counts how many at once."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = asyncio.Event()
        self.running = 0
        self.most = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        self.entered.set()
        if scope["path"].startswith("/api/v1/hold"):
            await self.release.wait()
        self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _client(app: Admission) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://loom.test")


def test_requests_beyond_the_limit_wait_for_a_turn() -> None:
    held = Held()

    async def scenario() -> list[int]:
        async with _client(Admission(held, limit=2, wait=5.0)) as client:
            calls = [asyncio.create_task(client.get("/api/v1/hold")) for _ in range(5)]
            await held.entered.wait()
            await asyncio.sleep(0.05)
            assert held.running == 2  # three wait their turn outside the app
            held.release.set()
            return [(await call).status_code for call in calls]

    assert asyncio.run(scenario()) == [200] * 5
    assert held.most == 2


def test_a_request_waiting_too_long_gets_503_with_retry_after() -> None:
    held = Held()

    async def scenario() -> httpx2.Response:
        async with _client(Admission(held, limit=1, wait=0.05)) as client:
            first = asyncio.create_task(client.get("/api/v1/hold"))
            await held.entered.wait()
            refused = await client.get("/api/v1/other")
            held.release.set()
            assert (await first).status_code == 200
            return refused

    refused = asyncio.run(scenario())
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert refused.json()["error"]["code"] == "unavailable"
    assert held.most == 1


def test_static_files_skip_the_queue() -> None:
    held = Held()

    async def scenario() -> int:
        async with _client(Admission(held, limit=1, wait=0.05)) as client:
            first = asyncio.create_task(client.get("/api/v1/hold"))
            await held.entered.wait()
            status = (await client.get("/static/loom.css")).status_code
            held.release.set()
            await first
            return status

    assert asyncio.run(scenario()) == 200


def test_a_refused_page_is_an_error_page_in_chinese(loom_app: FastAPI) -> None:
    # a zero-width admission: every request waits 10 ms in vain; the shell's headers stay.
    # A new entry, not an edited one: the test plugin reuses the app's middleware list.
    index = next(i for i, m in enumerate(loom_app.user_middleware) if m.cls is Admission)
    loom_app.user_middleware[index] = Middleware(Admission, limit=0, wait=0.01)
    with TestClient(loom_app, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 503
    assert "服务器繁忙，请几秒后重试" in response.text
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Content-Security-Policy" in response.headers


def test_the_login_form_skips_the_queue_and_the_login_does_not() -> None:
    held = Held()

    async def scenario() -> tuple[int, int, int]:
        async with _client(Admission(held, limit=1, wait=5.0)) as client:
            first = asyncio.create_task(client.get("/api/v1/hold"))
            await held.entered.wait()
            form = (await client.get("/login")).status_code  # answered while the turn is taken
            login = asyncio.create_task(client.post("/login"))
            await asyncio.sleep(0.05)
            waiting = held.running  # the login has not entered: it waits for the turn
            held.release.set()
            await first
            return form, waiting, (await login).status_code

    # the form reads no database; the login does, so it waits its turn like any page
    assert asyncio.run(scenario()) == (200, 1, 200)
    assert held.most == 2  # the held request and the form, never the login beside them


def test_a_login_lends_its_turn_while_the_password_is_checked(
    loom_app: FastAPI, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One turn, 200 ms of patience: a page asked for while a login's password check is in
    # progress gets the turn the login lent out instead of a 503 (the check uses no database).
    one_turn(loom_app)
    org = factory.org("acme")
    factory.user("alice", (org, Role.ADMIN))
    check = HeldCall(login_pages.check_password)
    monkeypatch.setattr(login_pages, "check_password", check)
    with TestClient(loom_app, raise_server_exceptions=False) as client:
        client.get("/login")
        token = client.cookies[CSRF_COOKIE]
        codes: list[int] = []

        def log_in() -> None:
            form = {"username": "alice", "password": TEST_PASSWORD, "csrf_token": token}
            codes.append(client.post("/login", data=form, follow_redirects=False).status_code)

        health = probe_while_held(check, log_in, lambda: client.get("/api/v1/health"))
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert codes == [303]  # the login took a turn back and finished


def test_a_process_runs_at_most_request_concurrency_requests_and_never_beyond_its_pool(
    loom_settings: Settings, loom_apps: list[AppSpec]
) -> None:
    def limit(**changes: Any) -> int:
        app = app_for_test(loom_settings.model_copy(update=changes), loom_apps)
        try:
            found = next(m for m in app.user_middleware if m.cls is Admission)
            return int(found.kwargs["limit"])
        finally:
            app.state.loom.engine.dispose()

    assert limit(request_concurrency=4, db_pool_size=10, db_max_overflow=5) == 4
    assert limit(request_concurrency=30, db_pool_size=10, db_max_overflow=5) == 15


def test_a_request_taking_back_its_lent_turn_goes_before_new_arrivals() -> None:
    # One turn, held; a new arrival queues first, then a login comes back from its password
    # check: the turn goes to the login, which has already waited, and the new one after it.
    async def scenario() -> list[str]:
        turns = Turns(1)
        await turns.acquire()
        order: list[str] = []

        async def take(name: str, *, returning: bool) -> None:
            await turns.acquire(returning=returning)
            order.append(name)

        new = asyncio.create_task(take("new", returning=False))
        await asyncio.sleep(0)
        back = asyncio.create_task(take("returning", returning=True))
        await asyncio.sleep(0)
        assert order == []
        assert turns.locked()
        turns.release()
        await asyncio.sleep(0)
        assert order == ["returning"]  # the new arrival, queued earlier, still waits
        turns.release()
        await asyncio.gather(new, back)
        turns.release()
        assert not turns.locked()  # the one turn is free again, none lost or made
        return order

    assert asyncio.run(scenario()) == ["returning", "new"]


def test_a_waiter_that_gives_up_loses_no_turn() -> None:
    # A request that stops waiting (its queue time is up) leaves the line; one handed the turn
    # in the same instant passes it on instead of keeping it: the count stays exact.
    async def scenario() -> tuple[bool, bool, bool]:
        turns = Turns(1)
        await turns.acquire()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(turns.acquire(), 0.01)
        late = asyncio.create_task(turns.acquire())
        await asyncio.sleep(0)
        turns.release()  # handed to ``late``...
        late.cancel()  # ...which is cancelled before it runs again
        with pytest.raises(asyncio.CancelledError):
            await late
        free_after_cancel = not turns.locked()
        await turns.acquire()
        held_again = turns.locked()
        turns.release()
        return free_after_cancel, held_again, not turns.locked()

    assert asyncio.run(scenario()) == (True, True, True)
