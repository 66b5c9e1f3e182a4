"""The reused test application: each test gets its own runtime and none of the last test's edits."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi.testclient import TestClient

from loom.kernel.plugins.spec import AppSpec
from loom.settings import Settings
from loom.testing.appcache import app_for_test
from loom.testing.databases import fresh_sqlite


def _settings(template: Path, directory: Path) -> Settings:
    return Settings(
        env="test",
        database_url=fresh_sqlite(template, directory),
        data_dir=directory / "data",
        secret_key=secrets.token_urlsafe(48),
    )


def test_a_reused_app_forgets_the_last_tests_changes(
    loom_sqlite_template: Path, loom_apps: list[AppSpec], tmp_path: Path
) -> None:
    first_settings = _settings(loom_sqlite_template, tmp_path)
    first = app_for_test(first_settings, loom_apps)
    routes = len(first.router.routes)
    first.add_api_route("/api/v1/probe-left-over", lambda: {"left": "over"})
    first.openapi_schema = None  # as on a fresh app: the description then shows the probe
    with TestClient(first) as client:
        assert "/api/v1/probe-left-over" in client.get("/api/v1/openapi.json").json()["paths"]
    first.dependency_overrides[Settings] = lambda: None
    first.state.left_over = True
    first_runtime = first.state.loom
    first.state.loom.engine.dispose()

    second_settings = _settings(loom_sqlite_template, tmp_path)
    second = app_for_test(second_settings, loom_apps)
    assert second.state.loom is not first_runtime
    assert second.state.loom.settings.database_url == second_settings.database_url
    assert second.state.loom.settings.secret_key == second_settings.secret_key
    assert len(second.router.routes) == routes
    assert second.dependency_overrides == {}
    assert not hasattr(second.state, "left_over")
    with TestClient(second) as client:
        assert client.get("/api/v1/probe-left-over").status_code == 404
        assert client.get("/api/v1/health").status_code == 200
        # the description is the one of create_app's routes, not the probe's
        assert "/api/v1/probe-left-over" not in client.get("/api/v1/openapi.json").json()["paths"]
    second.state.loom.engine.dispose()


def test_other_shared_settings_get_an_app_of_their_own(
    loom_sqlite_template: Path, loom_apps: list[AppSpec], tmp_path: Path
) -> None:
    plain = app_for_test(_settings(loom_sqlite_template, tmp_path), loom_apps)
    plain.state.loom.engine.dispose()
    with_token = _settings(loom_sqlite_template, tmp_path).model_copy(
        update={"metrics_token": "t0ken-for-this-test"}
    )
    scraped = app_for_test(with_token, loom_apps)
    # the metrics route keeps the token it was built with: another app, not the plain one
    assert scraped is not plain
    with TestClient(scraped) as client:
        assert client.get("/metrics").status_code == 401
    scraped.state.loom.engine.dispose()
