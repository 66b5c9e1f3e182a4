"""A small factory to plan: two sewing lines, one style (SAM 1.00), three open orders.

The seed is the worked example of every plan test (docs/scheduling.md explains it):

- line L1 sews only "woven", line L2 only "knit"; each counts 1 operator, 480 minutes a day,
  100 % efficiency, Monday to Saturday, and already sews the style (no changeover, no
  learning), so each makes 480 × 1 × 100 % ÷ 1.00 = 480 pieces a working day;
- orders (style SAM 1.00 min from its one-operation routing), planned from Monday 2026-12-07:
  PO-A woven 960 pieces due Tue 12-08 weight 1; PO-B woven 480 due Mon 12-07 weight 2;
  PO-C knit 480 due Mon 12-07 weight 1.

On L1, B then A: B on Monday (on time), A on Tuesday and Wednesday (1 day late, weight 1);
A then B would make B 2 days late at weight 2 (cost 4). L2 sews C on Monday. So the optimum
costs weighted tardiness 1 and 1 late day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef

MASTERDATA = "/api/v1/masterdata"
SHOPFLOOR = "/api/v1/shopfloor"
SCHEDULING = "/api/v1/scheduling"
PAGES = "/apps/scheduling"
MONDAY = date(2026, 12, 7)


@dataclass
class Seed:
    """Ids of the seeded lines, style and orders."""

    style_id: int
    style_code: str
    l1: int
    l2: int
    orders: dict[str, int]


def created(client: TestClient, url: str, body: dict[str, Any], status: int = 201) -> Any:
    """POST ``body`` and return the answer, insisting on ``status``."""
    response = client.post(url, json=body)
    assert response.status_code == status, response.text
    return response.json()


def put_ok(client: TestClient, url: str, body: dict[str, Any]) -> Any:
    """PUT ``body`` and return the answer, insisting on 200."""
    response = client.put(url, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def seed_factory(client: TestClient, tag: str = "") -> Seed:
    """Create the worked example's lines, style, orders, profiles and attributes."""
    style = created(
        client,
        f"{MASTERDATA}/styles",
        {"code": f"ST{tag}", "name": "衬衫", "colours": ["白"], "sizes": ["M"]},
    )
    op = created(
        client,
        f"{MASTERDATA}/operations",
        {
            "code": f"OP{tag}",
            "name": "缝合",
            "sam": "1.0000",
            "machine_type": "lockstitch",
            "skill_grade": 2,
        },
    )
    put_ok(
        client,
        f"{MASTERDATA}/styles/{style['id']}/routing",
        {"steps": [{"operation_id": op["id"], "predecessors": []}]},
    )
    lines = {}
    for code, category in (("L1", "woven"), ("L2", "knit")):
        line = created(
            client,
            f"{MASTERDATA}/lines",
            {"code": f"{code}{tag}", "name": f"Line {code}", "shift_minutes": 480},
        )
        lines[code] = line["id"]
        put_ok(
            client,
            f"{SCHEDULING}/lines/{line['id']}",
            {"categories": [category], "operators": 1, "current_style": style["code"]},
        )
    orders = {}
    for name, qty, due, category, weight in (
        ("A", 960, "2026-12-08", "woven", 1),
        ("B", 480, "2026-12-07", "woven", 2),
        ("C", 480, "2026-12-07", "knit", 1),
    ):
        order = created(
            client,
            f"{SHOPFLOOR}/orders",
            {
                "number": f"PO-{name}{tag}",
                "style_id": style["id"],
                "due_date": due,
                "quantities": {"白": {"M": qty}},
            },
        )
        orders[name] = order["id"]
        put_ok(
            client,
            f"{SCHEDULING}/orders/{order['id']}",
            {"category": category, "weight": weight},
        )
    return Seed(style["id"], style["code"], lines["L1"], lines["L2"], orders)


def run_plan(client: TestClient, start: str = "2026-12-07") -> Any:
    """Plan from ``start`` with a 2-second limit and return the stored plan."""
    return created(client, f"{SCHEDULING}/plans", {"start": start, "time_limit": 2})


@pytest.fixture
def factory_org(factory: Factory) -> OrgRef:
    """A garment factory (an enterprise)."""
    return factory.org("garments", OrgKind.ENTERPRISE, name="Garment Co")


@pytest.fixture
def admin(factory: Factory, factory_org: OrgRef) -> TestClient:
    """The factory's admin, logged in."""
    factory.user("gina", (factory_org, Role.ADMIN))
    return factory.client("gina")


@pytest.fixture
def seeded(admin: TestClient) -> Seed:
    """The worked example in the admin's factory."""
    return seed_factory(admin)
