"""Test databases: a migrated SQLite template copied per test, or a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from loom.kernel.db.migrate import upgrade
from loom.kernel.db.session import build_engine
from loom.kernel.plugins.spec import AppSpec
from loom.settings import normalise_database_url

POSTGRES_ENV = "LOOM_TEST_POSTGRES_URL"
MQTT_ENV = "LOOM_TEST_MQTT_URL"


def postgres_url() -> str | None:
    """Return the PostgreSQL server URL for tests, if configured."""
    value = os.environ.get(POSTGRES_ENV, "").strip()
    return normalise_database_url(value) if value else None


def mqtt_url() -> str | None:
    """Return the MQTT broker URL for tests, if configured."""
    value = os.environ.get(MQTT_ENV, "").strip()
    return value or None


def migrated_sqlite_template(directory: Path, apps: Iterable[AppSpec]) -> Path:
    """Create and migrate an SQLite file that each test copies."""
    path = directory / "template.sqlite3"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine, apps)
    engine.dispose()
    return path


def fresh_sqlite(template: Path, directory: Path) -> str:
    """Copy the template and return the URL of the copy."""
    target = directory / f"{uuid.uuid4().hex}.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def create_postgres_database(server_url: str, apps: Iterable[AppSpec]) -> str:
    """Create a new database on the server, migrate it, and return its URL."""
    name = f"loom_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = build_engine(url)
    upgrade(engine, apps)
    engine.dispose()
    return url


def drop_postgres_database(server_url: str, url: str) -> None:
    """Drop a test database created by ``create_postgres_database``."""
    name = make_url(url).database
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def truncate_all(url: str) -> None:
    """Empty every table of a PostgreSQL test database between tests."""
    engine = build_engine(url)
    with engine.begin() as conn:
        names = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if names:
            joined = ", ".join(f'"{n}"' for n in names)
            conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
    engine.dispose()
