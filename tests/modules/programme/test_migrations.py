"""The programme branch downgrades to nothing and upgrades back to the same schema, in order."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, text

from loom.kernel.db.migrate import alembic_config, upgrade
from loom.kernel.db.session import build_engine
from loom.kernel.plugins.spec import AppSpec
from loom.testing.databases import fresh_sqlite

#: the tables in the order revisions programme_0001 (foreign keys first) and _0002 create them
CREATION_ORDER = [
    "programme_contractor_application",
    "programme_enterprise",
    "programme_list",
    "programme_plan",
    "programme_product",
    "programme_scenario",
    "programme_contractor_score",
    "programme_need",
    "programme_pilot_application",
    "programme_product_mark",
    "programme_project",
    "programme_acceptance",
    "programme_investment",
    "programme_onsite_result",
    "programme_pilot_score",
    "programme_transition",
    "programme_showcase",
]


def _programme_objects(engine: Engine) -> list[tuple[str, str, str, str | None]]:
    """Return the programme tables and indexes with their SQL, in the order they were made."""
    query = text(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE tbl_name LIKE 'programme\\_%' ESCAPE '\\' ORDER BY rowid"
    )
    with engine.connect() as conn:
        return [(r.type, r.name, r.tbl_name, r.sql) for r in conn.execute(query)]


def test_programme_downgrades_and_upgrades_back_unchanged(
    loom_sqlite_template: Path, tmp_path: Path, loom_apps: list[AppSpec]
) -> None:
    engine = build_engine(fresh_sqlite(loom_sqlite_template, tmp_path))
    try:
        before = _programme_objects(engine)
        tables = [name for kind, name, _table, _sql in before if kind == "table"]
        assert tables == CREATION_ORDER
        # 48 single-column indexes in programme_0001, 6 in programme_0002
        assert sum(1 for kind, name, *_rest in before if name.startswith("ix_")) == 54

        cfg = alembic_config(loom_apps)
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "programme@base")
        assert _programme_objects(engine) == []
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
            assert "tenancy_organisation" in set(kept.scalars())

        upgrade(engine, loom_apps)
        assert _programme_objects(engine) == before
    finally:
        engine.dispose()
