"""``GET /metrics``: Prometheus text format, behind its own bearer token (``LOOM_METRICS_TOKEN``).

Requests are labelled by route *template* (``/api/v1/shopfloor/orders/{order_id}/wip``), never
by raw path, so the number of series stays bounded whatever callers send. Modules report ingest
outcomes through :func:`count_ingest` and never import ``prometheus_client`` themselves.

Several uvicorn workers: each process keeps its own counters, and a scrape reaches one of them.
Set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory before the workers start and every
scrape then sums all of them (prometheus_client's multi-process mode; see docs/operations.md).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable, MutableMapping
from time import perf_counter
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.routing import BaseRoute, Mount, compile_path

from loom.kernel.web.errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

METRICS_PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: the label of requests no route matched (404s): raw paths would be unbounded
UNMATCHED = "<unmatched>"
#: pages answer in tens of milliseconds; the 0.3 s bucket is the load target (docs/benchmarks.md)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "loom_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "loom_http_request_duration_seconds",
    "Time from the request's arrival to the end of its answer, by route template and status",
    ["method", "route", "status"],
    buckets=BUCKETS,
)
INGEST = Counter(
    "loom_ingest_events",
    "Device records by channel and outcome (accepted, duplicate, quarantined, rejected)",
    ["channel", "outcome"],
)


def count_ingest(
    channel: str, *, accepted: int, duplicates: int, rejected: int, quarantined: int = 0
) -> None:
    """Add one batch's outcome to the ingest counters (quarantined records are also accepted)."""
    for outcome, value in (
        ("accepted", accepted),
        ("duplicate", duplicates),
        ("quarantined", quarantined),
        ("rejected", rejected),
    ):
        if value:
            INGEST.labels(channel, outcome).inc(value)


class RouteTemplates:
    """Map a matched route object to its full template (FastAPI keeps included routers lazy)."""

    def __init__(self) -> None:
        self._known: dict[int, list[tuple[str, Any]]] | None = None

    def _build(self, routes: list[BaseRoute]) -> dict[int, list[tuple[str, Any]]]:
        found: dict[int, list[tuple[str, Any]]] = {}
        for ctx in iter_route_contexts(routes):
            if isinstance(ctx.original_route, Mount):
                continue
            template = str(ctx.path or getattr(ctx.original_route, "path", ""))
            regex = compile_path(template)[0]
            found.setdefault(id(ctx.original_route), []).append((template, regex))
        return found

    def template(self, scope: Scope) -> str:
        """Return the template of the route that answered ``scope``, or a bounded stand-in."""
        route = scope.get("route")
        if route is None:
            # a mount (static files) sets its prefix as root_path; anything else matched nothing
            root = str(scope.get("root_path") or "")
            return f"{root}/{{path}}" if root else UNMATCHED
        if self._known is None:
            self._known = self._build(list(scope["app"].routes))
        candidates = self._known.get(id(route), [])
        if len(candidates) == 1:
            return str(candidates[0][0])
        # one route object included under several prefixes: the full path tells which
        path = scope.get("path", "")
        for template, regex in candidates:
            if regex.match(path):
                return str(template)
        return str(getattr(route, "path", UNMATCHED))


class MetricsMiddleware:
    """Count and time every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and record it once the answer has been sent (or has failed)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500  # an exception before the answer started is what the client sees as 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            labels = (scope["method"], self.templates.template(scope), str(status))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(perf_counter() - started)


class PoolCollector(Collector):
    """Report the database connection pool of one engine at scrape time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> list[GaugeMetricFamily]:
        """Return the pool's size, checked-out and overflow connections (QueuePool only)."""
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return []
        figures = (
            ("loom_db_pool_size", "Connections the pool keeps open", pool.size()),
            ("loom_db_pool_checked_out", "Connections in use by requests", pool.checkedout()),
            ("loom_db_pool_overflow", "Connections opened beyond the pool size", pool.overflow()),
        )
        return [GaugeMetricFamily(name, text, value=value) for name, text, value in figures]


def _exposition(engine: Engine) -> bytes:
    """Return every metric as Prometheus text: the process's (or all workers') and the pool."""
    if os.environ.get(MULTIPROC_ENV):
        # each worker writes its counters to files there; sum every worker's at scrape time
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    own = CollectorRegistry()
    own.register(PoolCollector(engine))
    return body + generate_latest(own)


def _authorised(request: Request, token: str) -> bool:
    """Return whether the request carries ``token`` as its bearer credential."""
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    # compare_digest: the time taken must not tell a caller how much of a guess was right
    return scheme.lower() == "bearer" and hmac.compare_digest(offered.encode(), token.encode())


def install_metrics(app: FastAPI, token: str) -> None:
    """Count requests on ``app`` and serve ``GET /metrics`` to holders of ``token``.

    With no token the route answers 404: the figures (routes, volumes, pool) are not public.
    Refusals are JSON, never the login redirect that pages get: the caller is a scraper.
    """
    app.add_middleware(MetricsMiddleware)

    def metrics(request: Request) -> Response:
        """Return the metrics in Prometheus text format."""
        if not token:
            return JSONResponse(error_body("not_found", "not found"), status_code=404)
        if not _authorised(request, token):
            return JSONResponse(
                error_body("not_authenticated", "unknown bearer token"),
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        engine: Engine = request.app.state.loom.engine
        return Response(_exposition(engine), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route(METRICS_PATH, metrics, methods=["GET"], include_in_schema=False)
