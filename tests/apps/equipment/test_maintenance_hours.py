"""Running-hours plans: the hours come from the machine's telemetry state reports."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from loom.apps.equipment.service.maintenance_common import factory_today
from loom.apps.equipment.service.telemetry import store_telemetry
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from tests.apps.equipment.test_maintenance_api import API, machine, plan


def _record(ts: Any, **fields: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "ts": ts.isoformat(), "machine": "M-01", **fields}


def test_hours_plans_count_only_time_the_telemetry_vouches_for(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    client = pair.client_a
    m = machine(client, "M-01")
    since = (factory_today() - timedelta(days=1)).isoformat()
    two = plan(client, "PM-H2", interval_days=None, interval_hours=2, starts_on=since)
    three = plan(client, "PM-H3", interval_days=None, interval_hours=3, starts_on=since)
    now = utcnow()
    start = now - timedelta(hours=3)
    # running from 3 h ago, a count every 10 minutes (signs of life), idle from 1 h ago:
    # 2 h of running; the idle hour does not count
    records = [_record(start, kind="state", state="running")]
    records += [
        _record(start + timedelta(minutes=10 * k), kind="count", good=5) for k in range(1, 12)
    ]
    records.append(_record(now - timedelta(hours=1), kind="state", state="idle"))
    scope = system_scope(pair.a.id, OrgKind.ENTERPRISE, "t")
    with session_scope(loom_app.state.loom.session_factory) as s:
        assert store_telemetry(s, scope, records).accepted == len(records)
    due = {d["plan_id"]: d for d in client.get(f"{API}/due").json()}
    assert due[two["id"]]["hours_run"] == 2.0
    assert due[two["id"]]["status"] == "overdue"  # 2 h of 2
    assert due[three["id"]]["status"] == "planned"  # 2 h of 3 is below 90 %
    assert due[two["id"]]["due_on"] is None
    # serving the machine starts the count again
    order = client.post(f"{API}/plans/{two['id']}/machines/{m}/work-orders").json()
    client.post(f"{API}/work-orders/{order['id']}/start")
    client.post(f"{API}/work-orders/{order['id']}/close", json={"downtime_minutes": 15})
    after = {d["plan_id"]: d for d in client.get(f"{API}/due").json()}
    assert after[two["id"]]["hours_run"] == 0.0
    assert after[two["id"]]["status"] == "planned"
    assert after[two["id"]]["last_done"] == factory_today().isoformat()
