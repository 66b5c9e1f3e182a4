"""Shared by the shop-floor benchmarks: databases with the shop-floor apps, a server, a factory."""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.core import DatabaseFactory, postgres_server_url
from bench.request_auth import Server, uvicorn_server
from loom.app import create_app
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.loader import discover
from loom.kernel.plugins.spec import AppSpec
from loom.modules.shopfloor.service.sample import SampleFactory, seed_sample_factory
from loom.settings import Settings
from loom.testing.databases import (
    create_postgres_database,
    drop_postgres_database,
    migrated_sqlite_template,
)
from loom.testing.factory import Factory, OrgRef


def shopfloor_apps() -> list[AppSpec]:
    """Return the shop-floor app and the apps it depends on (masterdata), as installed.

    Only these are migrated and served: the other apps add nothing the shop-floor benchmarks
    touch, and an app being edited elsewhere in a shared checkout cannot stop the benchmark.
    """
    specs = {spec.slug: spec for spec in discover()}
    wanted: list[str] = []
    pending = ["shopfloor"]
    while pending:
        slug = pending.pop()
        if slug not in wanted:
            wanted.append(slug)
            pending.extend(specs[slug].dependencies)
    return sorted((specs[slug] for slug in wanted), key=lambda spec: spec.slug)


@contextmanager
def sqlite_database() -> Iterator[str]:
    """Yield the URL of an SQLite file migrated with the shop-floor apps, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="loom-bench-") as directory:
        path = migrated_sqlite_template(Path(directory), shopfloor_apps())
        yield f"sqlite:///{path}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """Yield the URL of a throwaway PostgreSQL database migrated with the shop-floor apps."""
    url = create_postgres_database(server_url, shopfloor_apps())
    try:
        yield url
    finally:
        drop_postgres_database(server_url, url)


#: comma-separated backend names to run (default: every configured one)
ONLY_ENV = "LOOM_BENCH_BACKENDS"


def backends() -> list[tuple[str, DatabaseFactory]]:
    """Return (name, database factory) for SQLite and, when configured, PostgreSQL.

    ``LOOM_BENCH_BACKENDS=postgresql`` (or ``sqlite``) keeps one of them: loading ten million
    events takes long enough that the two backends are sometimes run as separate commands.
    """
    found: list[tuple[str, DatabaseFactory]] = [("sqlite", sqlite_database)]
    server = postgres_server_url()
    if server is not None:
        found.append(("postgresql", lambda: postgres_database(server)))
    wanted = {name.strip() for name in os.environ.get(ONLY_ENV, "").split(",") if name.strip()}
    return [(name, factory) for name, factory in found if not wanted or name in wanted]


def bench_settings(url: str, data_dir: Path) -> Settings:
    """Return production settings on ``url`` with a fresh secret."""
    return Settings(
        env="production",
        database_url=url,
        data_dir=data_dir,
        secret_key=secrets.token_urlsafe(48),
    )


@contextmanager
def app_server(settings: Settings) -> Iterator[Server]:
    """Start one uvicorn process serving the shop-floor apps on a loopback port; stop on exit."""
    with uvicorn_server(settings, "bench.shopfloor_server:app") as server:
        yield server


@contextmanager
def setup_app(settings: Settings) -> Iterator[FastAPI]:
    """Yield an in-process application (shop-floor apps) for seeding; dispose of its engine."""
    application = create_app(settings, shopfloor_apps())
    try:
        yield application
    finally:
        application.state.loom.engine.dispose()


@dataclass(frozen=True)
class Plant:
    """A seeded garment factory: its organisation and what was seeded in it."""

    org: OrgRef
    sample: SampleFactory


def seed_plant(
    application: FastAPI,
    slug: str,
    *,
    lines: int,
    operators_per_line: int,
    bundles_per_order: int,
) -> Plant:
    """Create an enterprise and seed the sample factory into it (style, lines, operators…)."""
    factory = Factory(application)
    org = factory.org(slug)
    with session_scope(application.state.loom.session_factory) as session:
        scope = system_scope(org.id, org.kind, "bench")
        bind_scope(session, scope)
        sample = seed_sample_factory(
            session,
            scope,
            prefix=slug[:3].upper(),
            lines=lines,
            operators_per_line=operators_per_line,
            bundles_per_order=bundles_per_order,
        )
    return Plant(org, sample)


def percentile(values: Sequence[float], share: float) -> float:
    """Return the ``share`` quantile (0..1) by inclusive interpolation."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    index = round(share * 100)
    return cuts[index - 1] if 1 <= index <= 99 else (min(values) if index < 1 else max(values))


def database_size(url: str) -> str:
    """Return the database's size on disk (SQLite: file and WAL; PostgreSQL: the database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
        return f"{total / 1024**3:.2f} GiB (SQLite file and WAL)"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            whole = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            events = conn.execute(
                text("SELECT pg_total_relation_size('shopfloor_event')")
            ).scalar_one()
    finally:
        engine.dispose()
    return (
        f"{whole / 1024**3:.2f} GiB (database), of which shopfloor_event with its indexes "
        f"{events / 1024**3:.2f} GiB"
    )
