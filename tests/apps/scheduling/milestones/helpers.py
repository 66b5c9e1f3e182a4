"""Shortcuts of the time-and-action tests: an enterprise's orders due on chosen days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from loom.apps.scheduling.service.milestones import factory_today
from tests.modules.shopfloor.conftest import seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import create_order

TA = "/api/v1/scheduling/milestones"
PAGES = "/apps/scheduling/milestones"


def today() -> date:
    """Return the factory's (Beijing) day, the one the alerts are judged on."""
    return factory_today()


def days(n: int) -> date:
    """Return the factory's day ``n`` days from today."""
    return today() + timedelta(days=n)


def new_order(
    client: TestClient, due: date, number: str = "PO-001", style_id: int | None = None, **kw: Any
) -> dict[str, Any]:
    """Create an order due on ``due`` (a new routed style unless one is given) and return it."""
    if style_id is None:
        style_id = seed_style_with_routing(client)["style"]["id"]
    return create_order(client, style_id, number, due_date=due.isoformat(), **kw)


def stages(client: TestClient, order_id: int) -> dict[str, dict[str, Any]]:
    """Return an order's timeline by stage, asserting it was readable."""
    got = client.get(f"{TA}/orders/{order_id}")
    assert got.status_code == 200, got.text
    return {s["stage"]: s for s in got.json()["stages"]}


def record(client: TestClient, order_id: int, stage: str, **body: Any) -> Any:
    """PUT one stage of an order and return the response."""
    return client.put(f"{TA}/orders/{order_id}/{stage}", json=body)
