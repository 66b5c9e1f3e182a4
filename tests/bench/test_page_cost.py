"""The page-cost tool's database CPU: it follows the app's own PostgreSQL backends."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from bench.page_cost import counting
from sqlalchemy import create_engine, text


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_counting_follows_the_backends_of_the_apps_connections(loom_db_url: str) -> None:
    engine = create_engine(loom_db_url)
    application = SimpleNamespace(state=SimpleNamespace(loom=SimpleNamespace(engine=engine)))
    try:
        with counting(application) as counter:  # type: ignore[arg-type]
            before = counter.database_cpu()
            with engine.connect() as connection:
                own = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
                # about a second of one backend's CPU: far above /proc's 10 ms ticks
                connection.execute(text("SELECT count(*) FROM generate_series(1, 20000000)"))
            used = counter.database_cpu() - before
        assert counter.backends == {own}
        # the statements counted are the two above (the pid lookup on connect is raw)
        assert counter.statements == 2
        assert used > 0.2, used
    finally:
        engine.dispose()
