"""Small helpers shared by the app's tests (fixtures come from loom.testing)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1/subcontract"
PAGES = "/apps/subcontract"

# Fixed dates in the past keep the arithmetic readable; "overdue" compares with the real today.
SENT = date(2026, 3, 2)
DUE = date(2026, 3, 9)


def future(days: int) -> date:
    """Return a date ``days`` after today."""
    return date.today() + timedelta(days=days)


def job_body(**overrides: Any) -> dict[str, Any]:
    """Return a valid job payload, with ``overrides`` applied."""
    body: dict[str, Any] = {
        "partner": "Hengli Embroidery",
        "process": "embroidery",
        "reference": "ST-2041",
        "qty_sent": 100,
        "sent_on": SENT.isoformat(),
        "due_on": DUE.isoformat(),
    }
    body.update({k: v.isoformat() if isinstance(v, date) else v for k, v in overrides.items()})
    return body


def create_job(client: TestClient, **overrides: Any) -> dict[str, Any]:
    """Create a job over the API and return its JSON."""
    response = client.post(f"{API}/jobs", json=job_body(**overrides))
    assert response.status_code == 201, response.text
    job: dict[str, Any] = response.json()
    return job


def add_receipt(
    client: TestClient, job_id: int, received: int, defective: int = 0, on: date = DUE
) -> dict[str, Any]:
    """Record a receipt over the API and return its JSON."""
    body = {"qty_received": received, "qty_defective": defective, "received_on": on.isoformat()}
    response = client.post(f"{API}/jobs/{job_id}/receipts", json=body)
    assert response.status_code == 201, response.text
    receipt: dict[str, Any] = response.json()
    return receipt


def job_count(client: TestClient) -> int:
    """Return how many jobs the client's organisation has."""
    total: int = client.get(f"{API}/jobs").json()["total"]
    return total
