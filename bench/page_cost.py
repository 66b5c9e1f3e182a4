"""Cost of one page view in process: CPU milliseconds and SQL round trips per page, on PostgreSQL.

Seeds the demo district (``--small``: the small demo) into a throwaway PostgreSQL database
migrated with every app, logs each demo role in through the real form with an in-process ASGI
client and opens every page of ``bench.load_pages`` ``--requests`` times after two warm-up
views. Reported per page: median wall and CPU ms per view (the whole process: client, event
loop and worker threads, so ``/api/v1/health`` is measured too as the floor), PostgreSQL's
CPU per view (the server processes behind the app's own connections, read from ``/proc``),
SQL statements per view (a ``before_cursor_execute`` listener) and the row-level-security
switches the kernel sends on the raw cursor besides. ``--profile PAGE`` runs that page under
cProfile with the thread pool inlined (cProfile sees one thread) and prints the 40 costliest
functions.
``--routes`` times route matching alone; ``--sql PAGE`` lists the statements of one view.
``--database-url`` reuses a seeded database (``--keep`` leaves the throwaway one in place).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import secrets
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, process_time
from typing import Any, TypeVar

import anyio.to_thread
import httpx2
from fastapi import FastAPI
from sqlalchemy import event
from starlette.routing import Match

from bench.core import postgres_server_url
from bench.load_pages import ROLES
from bench.machine import analyze
from bench.shopfloor_common import bench_settings
from bench.shopfloor_probe import process_cpu
from loom.app import create_app
from loom.demo.accounts import DEMO_PASSWORD
from loom.demo.district import seed_district
from loom.demo.small import seed_demo
from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.db import rls
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.loader import discover
from loom.modules.brain.service import sample_cache
from loom.testing.databases import create_postgres_database, drop_postgres_database

HEALTH = "/api/v1/health"
#: ``--cold``: drop what the brain keeps between views (``sample_cache``) before each timed view
COLD = False
WARMUP = 2
T = TypeVar("T")


@dataclass
class Counter:
    """SQL statements and raw row-level-security switches seen since the last reset."""

    statements: int = 0
    switches: int = 0
    log: list[str] | None = None  # the statements themselves, when asked for
    # the PostgreSQL server processes behind the app's pooled connections
    backends: set[int] = field(default_factory=set)

    def database_cpu(self) -> float:
        """Return the CPU seconds the app's PostgreSQL backends have used so far."""
        return sum(process_cpu(pid) for pid in self.backends if Path(f"/proc/{pid}").exists())


@dataclass(frozen=True)
class PageCost:
    """Median cost of one view of one page for one login."""

    page: str
    login: str
    status: int
    wall_ms: float
    cpu_ms: float
    # PostgreSQL's CPU per view: the app's backends over all timed views, /proc ticks of 10 ms
    db_cpu_ms: float
    statements: float
    switches: float
    size: int


@contextmanager
def counting(application: FastAPI) -> Iterator[Counter]:
    """Count statements on the app's engine and the kernel's raw role switches."""
    counter = Counter()
    engine = application.state.loom.engine

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        counter.statements += 1
        if counter.log is not None:
            counter.log.append(statement)

    original = rls._execute_raw

    def switch(connection: Any, sql: str) -> None:
        counter.switches += 1
        if counter.log is not None:
            counter.log.append(f"(raw) {sql}")
        original(connection, sql)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # only these backends' CPU is the pages' own: other databases on the server work too
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        counter.backends.add(int(cursor.fetchone()[0]))
        cursor.close()

    event.listen(engine, "before_cursor_execute", on_statement)
    if engine.dialect.name == "postgresql":
        engine.pool.dispose()  # so that every connection in use is one seen connecting
        event.listen(engine, "connect", on_connect)
    rls._execute_raw = switch  # the module looks it up per call
    try:
        yield counter
    finally:
        rls._execute_raw = original
        event.remove(engine, "before_cursor_execute", on_statement)
        if event.contains(engine, "connect", on_connect):
            event.remove(engine, "connect", on_connect)


@contextmanager
def inline_thread_pool() -> Iterator[None]:
    """Run FastAPI's sync dependencies and handlers on the event loop's thread (for cProfile)."""
    original = anyio.to_thread.run_sync

    async def run_sync(func: Callable[..., T], *args: Any, **_: Any) -> T:
        return func(*args)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


