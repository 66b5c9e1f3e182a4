"""Bad input answers 4xx with the error envelope naming the field, and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import API, add_receipt, create_job, job_body, job_count


def _error(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == "validation_error"
    return error


def _shape_fields(error: dict[str, Any]) -> list[str]:
    """Fields named by a pydantic (shape) error: details is a list of {field, message}."""
    return [d["field"] for d in error["details"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"qty_sent": 0}, "qty_sent"),
        ({"qty_sent": -5}, "qty_sent"),
        ({"qty_sent": 1_000_001}, "qty_sent"),
        ({"qty_sent": "many"}, "qty_sent"),
        ({"partner": "   "}, "partner"),
        ({"process": "dyeing"}, "process"),
        ({"sent_on": "2026-02-30"}, "sent_on"),
        ({"reference": "x" * 81}, "reference"),
        ({"quantity": 5}, "quantity"),  # unknown fields are refused, not ignored
    ],
)
def test_shape_errors_name_the_field(
    admin: TestClient, overrides: dict[str, Any], field: str
) -> None:
    error = _error(admin.post(f"{API}/jobs", json=job_body(**overrides)))
    assert field in _shape_fields(error)
    assert job_count(admin) == 0


def test_due_before_sent_is_refused(admin: TestClient) -> None:
    body = job_body(sent_on="2026-03-10", due_on="2026-03-09")
    error = _error(admin.post(f"{API}/jobs", json=body))
    assert error["details"][0]["field"] == "due_on"
    assert "due date" in error["message"]
    assert job_count(admin) == 0


def test_due_on_the_day_it_is_sent_is_fine(admin: TestClient) -> None:
    job = create_job(admin, sent_on="2026-03-10", due_on="2026-03-10")
    assert job["due_on"] == job["sent_on"]


def test_receipts_cannot_exceed_what_was_sent(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    add_receipt(admin, job["id"], received=60)  # 40 still out
    url = f"{API}/jobs/{job['id']}/receipts"

    # 41 good pieces alone exceed the 40 still out: the received field is to blame.
    too_many = {"qty_received": 41, "qty_defective": 0, "received_on": "2026-03-10"}
    error = _error(admin.post(url, json=too_many))
    assert error["details"][0]["field"] == "qty_received"
    assert "40" in error["message"]

    # 30 good fit, but 30 + 15 defective = 45 > 40: now the defective field tips it over.
    tipped = {"qty_received": 30, "qty_defective": 15, "received_on": "2026-03-10"}
    error = _error(admin.post(url, json=tipped))
    assert error["details"][0]["field"] == "qty_defective"
    assert "105" in error["message"]  # 60 already + 30 + 15

    receipts = admin.get(url).json()
    assert len(receipts) == 1
    assert admin.get(f"{API}/jobs/{job['id']}").json()["outstanding"] == 40


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"qty_received": 0, "qty_defective": 0, "received_on": "2026-03-10"}, "qty_received"),
        ({"qty_received": 5, "received_on": "2026-03-01"}, "received_on"),  # before sending
    ],
)
def test_receipt_rules_name_the_field(admin: TestClient, body: dict[str, Any], field: str) -> None:
    job = create_job(admin)  # sent 2026-03-02
    error = _error(admin.post(f"{API}/jobs/{job['id']}/receipts", json=body))
    assert error["details"][0]["field"] == field
    assert admin.get(f"{API}/jobs/{job['id']}/receipts").json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"qty_received": -1, "received_on": "2026-03-10"},
        {"qty_received": 1, "qty_defective": -1, "received_on": "2026-03-10"},
        {"qty_received": 1},
    ],
)
def test_receipt_shape_errors_name_the_field(admin: TestClient, body: dict[str, Any]) -> None:
    job = create_job(admin)
    error = _error(admin.post(f"{API}/jobs/{job['id']}/receipts", json=body))
    named = _shape_fields(error)
    assert named
    assert set(named) <= {"qty_received", "qty_defective", "received_on"}


def test_patch_keeps_quantities_and_dates_consistent(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    add_receipt(admin, job["id"], received=70, defective=5)  # 75 back, dated 2026-03-09
    url = f"{API}/jobs/{job['id']}"

    error = _error(admin.patch(url, json={"qty_sent": 74}))  # below the 75 already back
    assert error["details"][0]["field"] == "qty_sent"
    error = _error(admin.patch(url, json={"due_on": "2026-03-01"}))  # before sent 2026-03-02
    assert error["details"][0]["field"] == "due_on"
    error = _error(admin.patch(url, json={"sent_on": "2026-03-10", "due_on": "2026-03-20"}))
    assert error["details"][0]["field"] == "sent_on"  # the receipt is dated 2026-03-09
    error = _error(admin.patch(url, json={"partner": None}))
    assert error["details"][0]["field"] == "partner"

    unchanged = admin.get(url).json()
    assert (unchanged["qty_sent"], unchanged["sent_on"], unchanged["due_on"]) == (
        100,
        "2026-03-02",
        "2026-03-09",
    )
    assert admin.patch(url, json={"qty_sent": 75}).status_code == 200  # exactly what is back


def test_bad_filters_are_rejected(admin: TestClient) -> None:
    error = _error(admin.get(f"{API}/jobs", params={"status": "lost"}))
    assert "status" in _shape_fields(error)
    error = _error(admin.get(f"{API}/jobs", params={"limit": 500}))
    assert "limit" in _shape_fields(error)
