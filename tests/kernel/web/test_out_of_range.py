"""Values only the database refuses answer 422 naming the field, not 500 (found by the fuzzer)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import StatementError

from loom.testing.factory import Factory

HUGE = 2**70  # beyond SQLite's and PostgreSQL's 64-bit integers (max 2**63 - 1)


def test_a_huge_id_in_the_path_or_query_is_named(loom_app: FastAPI) -> None:
    def lookup(item_id: int, page: int = 1) -> None:
        """Stand in for a handler whose query meets SQLite's 64-bit limit."""
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    loom_app.add_api_route("/api/v1/probe/{item_id}", lookup)
    with TestClient(loom_app) as client:
        response = client.get(f"/api/v1/probe/{HUGE}?page={HUGE}")
        small = client.get("/api/v1/probe/7?page=1")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == ["item_id", "page"]
    # no huge number in sight: the body is named
    assert [d["field"] for d in small.json()["error"]["details"]] == ["body"]


def test_a_huge_number_in_the_body_names_the_body(factory: Factory) -> None:
    # pilot selections took any integer as an application id; SQLite raised OverflowError
    org = factory.org("bureau", "bureau")
    client = factory.token_client(factory.token(org, ["programme.pilot.manage"]))
    response = client.post(
        "/api/v1/programme/pilot-selections", json={"batch": "2026-1", "application_ids": [HUGE]}
    )
    assert response.status_code == 422, response.text
    assert [d["field"] for d in response.json()["error"]["details"]] == ["body"]


@pytest.mark.parametrize("loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_nul_in_text_on_postgresql_is_bad_input(factory: Factory, loom_backend: str) -> None:
    # PostgreSQL text cannot hold NUL: the driver's DataError becomes a 422
    org = factory.org("acme")
    client = factory.token_client(factory.token(org, ["kernel.token.manage"]))
    response = client.post(
        "/api/v1/tokens", json={"name": "a\x00b", "permissions": ["kernel.token.read"]}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


def test_a_day_at_the_calendar_end_is_named(loom_app: FastAPI) -> None:
    # GET /equipment/oee/machines?day=0001-01-01 answered 500: the shift's start in UTC is before
    # datetime.min, and the bind processor's OverflowError came wrapped in a StatementError
    def oee(day: date) -> None:
        """Stand in for a handler whose query bounds overflow the calendar."""
        raise StatementError("date value out of range", None, None, OverflowError("date"))

    loom_app.add_api_route("/api/v1/probe-day", oee)
    with TestClient(loom_app) as client:
        response = client.get("/api/v1/probe-day?day=9999-12-31")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["day"]
