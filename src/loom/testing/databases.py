"""Test databases: a migrated SQLite template copied per test, or a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
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
    """Empty every table of a PostgreSQL test database between tests; restart its sequences."""
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
            _empty_tables(conn, list(names))
    engine.dispose()


def _name_if_any_row(quoted_table: str, name_param: str) -> str:
    """Return a query giving the parameter ``name_param`` if the table has a row."""
    return f"(SELECT CAST(:{name_param} AS text) FROM {quoted_table} LIMIT 1)"  # noqa: S608  # nosec B608


def _empty_tables(conn: Connection, names: list[str]) -> None:
    """Delete the rows of the tables that have any, then restart every used sequence."""
    # TRUNCATE of all ~80 tables took 2-4 s per test (it gives every table and index new files);
    # a test writes to a handful, and DELETE of their few rows takes milliseconds. One probe
    # finds the tables with rows.
    quote = conn.dialect.identifier_preparer.quote
    # table names from pg_tables, quoted; no outside input reaches these statements
    probe = " UNION ALL ".join(_name_if_any_row(quote(n), f"t{i}") for i, n in enumerate(names))
    params = {f"t{i}": n for i, n in enumerate(names)}
    used = conn.execute(text(probe), params).scalars().all()
    if used:
        # Every table with rows is emptied in this transaction, so the foreign keys hold again
        # at the end; replica mode only lets the deletes run in any order. It needs a superuser
        # (the test server's account); anyone else gets the slow TRUNCATE … CASCADE.
        if conn.execute(text("SELECT current_setting('is_superuser') = 'on'")).scalar():
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for name in used:
                conn.execute(text(f"DELETE FROM {quote(name)}"))  # noqa: S608  # nosec B608
            conn.execute(text("SET LOCAL session_replication_role = origin"))
        else:
            joined = ", ".join(f'"{n}"' for n in used)
            conn.execute(text(f"TRUNCATE {joined} CASCADE"))
    # What TRUNCATE … RESTART IDENTITY did: ids start again at each sequence's start value
    # (tests may count on them), also where an insert was rolled back and left no row.
    conn.execute(
        text(
            "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
            "FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
        )
    )
