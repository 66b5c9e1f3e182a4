"""Facts about the machine and the software a run measured, for the results file."""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

REPO = Path(__file__).resolve().parent.parent


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git_commit() -> str | None:
    # Read .git directly: the run must not depend on (or change) anything through git itself.
    head = REPO / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if not ref.startswith("ref: "):
            return ref
        name = ref.removeprefix("ref: ")
        loose = REPO / ".git" / name
        if loose.exists():
            return loose.read_text().strip()
        for line in (REPO / ".git" / "packed-refs").read_text().splitlines():
            if line.endswith(" " + name):
                return line.split()[0]
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def postgres_facts(server_url: str) -> dict[str, str]:
    """Return the server version and the settings that decide commit cost."""
    engine = create_engine(server_url)
    try:
        with engine.connect() as conn:
            return {
                name: str(conn.execute(text(f"SHOW {name}")).scalar_one())
                for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")
            }
    finally:
        engine.dispose()


def machine_facts(postgres_server: str | None) -> dict[str, Any]:
    """Return CPU, memory, load and software versions of this run."""
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(cpus) if cpus is not None else None,
        "ram_gib": _ram_gib(),
        "load_average_at_start": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": _version("sqlalchemy"),
        "psycopg": _version("psycopg"),
        "fastapi": _version("fastapi"),
        "starlette": _version("starlette"),
        "uvicorn": _version("uvicorn"),
        "uvloop": _version("uvloop"),
        "httptools": _version("httptools"),
        "httpx2": _version("httpx2"),
        "ortools": _version("ortools"),
        "temp_dir": tempfile.gettempdir(),
        "postgresql": postgres_facts(postgres_server) if postgres_server else None,
        "git_commit": _git_commit(),
    }


def analyze(engine: Engine) -> None:
    """Gather the planner's statistics after seeding, as autovacuum would in production.

    This machine's PostgreSQL runs with autovacuum off, so a freshly seeded database has no
    statistics at all and every page would be planned blind; SQLite gets ANALYZE too.
    """
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
