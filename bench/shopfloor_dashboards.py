"""Line dashboard and order board over HTTP with millions of stored scan events.

A year of a 20-line factory (10 million events; ``--quick``: 50,000) is written straight into
the database (``bench.shopfloor_dataset``). One uvicorn process serves every app, and one client
requests each page and JSON route in turn, a few hundred times, next to the health check as the
baseline. Each request is timed on its own, so the percentiles are of single requests.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter

import httpx2

from bench.core import Check, Config, Note, Report, Row
from bench.request_auth import HEALTH, login
from bench.shopfloor_common import (
    app_server,
    backends,
    bench_settings,
    database_size,
    percentile,
    setup_app,
)
from bench.shopfloor_dataset import Dataset, build
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Role
from loom.modules.shopfloor.service import rebuild
from loom.testing.factory import Factory

NAME = "shopfloor_dashboards"
TARGET_MS = 100.0
WARMUP = 5


def _routes(data: Dataset, day: date) -> list[tuple[str, str, str]]:
    """Return (case name, client kind, path) of every timed route."""
    line = data.plant.sample.lines[0]
    order = max(data.finished)  # the last line's order being sewn (the newest with scans)
    when = day.isoformat()
    return [
        (f"GET {HEALTH} (baseline)", "api", HEALTH),
        ("line dashboard page", "page", f"/apps/shopfloor/lines?line={line}&date={when}"),
        ("line dashboard live fragment", "page", f"/apps/shopfloor/lines/{line}/live?date={when}"),
        ("line dashboard JSON", "api", f"/api/v1/shopfloor/lines/{line}/dashboard?date={when}"),
        ("order board page", "page", "/apps/shopfloor/orders"),
        ("order board JSON", "api", "/api/v1/shopfloor/orders"),
        ("order WIP JSON", "api", f"/api/v1/shopfloor/orders/{order}/wip"),
    ]


def _timed(client: httpx2.Client, path: str) -> float:
    """Return the seconds one GET took; anything but 200 is a failure, never a figure."""
    started = perf_counter()
    response = client.get(path)
    elapsed = perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def _check_figures(
    report: Report, backend: str, api: httpx2.Client, data: Dataset, day: date
) -> None:
    """Compare what the routes answer with figures counted while the events were generated."""
    line = data.plant.sample.lines[0]
    dashboard = api.get(f"/api/v1/shopfloor/lines/{line}/dashboard?date={day.isoformat()}").json()
    want = data.output[(line, day)]
    report.checks.append(
        Check(
            NAME,
            backend,
            "dashboard output == garments finished on the line that day (counted at generation)",
            dashboard["output_qty"] == want and want > 0,
            f"dashboard {dashboard['output_qty']:,}, generated {want:,}",
        )
    )
    board = api.get("/api/v1/shopfloor/orders", params={"limit": 200}).json()
    compared = [
        (row["finished_qty"], data.finished.get(row["id"], 0))
        for row in board["items"]
        if row["id"] in data.finished
    ]
    report.checks.append(
        Check(
            NAME,
            backend,
            "order board finished_qty == generated, for every worked order on its first page",
            bool(compared) and all(a == b for a, b in compared),
            f"{sum(a == b for a, b in compared)} of {len(compared)} orders agree",
        )
    )


def _rows(backend: str, names: list[str], samples: dict[str, list[float]]) -> list[Row]:
    base = samples[names[0]]
    return [
        Row(
            benchmark=NAME,
            backend=backend,
            case=name,
            unit="requests",
            ops_per_round=1,
            rounds=len(samples[name]),
            seconds_per_op=samples[name],
            baseline=None if name == names[0] else names[0],
            # pair each request with the health check sent just before it in the same pass
            cost_ratios=[]
            if name == names[0]
            else [mine / health for mine, health in zip(samples[name], base, strict=True)],
        )
        for name in names
    ]


def measure(config: Config, report: Report, backend: str, url: str, data_dir: Path) -> None:
    """Write the dataset, start the server, and time every route a few hundred times."""
    settings = bench_settings(url, data_dir)
    events = config.pick(10_000_000, 50_000)
    requests = config.pick(300, 30)
    with app_server(settings) as server, setup_app(settings) as application:
        data = build(application, events)
        factory = Factory(application)
        factory.user("dash-admin", (data.plant.org, Role.ADMIN))
        token = factory.token(data.plant.org, ["shopfloor.event.read", "shopfloor.order.read"])
        if config.quick:
            # reading every event back takes minutes at full size; the quick run checks it
            with session_scope(application.state.loom.session_factory) as session:
                found = rebuild.check(session, data.plant.org.id)
            report.checks.append(
                Check(
                    NAME,
                    backend,
                    "rebuild.check: counters written beside the events == recomputation",
                    not found.differences and found.events == data.events,
                    f"{len(found.differences)} differences over {found.rows:,} counter rows, "
                    f"{found.events:,} events",
                )
            )
        server.wait_until_up()
        day = data.last_day
        clients: dict[str, httpx2.Client] = {
            "api": httpx2.Client(
                base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
            ),
            "page": httpx2.Client(base_url=server.base_url, timeout=60),
        }
        try:
            login(clients["page"], "dash-admin")
            routes = _routes(data, day)
            for _ in range(WARMUP):
                for _name, kind, path in routes:
                    _timed(clients[kind], path)
            samples: dict[str, list[float]] = {name: [] for name, _, _ in routes}
            for index in range(requests):
                # rotate the routes after the baseline so no route always follows another
                shift = index % (len(routes) - 1)
                order = [routes[0], *routes[1 + shift :], *routes[1 : 1 + shift]]
                for name, kind, path in order:
                    samples[name].append(_timed(clients[kind], path))
            _check_figures(report, backend, clients["api"], data, day)
        finally:
            for client in clients.values():
                client.close()
        report.rows += _rows(backend, [name for name, _, _ in routes], samples)
        _notes(report, backend, data, samples, url)


def _notes(
    report: Report, backend: str, data: Dataset, samples: dict[str, list[float]], url: str
) -> None:
    """Record the dataset, load time, database size and each route's percentiles as notes."""

    def add(text: str) -> None:
        report.notes.append(Note(NAME, backend, text))

    add(
        f"dataset: {data.events:,} events, {data.bundles:,} bundles, {data.orders:,} orders, "
        f"{data.first_day}..{data.last_day}, counter rows "
        + ", ".join(f"{k} {v:,}" for k, v in data.counter_rows.items())
    )
    add(
        "load time: "
        + ", ".join(f"{k} {v:,.0f} s" for k, v in data.seconds.items())
        + f" ({data.events / data.seconds['events and counters']:,.0f} events/s written)"
    )
    add(f"database size: {database_size(url)}")
    for name, values in samples.items():
        ms = sorted(v * 1000 for v in values)
        p95 = percentile(ms, 0.95)
        verdict = (
            ""
            if "baseline" in name
            else (" (p95 < 100 ms: met)" if p95 < TARGET_MS else " (p95 < 100 ms: NOT met)")
        )
        add(
            f"{name}: p50 {percentile(ms, 0.5):.1f} ms, p95 {p95:.1f} ms, "
            f"p99 {percentile(ms, 0.99):.1f} ms, max {ms[-1]:.1f} ms over {len(ms)}{verdict}"
        )


def run(config: Config, report: Report) -> None:
    """Time the dashboards on each configured backend."""
    for backend, database in backends():
        with database() as url, tempfile.TemporaryDirectory(prefix="loom-bench-") as data_dir:
            measure(config, report, backend, url, Path(data_dir))
