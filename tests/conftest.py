"""Shared fixtures for Loom's own tests (the reusable ones live in loom.testing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import Result
from typer.testing import CliRunner

from loom.kernel.bootstrap import cli_runtime
from loom.settings import Settings

RunCli = Callable[..., Result]


def point_cli_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make later ``loom`` commands in this test use another database."""
    cli_runtime().engine.dispose()
    cli_runtime.cache_clear()
    monkeypatch.setenv("LOOM_DATABASE_URL", url)


@pytest.fixture
def run_cli(loom_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunCli]:
    """Return a runner for ``loom`` commands against this test's database."""
    from loom.cli import app

    monkeypatch.setenv("LOOM_DATABASE_URL", loom_settings.database_url)
    monkeypatch.setenv("LOOM_DATA_DIR", str(loom_settings.data_dir))
    monkeypatch.setenv("LOOM_MQTT_URL", loom_settings.mqtt_url)
    cli_runtime.cache_clear()
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    yield run
    cli_runtime().engine.dispose()
    cli_runtime.cache_clear()
