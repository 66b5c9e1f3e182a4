"""Gated routers: a path outside a router's prefix is refused without trying its routes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match

from loom.kernel.web.routing import PrefixRouter, gated


def _scope(path: str, method: str = "GET") -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _app(calls: list[str]) -> FastAPI:
    """Two apps' page routers behind gates, the second with a router-level dependency."""
    shop = APIRouter()

    @shop.get("/orders")
    def orders() -> dict[str, str]:
        return {"page": "orders"}

    @shop.post("/orders/{number:int}")
    def save(number: int) -> dict[str, int]:
        return {"saved": number}

    shopx = APIRouter()

    @shopx.get("/")
    def shopx_home() -> dict[str, str]:
        return {"page": "shopx"}

    def seen() -> None:
        calls.append("dependency")

    app = FastAPI()
    app.include_router(gated(shop, "/apps/shop"))
    app.include_router(gated(shopx, "/apps/shopx", dependencies=[Depends(seen)]))
    return app


def test_the_gate_refuses_other_prefixes_without_looking_further() -> None:
    gate = PrefixRouter("/apps/shop/")  # a trailing slash is the same gate
    for path in ("/apps/shopx/", "/apps/sho", "/api/v1/apps/shop/orders", "/"):
        assert gate.matches(_scope(path)) == (Match.NONE, {})


def test_requests_reach_the_routes_behind_their_gate() -> None:
    calls: list[str] = []
    client = TestClient(_app(calls))
    assert client.get("/apps/shop/orders").json() == {"page": "orders"}
    assert calls == []  # the other gate's dependency did not run
    # /apps/shopx shares the /apps/shop prefix as text but is another gate's
    assert client.get("/apps/shopx/").json() == {"page": "shopx"}
    assert calls == ["dependency"]
    assert client.post("/apps/shop/orders/7").json() == {"saved": 7}


def test_misses_keep_their_status_codes() -> None:
    client = TestClient(_app([]))
    assert client.get("/apps/shop/nothing").status_code == 404
    assert client.get("/elsewhere").status_code == 404
    assert client.delete("/apps/shop/orders").status_code == 405  # the path exists, not the verb
    # the trailing-slash redirect still finds the route behind the gate
    response = client.get("/apps/shopx", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].endswith("/apps/shopx/")
