"""A small factory for the energy tests: a line, a machine, meters, readings and output.

The figures below are worked out by hand in the tests that use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.db.session import session_scope
from loom.modules.shopfloor.models import LineHour

MD = "/api/v1/masterdata"
API = "/api/v1/energy"


@dataclass(frozen=True)
class Plant:
    """Ids of the line and the machine of the test factory."""

    line_id: int
    machine_id: int


def created(response: Any) -> dict[str, Any]:
    """Return the body of a 201 answer."""
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def bad_fields(response: Any) -> set[str]:
    """Return the fields a 422 answer names."""
    assert response.status_code == 422, response.text
    return {d["field"] for d in response.json()["error"]["details"]}


def make_plant(client: TestClient, tag: str = "") -> Plant:
    """Create line L1 and machine M-01 on it."""
    line = created(
        client.post(
            f"{MD}/lines",
            json={"code": f"L1{tag}", "name": "缝制一线", "kind": "sewing", "shift_minutes": 480},
        )
    )
    machine = created(
        client.post(
            f"{MD}/machines",
            json={"code": f"M-01{tag}", "machine_type": "lockstitch", "line_id": line["id"]},
        )
    )
    return Plant(line["id"], machine["id"])


def meter_body(code: str = "E-MAIN", **changes: Any) -> dict[str, Any]:
    """Return a factory electricity main meter with a CT ratio of 40."""
    body: dict[str, Any] = {
        "code": code,
        "name": "总电表",
        "kind": "electricity",
        "attached_to": "factory",
        "main": True,
        "mode": "register",
        "multiplier": "40",
    }
    return body | changes


def add_meter(client: TestClient, **changes: Any) -> dict[str, Any]:
    """Create a meter through the API and return it."""
    return created(client.post(f"{API}/meters", json=meter_body(**changes)))


def read(client: TestClient, meter_id: int, at: str, value: str, **more: Any) -> Any:
    """Post one reading by hand (``at`` in China time) and return the response."""
    return client.post(f"{API}/meters/{meter_id}/readings", json={"at": at, "value": value, **more})


def add_output(app: FastAPI, org_id: int, line_id: int, rows: list[tuple[datetime, int]]) -> None:
    """Store finished garments of a line per UTC hour, as the shop-floor counters do."""
    with session_scope(app.state.loom.session_factory) as s:
        for hour, qty in rows:
            s.add(
                LineHour(
                    org_id=org_id,
                    line_id=line_id,
                    hour=hour.astimezone(UTC),
                    output_qty=qty,
                    done_qty=qty,
                )
            )
