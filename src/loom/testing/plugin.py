"""Pytest plugin (entry point ``pytest11``): Loom fixtures and the real-services suite report."""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import Result

from loom.kernel.bootstrap import cli_runtime
from loom.kernel.identity import secrets as secrets_module
from loom.kernel.plugins.loader import discover
from loom.kernel.plugins.spec import AppSpec
from loom.settings import Settings
from loom.testing.appcache import app_for_test
from loom.testing.databases import (
    POSTGRES_ENV,
    create_postgres_database,
    drop_postgres_database,
    fresh_sqlite,
    migrated_sqlite_template,
    mqtt_url,
    postgres_url,
    truncate_all,
)
from loom.testing.factory import Factory

SUITES = ("postgres", "mqtt", "browser")
REQUIRE_ENV = "LOOM_REQUIRE_SUITES"
_suite_of: dict[str, set[str]] = {}
_outcomes: dict[str, Counter[str]] = {s: Counter() for s in SUITES}


def pytest_configure(config: pytest.Config) -> None:
    """Register Loom's markers and make password hashing cheap for the test run only."""
    # Tests create and log in many users; argon2id with production cost (64 MiB, 3 passes)
    # would dominate the run. Same algorithm, smaller cost; production code is untouched.
    secrets_module._hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    config.addinivalue_line("markers", "postgres: needs LOOM_TEST_POSTGRES_URL")
    config.addinivalue_line("markers", "mqtt: needs LOOM_TEST_MQTT_URL")
    config.addinivalue_line("markers", "browser: drives headless chromium")
    # registered by pytest-xdist too; declared here so --strict-markers holds without it
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")
    config.pluginmanager.register(_GroupIds(), "loom-xdist-group-ids")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Remember each test's real-service suite; keep MQTT tests on one xdist worker."""
    for item in items:
        _suite_of[item.nodeid] = {s for s in SUITES if item.get_closest_marker(s)}
        if item.get_closest_marker("mqtt") and not item.get_closest_marker("xdist_group"):
            # Shared subscriptions match every organisation's topic: two workers' MQTT tests
            # running at once would receive each other's messages. Under `--dist loadgroup`
            # (make test) they run one after another on one worker; elsewhere this is inert.
            item.add_marker(pytest.mark.xdist_group("mqtt"))


class _GroupIds:
    """Registered in ``pytest_configure``: a second collection hook, after pytest-xdist's."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Name the test's ``xdist_group`` in its id (see ``_name_groups_in_ids``)."""
        _name_groups_in_ids(config, items)


