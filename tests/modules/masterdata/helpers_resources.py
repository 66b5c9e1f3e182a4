"""Bodies and shortcuts for the tests of lines, workstations, operators and machines."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.modules.masterdata.helpers import API


def line_body(code: str = "L1", **changes: Any) -> dict[str, Any]:
    """Return a valid line body, with ``changes`` applied."""
    body: dict[str, Any] = {
        "code": code,
        "name": "缝制一线",
        "kind": "sewing",
        "shift_minutes": 480,
        "active": True,
    }
    return body | changes


def station_body(code: str = "WS-01", **changes: Any) -> dict[str, Any]:
    """Return a valid workstation body, with ``changes`` applied."""
    body: dict[str, Any] = {
        "code": code,
        "seq": 1,
        "machine_type": "lockstitch",
        "device_code": "",
    }
    return body | changes


def operator_body(code: str = "E001", **changes: Any) -> dict[str, Any]:
    """Return a valid operator body, with ``changes`` applied."""
    body: dict[str, Any] = {
        "code": code,
        "name": "王芳",
        "line_id": None,
        "hired_on": "2024-03-01",
        "active": True,
    }
    return body | changes


def machine_body(code: str = "M-001", **changes: Any) -> dict[str, Any]:
    """Return a valid machine body, with ``changes`` applied."""
    body: dict[str, Any] = {
        "code": code,
        "machine_type": "lockstitch",
        "brand": "Juki",
        "model": "DDL-9000C",
        "serial": "SN123",
        "line_id": None,
        "workstation_id": None,
        "purchased_on": "2023-05-20",
        "active": True,
    }
    return body | changes


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def create_line(client: TestClient, code: str = "L1", **changes: Any) -> dict[str, Any]:
    """Create a line and return it."""
    return _created(client.post(f"{API}/lines", json=line_body(code, **changes)))


def create_station(
    client: TestClient, line_id: int, code: str = "WS-01", **changes: Any
) -> dict[str, Any]:
    """Create a workstation on a line and return it."""
    url = f"{API}/lines/{line_id}/workstations"
    return _created(client.post(url, json=station_body(code, **changes)))


def create_operator(client: TestClient, code: str = "E001", **changes: Any) -> dict[str, Any]:
    """Create an operator and return them."""
    return _created(client.post(f"{API}/operators", json=operator_body(code, **changes)))


def create_machine(client: TestClient, code: str = "M-001", **changes: Any) -> dict[str, Any]:
    """Create a machine and return it."""
    return _created(client.post(f"{API}/machines", json=machine_body(code, **changes)))
