"""Alembic environment: one version branch per module and app, shipped inside the package."""

from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy import Connection

from loom.kernel.db.base import Base
from loom.kernel.db.metadata import import_all_models

config = context.config
import_all_models(config.attributes.get("models_modules", []))
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run migrations on the connection handed in by ``loom db upgrade`` or on the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from loom.kernel.db.session import build_engine
    from loom.settings import Settings, normalise_database_url

    url = config.get_main_option("sqlalchemy.url") or Settings().effective_database_url
    engine = build_engine(normalise_database_url(url))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


importlib.invalidate_caches()
run()
