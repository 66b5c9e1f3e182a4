"""Bodies and shortcuts of the order, cutting and ticket tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.modules.shopfloor.conftest import SHOPFLOOR


def order_body(style_id: int, number: str = "PO-001", **changes: Any) -> dict[str, Any]:
    """Return a valid order body for the seeded style (白/蓝 × S/M/L/XL), with ``changes``."""
    body: dict[str, Any] = {
        "number": number,
        "customer": "Acme Retail",
        "style_id": style_id,
        "due_date": "2026-12-31",
        "quantities": {"白": {"S": 50, "M": 120, "L": 80}, "蓝": {"M": 40}},
        "note": "",
    }
    return body | changes


def create_order(
    client: TestClient, style_id: int, number: str = "PO-001", **changes: Any
) -> dict[str, Any]:
    """Create an order and return it."""
    response = client.post(f"{SHOPFLOOR}/orders", json=order_body(style_id, number, **changes))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def add_lay(
    client: TestClient, order_id: int, colour: str, plies: int, ratios: dict[str, int]
) -> dict[str, Any]:
    """Add a lay by hand and return it."""
    body = {"colour": colour, "plies": plies, "ratios": ratios}
    response = client.post(f"{SHOPFLOOR}/orders/{order_id}/lays", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def cut(client: TestClient, lay_id: int, bundle_size: int = 20) -> list[dict[str, Any]]:
    """Cut a lay and return its bundles."""
    response = client.post(f"{SHOPFLOOR}/lays/{lay_id}/cut", json={"bundle_size": bundle_size})
    assert response.status_code == 201, response.text
    made: list[dict[str, Any]] = response.json()
    return made


def bad_fields(response: Any) -> set[str]:
    """Return the fields a 422 answer names."""
    assert response.status_code == 422, response.text
    return {d["field"] for d in response.json()["error"]["details"]}
