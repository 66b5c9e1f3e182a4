"""A database that is down or restarting answers 503 with Retry-After, never 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError, ProgrammingError

from loom.app import create_app
from loom.kernel.identity.secrets import issue_token
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.web.errors import RETRY_AFTER_SECONDS
from loom.settings import Settings
from loom.testing.processes import free_port

MESSAGE = "the database is unavailable; retry in a few seconds"
#: kernel/web/translations/zh_CN/LC_MESSAGES/messages.po
MESSAGE_ZH = "数据库暂时不可用，请几秒后重试"


def _refused() -> OperationalError:
    """Return what SQLAlchemy raises when the server refuses the connection."""
    return OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def test_an_unreachable_postgresql_answers_503_with_retry_after(
    loom_apps: list[AppSpec], tmp_path: Path
) -> None:
    # nothing listens on a port just handed out and closed: every connection is refused
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/loom"
    settings = Settings(
        env="test", database_url=url, data_dir=tmp_path / "data", secret_key="k" * 48
    )
    app = create_app(settings, loom_apps)
    # a well-formed token makes the guard look it up, which needs the database
    headers = {"Authorization": f"Bearer {issue_token().plain}"}
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/shopfloor/events", content=b"[]", headers=headers)
    app.state.loom.engine.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "error": {"code": "unavailable", "message": MESSAGE, "details": None}
    }


@pytest.fixture
def failing(loom_app: FastAPI) -> FastAPI:
    """Add routes that fail the way a lost database and a bad query do."""

    @loom_app.get("/outage-probe")
    def outage_page() -> None:
        raise _refused()

    @loom_app.get("/api/v1/outage-probe")
    def outage_api() -> None:
        raise _refused()

    @loom_app.get("/api/v1/bad-query-probe")
    def bad_query() -> None:
        raise ProgrammingError("SELECT nope", {}, Exception("column nope does not exist"))

    return loom_app


def test_a_page_says_the_database_is_unavailable_in_the_users_language(failing: FastAPI) -> None:
    with TestClient(failing, raise_server_exceptions=False) as client:
        page = client.get("/outage-probe", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert page.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert MESSAGE_ZH in page.text  # zh_CN is the default language


def test_a_driver_error_that_is_no_outage_stays_a_500(failing: FastAPI) -> None:
    with TestClient(failing, raise_server_exceptions=False) as client:
        outage = client.get("/api/v1/outage-probe")
        bug = client.get("/api/v1/bad-query-probe")
    assert (outage.status_code, outage.json()["error"]["code"]) == (503, "unavailable")
    assert (bug.status_code, bug.json()["error"]["code"]) == (500, "internal_error")
    assert "Retry-After" not in bug.headers
