"""Bodies and shortcuts shared by the master-data tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1/masterdata"


def style_body(code: str = "ST-001", **changes: Any) -> dict[str, Any]:
    """Return a valid style body, with ``changes`` applied."""
    body: dict[str, Any] = {
        "code": code,
        "name": "男士衬衫",
        "season": "2026SS",
        "customer": "Acme Retail",
        "colours": ["白", "蓝"],
        "sizes": ["S", "M", "L"],
    }
    return body | changes


def op_body(code: str = "OP-010", **changes: Any) -> dict[str, Any]:
    """Return a valid operation body, with ``changes`` applied."""
    body: dict[str, Any] = {
        "code": code,
        "name": "上领",
        "sam": "1.25",
        "machine_type": "lockstitch",
        "skill_grade": 3,
    }
    return body | changes


def create_style(client: TestClient, code: str = "ST-001", **changes: Any) -> dict[str, Any]:
    """Create a style and return it."""
    response = client.post(f"{API}/styles", json=style_body(code, **changes))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def create_op(client: TestClient, code: str = "OP-010", **changes: Any) -> dict[str, Any]:
    """Create an operation and return it."""
    response = client.post(f"{API}/operations", json=op_body(code, **changes))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def bad_fields(response: Any) -> set[str]:
    """Return the fields a 422 answer names."""
    assert response.status_code == 422, response.text
    return {d["field"] for d in response.json()["error"]["details"]}
