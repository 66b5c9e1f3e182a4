"""`loom serve` keeps idle connections open long enough that a reused one is never reset."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from loom.cli import app


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.append(kw))
    monkeypatch.delenv("LOOM_KEEP_ALIVE_SECONDS", raising=False)
    return seen


def test_workers_keep_idle_connections_65_seconds_by_default(calls: list[dict[str, Any]]) -> None:
    # uvicorn's own default is 5 s: the load runs lost 27-31 views to resets at that edge
    result = CliRunner().invoke(app, ["serve", "--workers", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [c["timeout_keep_alive"] for c in calls] == [65]
    assert calls[0]["workers"] == 2


def test_the_environment_sets_the_keep_alive(
    calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_KEEP_ALIVE_SECONDS", "120")
    result = CliRunner().invoke(app, ["serve", "--workers", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert calls[0]["timeout_keep_alive"] == 120


def test_a_keep_alive_below_one_second_is_refused(calls: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(app, ["serve", "--keep-alive", "0"])
    assert result.exit_code == 2
    assert "keep-alive" in result.output
    assert calls == []
