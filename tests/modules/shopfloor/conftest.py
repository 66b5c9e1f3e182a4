"""Shared fixtures of the shop-floor tests: a garment factory, its admin, a routed style."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef

MASTERDATA = "/api/v1/masterdata"
SHOPFLOOR = "/api/v1/shopfloor"


@pytest.fixture
def factory_org(factory: Factory) -> OrgRef:
    """A garment factory (an enterprise)."""
    return factory.org("garments", OrgKind.ENTERPRISE, name="Garment Co")


@pytest.fixture
def admin(factory: Factory, factory_org: OrgRef) -> TestClient:
    """The factory's admin, logged in."""
    factory.user("gina", (factory_org, Role.ADMIN))
    return factory.client("gina")


def _created(client: TestClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def seed_style_with_routing(client: TestClient, code: str | None = None) -> dict[str, Any]:
    """Create a shirt style (白/蓝 × S/M/L/XL) with three operations routed in order.

    ``code`` defaults to ST-100 for the enterprise's first seeded style, ST-101 for the next…
    Returns ``{"style": style, "operations": [op, op, op], "routing": routing}``; the last
    operation (seq 3) is the final one, whose done pieces count as finished garments.
    """
    if code is None:
        # the next free ST-number, so a test may seed several styles in one enterprise
        taken = client.get(f"{MASTERDATA}/styles", params={"q": "ST-", "limit": 1}).json()["total"]
        code = f"ST-{100 + taken}"
    style = _created(
        client,
        f"{MASTERDATA}/styles",
        {
            "code": code,
            "name": "男士衬衫",
            "season": "2026SS",
            "customer": "Acme Retail",
            "colours": ["白", "蓝"],
            "sizes": ["S", "M", "L", "XL"],
        },
    )
    ops = [
        _created(
            client,
            f"{MASTERDATA}/operations",
            {
                "code": f"{code}-OP{n}",
                "name": name,
                "sam": sam,
                "machine_type": machine,
                "skill_grade": 3,
            },
        )
        for n, (name, sam, machine) in enumerate(
            [
                ("合肩", "0.50", "overlock"),
                ("上领", "1.25", "lockstitch"),
                ("钉扣", "0.40", "button"),
            ],
            start=1,
        )
    ]
    steps = [
        {"operation_id": op["id"], "predecessors": [ops[i - 1]["id"]] if i else []}
        for i, op in enumerate(ops)
    ]
    routed = client.put(f"{MASTERDATA}/styles/{style['id']}/routing", json={"steps": steps})
    assert routed.status_code == 200, routed.text
    return {"style": style, "operations": ops, "routing": routed.json()}
