"""`loom db check` and `loom doctor` report tenant tables that lost row-level security."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from loom.kernel.db import rls
from loom.kernel.db.session import build_engine
from loom.settings import Settings
from loom.testing.plugin import both_backends
from tests.conftest import RunCli

#: a module's table and an app's table: the CLI's runtime must know the apps' models too
STRIPPED = ("shopfloor_order", "scheduling_plan")


@pytest.fixture
def stripped(loom_settings: Settings) -> Iterator[None]:
    """Drop the isolation policy of STRIPPED's tables; put every policy back afterwards."""
    engine = build_engine(loom_settings.database_url)
    try:
        with engine.begin() as conn:
            for table in STRIPPED:
                conn.execute(text(f'DROP POLICY {rls.ISOLATION_POLICY} ON "{table}"'))
        yield
    finally:
        # the run's PostgreSQL database is shared by the later tests of this worker
        with engine.begin() as conn:
            rls.enable_row_level_security(conn)
            assert rls.unprotected_tables(conn) == []
        engine.dispose()


@both_backends
def test_db_check_passes_on_a_migrated_database(run_cli: RunCli, loom_backend: str) -> None:
    result = run_cli("db", "check")
    assert result.exit_code == 0, result.output
    assert "no pending migrations" in result.output
    # SQLite has no row-level security: nothing to report about it
    said = "row-level security on every tenant table" in result.output
    assert said == (loom_backend == "postgres")


@pytest.mark.postgres
@pytest.mark.parametrize("loom_backend", ["postgres"], indirect=True)
@pytest.mark.usefixtures("stripped")
def test_db_check_and_doctor_name_tables_without_row_level_security(run_cli: RunCli) -> None:
    result = run_cli("db", "check")
    assert result.exit_code == 1
    # sorted by name, both tables named
    assert "tenant tables without row-level security: scheduling_plan, shopfloor_order" in (
        result.output
    )
    doctor = run_cli("doctor")
    assert doctor.exit_code == 1
    assert "rls       FAIL no row-level security on scheduling_plan, shopfloor_order" in (
        doctor.output
    )
