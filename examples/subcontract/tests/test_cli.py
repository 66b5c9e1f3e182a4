"""``loom subcontract overdue --org SLUG``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import loom.cli
from loom.kernel.bootstrap import cli_runtime
from loom.settings import Settings
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from tests.helpers import API, add_receipt, create_job, future


@pytest.fixture
def runner(loom_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """Point the ``loom`` command at this test's database, with the app's commands mounted."""
    monkeypatch.setenv("LOOM_DATABASE_URL", loom_settings.database_url)
    monkeypatch.setenv("LOOM_DATA_DIR", str(loom_settings.data_dir))
    cli_runtime.cache_clear()
    loom.cli.mount_app_clis()
    yield CliRunner()
    cli_runtime().engine.dispose()
    cli_runtime.cache_clear()


def test_overdue_lists_only_late_open_jobs_of_that_organisation(
    runner: CliRunner, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    a = pair.client_a
    late = create_job(a, reference="LATE-1", qty_sent=100)  # due 2026-03-09, in the past
    add_receipt(a, late["id"], received=35, defective=5)  # 100 - 40 = 60 still out
    done = create_job(a, reference="DONE-1", qty_sent=10)
    add_receipt(a, done["id"], received=10)  # all back: not overdue
    create_job(a, reference="SOON-1", due_on=future(3))  # not due yet
    shut = create_job(a, reference="SHUT-1")
    a.patch(f"{API}/jobs/{shut['id']}", json={"status": "closed"})  # closed: settled
    create_job(pair.client_b, reference="OTHER-ORG")  # overdue, but B's

    result = runner.invoke(loom.cli.app, ["subcontract", "overdue", "--org", pair.a.slug])
    assert result.exit_code == 0, result.output
    assert f"{pair.a.slug}: 1 overdue job(s)" in result.output
    assert "LATE-1" in result.output
    assert "60 of 100 out" in result.output
    for absent in ("DONE-1", "SOON-1", "SHUT-1", "OTHER-ORG"):
        assert absent not in result.output

    b_result = runner.invoke(loom.cli.app, ["subcontract", "overdue", "--org", pair.b.slug])
    assert b_result.exit_code == 0
    assert "OTHER-ORG" in b_result.output
    assert "LATE-1" not in b_result.output


def test_overdue_with_nothing_late_or_an_unknown_org(runner: CliRunner, factory: Factory) -> None:
    org = factory.org("quiet")
    result = runner.invoke(loom.cli.app, ["subcontract", "overdue", "--org", org.slug])
    assert result.exit_code == 0
    assert "no overdue jobs" in result.output
    unknown = runner.invoke(loom.cli.app, ["subcontract", "overdue", "--org", "nobody"])
    assert unknown.exit_code == 2
    assert "nobody" in unknown.output