def _name_groups_in_ids(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Name each ``xdist_group`` in the test id on workers, where pytest-xdist failed to."""
    # `--dist loadgroup` sends tests whose ids end in the same "@group" to one worker.
    # pytest-xdist (3.8) writes that suffix to ``item._nodeid``, which pytest 9.2 no longer
    # reads (ids live in ``item._id``): every group was silently spread over all workers, so
    # MQTT tests ran at once and the demo district was seeded on each worker.
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if not names or "@" in item.nodeid.rpartition("::")[2].rpartition("]")[2]:
            continue  # no group, or pytest-xdist's suffix took effect
        _set_nodeid(item, f"{item.nodeid}@{'_'.join(names)}")


def _set_nodeid(item: pytest.Item, nodeid: str) -> None:
    """Set the id the worker reports ``item`` under, on either side of pytest 9.2."""
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(nodeid)
    else:
        item._nodeid = nodeid  # type: ignore[attr-defined]  # pytest < 9.2


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count outcomes per suite (a skip in setup counts as skipped)."""
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        # Under xdist the controller never collects: the report's keywords carry the markers.
        suites = _suite_of.get(report.nodeid) or {s for s in SUITES if s in report.keywords}
        for suite in suites:
            _outcomes[suite][report.outcome] += 1


def _required() -> list[str]:
    return [s.strip() for s in os.environ.get(REQUIRE_ENV, "").split(",") if s.strip()]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly which real-service suites ran and which were skipped."""
    tr = terminalreporter
    tr.section("Loom real-service suites")
    for suite in SUITES:
        c = _outcomes[suite]
        tr.write_line(
            f"{suite:<9} passed={c['passed']} failed={c['failed']} skipped={c['skipped']}"
        )
        if c["skipped"] and suite not in _required():
            tr.write_line(
                f"  -> {suite} tests were SKIPPED (set its LOOM_TEST_* variable to run them)"
            )
    for suite in _required():
        c = _outcomes.get(suite, Counter())
        if c["passed"] == 0 or c["skipped"]:
            tr.write_line(
                f"REQUIRED SUITE {suite!r} DID NOT RUN FULLY: {dict(c)}", red=True, bold=True
            )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a suite named in LOOM_REQUIRE_SUITES was skipped or absent."""
    for suite in _required():
        c = _outcomes.get(suite, Counter())
        if c["passed"] == 0 or c["skipped"]:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
both_backends = pytest.mark.parametrize("loom_backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def loom_apps() -> list[AppSpec]:
    """Return every installed app (built-in and third-party)."""
    return discover()


@pytest.fixture(scope="session")
def loom_sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, loom_apps: list[AppSpec]
) -> Path:
    """Return a migrated SQLite file, made once per run."""
    return migrated_sqlite_template(tmp_path_factory.mktemp("loom-template"), loom_apps)


@pytest.fixture(scope="session")
def loom_postgres_database(loom_apps: list[AppSpec]) -> Iterator[str]:
    """Create and migrate a throwaway PostgreSQL database for this run."""
    server = postgres_url()
    if server is None:
        pytest.skip(f"{POSTGRES_ENV} not set: PostgreSQL suite skipped")
    url = create_postgres_database(server, loom_apps)
    yield url
    drop_postgres_database(server, url)


@pytest.fixture
def loom_backend(request: pytest.FixtureRequest) -> str:
    """Return the database backend of this test (``sqlite`` unless parametrized)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def loom_db_url(loom_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return a database URL with an empty, migrated schema for this test."""
    if loom_backend == "postgres":
        url: str = request.getfixturevalue("loom_postgres_database")
        yield url
        truncate_all(url)
        return
    template: Path = request.getfixturevalue("loom_sqlite_template")
    yield fresh_sqlite(template, tmp_path)


@pytest.fixture
def loom_settings(loom_db_url: str, tmp_path: Path) -> Settings:
    """Return settings for a test: its own database, data directory and secret."""
    return Settings(
        env="test",
        database_url=loom_db_url,
        data_dir=tmp_path / "data",
        secret_key=secrets.token_urlsafe(48),
        mqtt_url=mqtt_url() or "mqtt://127.0.0.1:1883",
    )


@pytest.fixture
def loom_app(loom_settings: Settings, loom_apps: list[AppSpec]) -> Iterator[FastAPI]:
    """Return the application under test with every installed app loaded."""
    app = app_for_test(loom_settings, loom_apps)
    yield app
    app.state.loom.engine.dispose()


@pytest.fixture
def factory(loom_app: FastAPI) -> Factory:
    """Return a helper that creates organisations, users, tokens and logged-in clients."""
    return Factory(loom_app)


@pytest.fixture
def anon(loom_app: FastAPI) -> Iterator[TestClient]:
    """Return an unauthenticated client."""
    with TestClient(loom_app) as client:
        yield client


class LoomCli:
    """Runs ``loom`` commands in-process against the test's database."""

    def __init__(self, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
        from typer.testing import CliRunner

        from loom.cli import mount_app_clis

        self._monkeypatch = monkeypatch
        self._runner = CliRunner()
        mount_app_clis()
        monkeypatch.setenv("LOOM_DATABASE_URL", settings.database_url)
        monkeypatch.setenv("LOOM_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("LOOM_MQTT_URL", settings.mqtt_url)
        cli_runtime.cache_clear()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        """Run ``loom ARGS…`` and return click's result (exceptions propagate)."""
        from loom.cli import app

        return self._runner.invoke(app, list(args), input=input, catch_exceptions=False)

    def use_database(self, url: str) -> None:
        """Point later commands at another database."""
        self.close()
        self._monkeypatch.setenv("LOOM_DATABASE_URL", url)

    def close(self) -> None:
        """Release the CLI runtime's connections."""
        if cli_runtime.cache_info().currsize:
            cli_runtime().engine.dispose()
        cli_runtime.cache_clear()


@pytest.fixture
def loom_cli(loom_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoomCli]:
    """Return a runner for ``loom`` commands (apps' commands mounted) on this test's database."""
    cli = LoomCli(loom_settings, monkeypatch)
    yield cli
    cli.close()
