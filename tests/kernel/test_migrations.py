"""`loom db upgrade` on SQLite and PostgreSQL, and migrations that match the models."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from loom.kernel.db.base import Base
from loom.kernel.db.metadata import import_all_models
from loom.kernel.db.migrate import pending
from loom.kernel.db.session import build_engine
from loom.kernel.plugins.spec import AppSpec
from loom.testing.databases import postgres_url
from loom.testing.plugin import both_backends
from tests.conftest import RunCli


def _empty_database(backend: str, tmp_path: Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", None
    server = postgres_url()
    assert server is not None
    name = f"loom_fresh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False), name


def _drop(name: str | None) -> None:
    server = postgres_url()
    if name is None or server is None:
        return
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@both_backends
def test_db_upgrade_creates_every_table_and_is_idempotent(
    loom_backend: str,
    run_cli: RunCli,
    tmp_path: Path,
    loom_apps: list[AppSpec],
) -> None:
    url, name = _empty_database(loom_backend, tmp_path)
    try:
        run_cli.use_database(url)
        assert run_cli("db", "check").exit_code == 1  # nothing applied yet
        first = run_cli("db", "upgrade")
        assert first.exit_code == 0, first.output
        again = run_cli("db", "upgrade")
        assert again.exit_code == 0
        checked = run_cli("db", "check")
        assert checked.exit_code == 0, checked.output
        engine = build_engine(url)
        import_all_models([s.models_module for s in loom_apps if s.models_module])
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert pending(engine, loom_apps) == set()
        engine.dispose()
    finally:
        run_cli.close()
        _drop(name)


@both_backends
def test_migrations_match_the_models(loom_db_url: str, loom_apps: list[AppSpec]) -> None:
    """A model change without a migration shows up here as a difference."""
    import_all_models([s.models_module for s in loom_apps if s.models_module])
    engine = build_engine(loom_db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []
