"""The small style every balancing test balances, with figures worked out by hand.

Style T-01 (standard minutes, machine, grade, predecessors):

    A 0.40 lockstitch g1 —      B 0.50 lockstitch g1 (A)
    C 0.30 overlock   g2 (A)    D 0.60 lockstitch g3 (B, C)

Total 1.80 min. At 100 pieces an hour the cycle time is 60 / 100 = 0.60 min (6000 e4). An
operator sews one machine type, and no two lockstitch operations fit together in 0.60 min
(0.40 + 0.50 = 0.90), so A, B and D each need their own station and C another: 4 operators,
bottleneck D = 0.60 min, output 60 / 0.60 = 100 an hour, balance efficiency
1.80 / (4 × 0.60) = 0.75.

Line L1: E1 lockstitch g3, E2 lockstitch g2, E3 overlock g2, E4 lockstitch g1, all at 100 %.
Only E1 may sew D (grade 3) and only E3 may sew C (overlock).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

MD = "/api/v1/masterdata"
API = "/api/v1/balancing"


@dataclass(frozen=True)
class Shop:
    """Ids of the style, its operations by letter, the line and its operators by code."""

    style_id: int
    ops: dict[str, int]
    line_id: int
    operators: dict[str, int]


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def make_shop(client: TestClient, tag: str = "") -> Shop:
    """Create style T-01 with its routing and line L1 with its operators and skills."""
    style = _created(
        client.post(
            f"{MD}/styles",
            json={"code": f"T-01{tag}", "name": "T恤", "colours": ["白"], "sizes": ["M"]},
        )
    )
    specs = {
        "A": ("0.40", "lockstitch", 1),
        "B": ("0.50", "lockstitch", 1),
        "C": ("0.30", "overlock", 2),
        "D": ("0.60", "lockstitch", 3),
    }
    ops = {
        letter: _created(
            client.post(
                f"{MD}/operations",
                json={
                    "code": f"OP-{letter}{tag}",
                    "name": f"工序{letter}",
                    "sam": sam,
                    "machine_type": machine,
                    "skill_grade": grade,
                },
            )
        )["id"]
        for letter, (sam, machine, grade) in specs.items()
    }
    preds = {"A": [], "B": ["A"], "C": ["A"], "D": ["B", "C"]}
    steps = [
        {"operation_id": ops[letter], "predecessors": [ops[p] for p in preds[letter]]}
        for letter in "ABCD"
    ]
    routed = client.put(f"{MD}/styles/{style['id']}/routing", json={"steps": steps})
    assert routed.status_code == 200, routed.text
    line = _created(
        client.post(
            f"{MD}/lines",
            json={"code": f"L1{tag}", "name": "缝制一线", "kind": "sewing", "shift_minutes": 480},
        )
    )
    skills = {
        "E1": [("lockstitch", 3)],
        "E2": [("lockstitch", 2)],
        "E3": [("overlock", 2)],
        "E4": [("lockstitch", 1)],
    }
    operators = {}
    for code, cells in skills.items():
        operator = _created(
            client.post(
                f"{MD}/operators",
                json={"code": f"{code}{tag}", "name": f"员工{code}", "line_id": line["id"]},
            )
        )
        body = {"skills": [{"machine_type": m, "grade": g, "efficiency": 100} for m, g in cells]}
        put = client.put(f"{MD}/operators/{operator['id']}/skills", json=body)
        assert put.status_code == 200, put.text
        operators[code] = operator["id"]
    return Shop(style["id"], ops, line["id"], operators)


def plan_body(shop: Shop, *, line: bool = True, **changes: Any) -> dict[str, Any]:
    """Return a request for a plan at 100 pieces an hour, on the line unless told otherwise."""
    body: dict[str, Any] = {
        "name": "T-01 at 100/h",
        "style_id": shop.style_id,
        "line_id": shop.line_id if line else None,
        "mode": "target",
        "target_per_hour": 100,
    }
    return body | changes


def create_plan(client: TestClient, shop: Shop, **changes: Any) -> dict[str, Any]:
    """Solve a plan through the API and return it."""
    return _created(client.post(f"{API}/plans", json=plan_body(shop, **changes)))


def station_of(plan: dict[str, Any], operation_id: int) -> int:
    """Return the number of the (first) station doing an operation."""
    for station in plan["stations"]:
        if any(task["id"] == operation_id for task in station["tasks"]):
            number: int = station["number"]
            return number
    raise AssertionError(f"operation {operation_id} is on no station")


def bad_fields(response: Any) -> set[str]:
    """Return the fields a 422 answer names."""
    assert response.status_code == 422, response.text
    return {d["field"] for d in response.json()["error"]["details"]}
