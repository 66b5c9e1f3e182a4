"""Operator-hours keyed by hour first (migration shopfloor_0006): rows, trigger and way back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from loom.kernel.db.migrate import alembic_config, upgrade
from loom.kernel.db.session import build_engine
from loom.kernel.plugins.spec import AppSpec
from loom.modules.shopfloor.models import OperatorHour
from loom.testing.databases import (
    POSTGRES_ENV,
    create_postgres_database,
    drop_postgres_database,
    fresh_sqlite,
    postgres_url,
)
from loom.testing.plugin import both_backends

TABLE = "shopfloor_operator_hour"
HOUR_FIRST = ["org_id", "hour", "operator_id", "line_id"]
OPERATOR_FIRST = ["org_id", "operator_id", "hour", "line_id"]
#: (operator, hour, line, done, earned e4, earnings e4): two operators, one on two lines
ROWS = [
    (7, datetime(2026, 11, 2, 1), 1, 12, 90_000, 36_000),
    (7, datetime(2026, 11, 2, 2), 2, 5, 40_000, 15_000),
    (3, datetime(2026, 11, 2, 1), 1, 9, 70_000, 27_000),
]


@pytest.fixture
def engine(
    loom_backend: str, loom_sqlite_template: Path, tmp_path: Path, loom_apps: list[AppSpec]
) -> Iterator[Engine]:
    """Yield an engine on a database of its own, migrated to the head (it is migrated again)."""
    server = postgres_url()
    if loom_backend == "sqlite":
        url = fresh_sqlite(loom_sqlite_template, tmp_path)
    else:
        if server is None:
            # as the shared PostgreSQL fixture does: the suite summary reports the skip
            pytest.skip(f"{POSTGRES_ENV} not set: PostgreSQL suite skipped")
        url = create_postgres_database(server, loom_apps)
    built = build_engine(url)
    try:
        yield built
    finally:
        built.dispose()
        if loom_backend != "sqlite" and server is not None:
            drop_postgres_database(server, url)


def _key(engine: Engine) -> list[str]:
    return list(inspect(engine).get_pk_constraint(TABLE)["constrained_columns"])


def _rows(engine: Engine, org_id: int) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT operator_id, hour, line_id, done_qty, earned_e4, earnings_e4 "
                f"FROM {TABLE} WHERE org_id = :org ORDER BY operator_id, hour"
            ),
            {"org": org_id},
        )
        # SQLite gives the stored text back from a raw query, PostgreSQL an aware UTC time
        return [(o, _naive_utc(h), *rest) for o, h, *rest in found]


def _naive_utc(value: datetime | str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _without_rowid(engine: Engine) -> bool | None:
    """Return whether SQLite stores the table without a rowid (None on PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as conn:
        sql = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": TABLE}
        ).scalar_one()
    return "WITHOUT ROWID" in sql


@both_backends
def test_operator_hours_keep_their_rows_and_cascade_across_the_key_change(
    engine: Engine, loom_apps: list[AppSpec]
) -> None:
    assert list(OperatorHour.__table__.primary_key.columns.keys()) == HOUR_FIRST
    with engine.begin() as conn:
        org_id = conn.execute(
            text(
                "INSERT INTO tenancy_organisation (slug, name, kind, is_active, created_at) "
                "VALUES ('hours', 'Hours', 'enterprise', true, :now) RETURNING id"
            ),
            {"now": datetime(2026, 11, 1)},
        ).scalar_one()
        conn.execute(
            text(
                f"INSERT INTO {TABLE} (org_id, operator_id, hour, line_id, done_qty, "
                "earned_e4, earnings_e4) VALUES (:org, :o, :h, :l, :d, :e, :p)"
            ),
            [dict(zip("ohldep", row, strict=True), org=org_id) for row in ROWS],
        )
    expected = sorted(ROWS)
    assert _key(engine) == HOUR_FIRST
    assert _without_rowid(engine) in (True, None)
    assert _rows(engine, org_id) == expected

    cfg = alembic_config(loom_apps)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "shopfloor_0005")
    assert _key(engine) == OPERATOR_FIRST
    assert _without_rowid(engine) in (False, None)
    assert _rows(engine, org_id) == expected

    upgrade(engine, loom_apps)
    assert _key(engine) == HOUR_FIRST
    assert _without_rowid(engine) in (True, None)
    assert _rows(engine, org_id) == expected

    # the organisation's trigger (shopfloor_0004) outlived both copies of the table
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM tenancy_organisation WHERE id = :org"), {"org": org_id})
    assert _rows(engine, org_id) == []
