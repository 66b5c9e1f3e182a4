"""A gate remembers whether a path is behind it, so FastAPI's first walk of its routes runs once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match

from loom.kernel.tenancy.models import Role
from loom.kernel.web import routing
from loom.kernel.web.routing import PrefixRouter, gated
from loom.testing.factory import Factory


def _shop() -> tuple[FastAPI, APIRouter, PrefixRouter]:
    """One app's router behind its gate, and the gate itself."""
    shop = APIRouter()

    @shop.get("/orders")
    def orders() -> dict[str, str]:
        return {"page": "orders"}

    @shop.get("/orders/{number:int}")
    def order(number: int) -> dict[str, int]:
        return {"order": number}

    gate = gated(shop, "/apps/shop")
    app = FastAPI()
    app.include_router(gate)
    return app, shop, gate


def _walks(monkeypatch: pytest.MonkeyPatch, gate: PrefixRouter) -> list[str]:
    """Record each time the gate asks FastAPI to walk its routes (the memo's miss)."""
    walked: list[str] = []
    original = APIRouter.matches

    def spy(self: APIRouter, scope: Any) -> Any:
        if self is gate:
            walked.append(scope["path"])
        return original(self, scope)

    monkeypatch.setattr(APIRouter, "matches", spy)
    return walked


def test_a_path_is_walked_once_then_answered_from_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    app, _, gate = _shop()
    walked = _walks(monkeypatch, gate)
    client = TestClient(app)
    for _ in range(3):
        assert client.get("/apps/shop/orders").json() == {"page": "orders"}
    assert walked == ["/apps/shop/orders"]
    # path parameters still come from FastAPI's own (second) walk, per request
    assert client.get("/apps/shop/orders/7").json() == {"order": 7}
    assert client.get("/apps/shop/orders/8").json() == {"order": 8}
    assert walked == ["/apps/shop/orders", "/apps/shop/orders/7", "/apps/shop/orders/8"]


def test_the_method_is_part_of_the_answer() -> None:
    app, _, _ = _shop()
    client = TestClient(app)
    # same path: found, wrong verb (405), found again; a memo by path alone would mix them up
    assert client.get("/apps/shop/orders").status_code == 200
    assert client.delete("/apps/shop/orders").status_code == 405
    assert client.get("/apps/shop/orders").status_code == 200
    assert client.get("/apps/shop/nothing").status_code == 404
    assert client.get("/apps/shop/nothing").status_code == 404


def test_a_route_added_later_is_found_at_once() -> None:
    app, shop, _ = _shop()
    client = TestClient(app)
    assert client.get("/apps/shop/new").status_code == 404  # remembered as no match

    @shop.get("/new")
    def new() -> dict[str, str]:
        return {"page": "new"}

    # the routes' version is part of the key, so the old answer is not reused
    assert client.get("/apps/shop/new").json() == {"page": "new"}


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routing, "MATCH_MEMO_SIZE", 4)
    app, _, gate = _shop()
    client = TestClient(app)
    for number in range(10):
        assert client.get(f"/apps/shop/orders/{number}").json() == {"order": number}
        assert 1 <= len(gate._memo) <= 4
    # outside the gate nothing is walked or kept
    gate._memo.clear()
    assert client.get("/apps/shopx/orders").status_code == 404
    assert gate._memo == {}


def test_a_call_outside_an_inclusion_is_not_remembered() -> None:
    app, _, gate = _shop()
    scope = {"type": "http", "method": "GET", "path": "/apps/shop/orders", "root_path": ""}
    # FastAPI answers no match when no inclusion asks; that answer must not stick to the path
    assert gate.matches({**scope, "headers": []}) == (Match.NONE, {})
    assert gate._memo == {}
    assert TestClient(app).get("/apps/shop/orders").json() == {"page": "orders"}


def test_the_kernel_pages_behind_the_open_gate_still_answer(factory: Factory) -> None:
    org = factory.org("garments")
    factory.user("mira", (org, Role.ADMIN))
    client = factory.client("mira")
    assert client.get("/").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/apps/balancing/plans").status_code == 200
    assert client.get("/no/such/page").status_code == 404