async def logged_in(application: FastAPI, username: str | None) -> httpx2.AsyncClient:
    """Return an in-process client, logged in through the form as ``username`` when given."""
    client = httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=application), base_url="http://loom.test"
    )
    await client.get("/login")
    if username is None:
        return client
    response = await client.post(
        "/login",
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "csrf_token": client.cookies[CSRF_COOKIE],
            "next": "/",
        },
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise RuntimeError(f"login as {username}: {response.status_code}")
    return client


async def page_cost(
    client: httpx2.AsyncClient, counter: Counter, page: str, login: str, requests: int
) -> PageCost:
    """Open ``page`` ``requests`` times after a warm-up; return the medians per view."""
    for _ in range(WARMUP):
        await client.get(page)
    walls, cpus, statements, switches = [], [], [], []
    status = size = 0
    database0 = counter.database_cpu()
    for _ in range(requests):
        counter.statements = counter.switches = 0
        if COLD:
            forget_kept()
        cpu0, wall0 = process_time(), perf_counter()
        response = await client.get(page, follow_redirects=False)
        cpus.append(process_time() - cpu0)
        walls.append(perf_counter() - wall0)
        statements.append(counter.statements)
        switches.append(counter.switches)
        status, size = response.status_code, len(response.content)
    database = counter.database_cpu() - database0
    return PageCost(
        page=page,
        login=login,
        status=status,
        wall_ms=1000 * statistics.median(walls),
        cpu_ms=1000 * statistics.median(cpus),
        db_cpu_ms=1000 * database / requests,
        statements=statistics.median(statements),
        switches=statistics.median(switches),
        size=size,
    )


def forget_kept() -> None:
    """Drop the brain's kept samples and built tables, so the next view reads everything."""
    sample_cache.SAMPLES.clear()
    sample_cache.FIGURES.clear()


def role_pages(logins: set[str]) -> list[tuple[str, str]]:
    """Return (login, page) for each page of each role, with the role's first present login."""
    pairs: list[tuple[str, str]] = []
    for role in ROLES:
        login = next((name for name in role.usernames if name in logins), None)
        if login is not None:
            pairs.extend((login, page) for page in role.pages)
    return pairs


async def measure(application: FastAPI, requests: int, only: str | None) -> list[PageCost]:
    """Measure the health check and every (login, page) pair."""
    logins = all_logins()
    pairs = [(login, page) for login, page in role_pages(logins) if only in (None, page)]
    results = []
    with counting(application) as counter:
        anonymous = await logged_in(application, None)
        results.append(await page_cost(anonymous, counter, HEALTH, "-", requests))
        clients: dict[str, httpx2.AsyncClient] = {}
        for login, page in pairs:
            if login not in clients:
                clients[login] = await logged_in(application, login)
            results.append(await page_cost(clients[login], counter, page, login, requests))
        for client in [anonymous, *clients.values()]:
            await client.aclose()
    return results


async def statements(application: FastAPI, page: str) -> list[str]:
    """Return the statements one view of ``page`` sends, after a warm-up view."""
    logins = all_logins()
    login = next(name for name, p in role_pages(logins) if p == page)
    client = await logged_in(application, login)
    await client.get(page)
    with counting(application) as counter:
        counter.log = []
        await client.get(page)
    await client.aclose()
    return counter.log


async def profile(application: FastAPI, page: str, requests: int, out: io.StringIO) -> None:
    """Profile ``requests`` views of ``page`` (thread pool inlined) and write the top functions."""
    logins = all_logins()
    login = next(name for name, p in role_pages(logins) if p == page)
    client = await logged_in(application, login)
    with inline_thread_pool():
        for _ in range(WARMUP):
            await client.get(page)
        # CPU time, not wall: waiting for PostgreSQL is not this process's cost
        profiler = cProfile.Profile(process_time)
        profiler.enable()
        for _ in range(requests):
            if COLD:
                profiler.disable()
                forget_kept()
                profiler.enable()
            await client.get(page)
        profiler.disable()
    await client.aclose()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats("/loom/", 40)  # Loom's own functions first
    stats.sort_stats("tottime").print_stats(25)


def routing_costs(application: FastAPI, rounds: int = 100) -> list[str]:
    """Return the time FastAPI takes to find the route of each page (matching only, no call)."""
    paths = [HEALTH, *dict.fromkeys(page for _, page in role_pages(all_logins())), "/no/such/page"]
    lines = [f"{'path':34} {'route match µs':>14}"]
    for path in paths:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
        began = perf_counter()
        for _ in range(rounds):
            # what the application's router does first for every request
            for route in application.router.routes:
                if route.matches({**scope, "app": application})[0] == Match.FULL:
                    break
        lines.append(f"{path:34} {1e6 * (perf_counter() - began) / rounds:14.0f}")
    return lines


