"""The PostgreSQL test database is really empty between tests, as TRUNCATE … RESTART left it."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from loom.kernel.db.session import build_engine
from loom.kernel.tenancy.models import OrgKind
from loom.testing.databases import truncate_all
from loom.testing.factory import Factory


@pytest.mark.postgres
@pytest.mark.parametrize("loom_backend", ["postgres"], indirect=True)
def test_truncate_all_empties_every_table_and_restarts_ids(
    loom_app: FastAPI, factory: Factory, loom_db_url: str
) -> None:
    first = factory.org("first", OrgKind.ENTERPRISE)
    second = factory.org("second", OrgKind.BUREAU)
    factory.user("someone", (first, "admin"), (second, "member"))
    assert second.id > first.id >= 1
    truncate_all(loom_db_url)
    engine = build_engine(loom_db_url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            ).scalars()
            counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
            # the migration's own row stays: the schema is still at head
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() >= 1
    finally:
        engine.dispose()
    assert len(counts) > 50, "the probe missed the schema's tables"
    assert {t: n for t, n in counts.items() if n} == {}
    # ids restart at 1, as after TRUNCATE … RESTART IDENTITY (tests compare ids they made)
    assert factory.org("again", OrgKind.ENTERPRISE).id == 1