def all_logins() -> set[str]:
    """Return every login some role of the load scenario uses."""
    return {name for role in ROLES for name in role.usernames}


def table(results: Sequence[PageCost]) -> list[str]:
    """Return the results as aligned text lines, in the order measured (roles, then pages)."""
    head = (
        f"{'page':34} {'login':10} {'st':>3} {'wall ms':>8} {'cpu ms':>7} {'db ms':>6} "
        f"{'sql':>5} {'rls':>4}"
    )
    lines = [head]
    pages = results[1:]
    for cost in results:
        lines.append(
            f"{cost.page:34} {cost.login:10} {cost.status:>3} {cost.wall_ms:8.1f} "
            f"{cost.cpu_ms:7.1f} {cost.db_cpu_ms:6.1f} {cost.statements:5.0f} {cost.switches:4.0f}"
        )
    views = [c for c in pages if c.status == 200]
    if views:
        cpu = statistics.fmean(c.cpu_ms for c in views)
        database = statistics.fmean(c.db_cpu_ms for c in views)
        lines.append(
            f"mean over {len(views)} pages: cpu {cpu:.1f} ms, database cpu {database:.1f} ms, "
            f"sql {statistics.fmean(c.statements for c in views):.1f}, "
            f"rls switches {statistics.fmean(c.switches for c in views):.1f} per view"
        )
    return lines


def seed(url: str, data_dir: Path, small: bool) -> str:
    """Seed the district (or the small demo) into ``url``; return the secret key used."""
    secret = secrets.token_urlsafe(48)
    settings = bench_settings(url, data_dir).model_copy(update={"secret_key": secret})
    application = create_app(settings)
    try:
        with session_scope(application.state.loom.session_factory) as session:
            if small:
                seed_demo(session, secret_key=secret)
            else:
                seed_district(session, secret_key=secret)
        analyze(application.state.loom.engine)
    finally:
        application.state.loom.engine.dispose()
    return secret


def run(url: str, args: argparse.Namespace, data_dir: Path) -> None:
    """Measure (or profile) the pages of the seeded database at ``url`` and print the result."""
    settings = bench_settings(url, data_dir)
    application = create_app(settings)
    try:
        if args.routes:
            print("\n".join(routing_costs(application)))
        elif args.sql:
            for number, sql in enumerate(asyncio.run(statements(application, args.sql)), 1):
                print(f"{number:3} {' '.join(sql.split())[:300]}")
        elif args.profile:
            out = io.StringIO()
            asyncio.run(profile(application, args.profile, args.requests, out))
            print(out.getvalue())
        else:
            results = asyncio.run(measure(application, args.requests, args.page))
            print("\n".join(table(results)))
    finally:
        application.state.loom.engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Seed (unless ``--database-url``), then measure or profile; print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.page_cost", description=__doc__)
    parser.add_argument("--requests", type=int, default=20, help="timed views per page")
    parser.add_argument("--small", action="store_true", help="seed the small demo instead")
    parser.add_argument("--page", help="measure only this page")
    parser.add_argument("--profile", metavar="PAGE", help="profile this page with cProfile")
    parser.add_argument("--routes", action="store_true", help="time route matching per page")
    parser.add_argument("--sql", metavar="PAGE", help="print the statements of one view")
    parser.add_argument("--database-url", help="a seeded database to reuse (not dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument(
        "--cold", action="store_true", help="drop the brain's kept figures before each view"
    )
    args = parser.parse_args(argv)
    global COLD
    COLD = args.cold
    with tempfile.TemporaryDirectory(prefix="loom-page-cost-") as directory:
        data_dir = Path(directory)
        if args.database_url:
            run(args.database_url, args, data_dir)
            return 0
        server = postgres_server_url()
        if server is None:
            print("set LOOM_BENCH_POSTGRES_URL or LOOM_TEST_POSTGRES_URL", file=sys.stderr)
            return 2
        url = create_postgres_database(server, discover())
        try:
            began = perf_counter()
            seed(url, data_dir, args.small)
            print(f"seeded in {perf_counter() - began:.0f} s: {url}", file=sys.stderr)
            run(url, args, data_dir)
        finally:
            if not args.keep:
                drop_postgres_database(server, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
