"""Tenant walls of time and action: enterprise B sees and changes nothing of A's milestones."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.apps.scheduling.models.milestones import Milestone
from loom.kernel.db.base import Base
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.apps.scheduling.milestones.helpers import PAGES, TA, days, new_order, record, stages


def _order_with_milestone(client: TestClient) -> int:
    order = new_order(client, days(10), f"PO-{client.get(TA).json()['total']}")
    assert record(client, order["id"], "fabric", note="A 的面料").status_code == 200
    order_id: int = order["id"]
    return order_id


TIMELINES = TenantResource(
    name="milestone timeline",
    list_url=TA,
    item_url=f"{TA}/orders/{{id}}",
    create=_order_with_milestone,
    id_key="order_id",
    deletable=False,
    extra_urls=[f"{PAGES}/orders/{{id}}"],
)


@both_backends
def test_b_cannot_read_a_s_milestones(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(pair, TIMELINES)
    # B's board and alert count know nothing of A's late order
    assert pair.client_b.get(TA).json()["total"] == 0
    assert pair.client_b.get(f"{TA}/alerts").json()["open_alerts"] == 0
    assert pair.client_a.get(f"{TA}/alerts").json()["open_alerts"] == 3


def test_b_cannot_record_or_derive_on_a_s_orders(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    order_a = _order_with_milestone(pair.client_a)
    before = stages(pair.client_a, order_a)
    refused = record(pair.client_b, order_a, "fabric", actual_date="2026-01-01")
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"
    assert pair.client_b.post(f"{PAGES}/orders/{order_a}/fabric", data={}).status_code == 404
    assert pair.client_b.post(f"{PAGES}/orders/{order_a}/derive").status_code == 404
    assert pair.client_b.post(f"{TA}/derive", json={"order_ids": [order_a]}).json() == []
    # filtering on A's order id is no way in: B's board simply has no such order
    assert pair.client_b.get(TA, params={"order_id": order_a}).json()["total"] == 0
    sheet = pair.client_b.get(f"{PAGES}.xlsx", params={"order_id": order_a})
    assert load_workbook(BytesIO(sheet.content)).active.max_row == 1  # the headings only
    assert stages(pair.client_a, order_a) == before


def test_templates_are_per_enterprise(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    body = pair.client_b.get(f"{TA}/template").json() | {"fabric": -40}
    assert pair.client_b.put(f"{TA}/template", json=body).status_code == 200
    assert pair.client_a.get(f"{TA}/template").json()["fabric"] == -21
    order = new_order(pair.client_a, date(2099, 12, 31))
    assert stages(pair.client_a, order["id"])["fabric"]["target_date"] == "2099-12-10"


@both_backends
def test_the_database_refuses_a_milestone_on_another_tenant_s_order(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    order_a = _order_with_milestone(pair.client_a)
    engine = loom_app.state.loom.engine
    table = Base.metadata.tables[Milestone.__tablename__]
    row = {"order_id": order_a, "stage": "cutting", "actual_source": "", "note": ""}
    with engine.begin() as conn:  # control: A's own org_id is accepted
        conn.execute(insert(table).values(**row, org_id=pair.a.id))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(**{**row, "stage": "finishing"}, org_id=pair.b.id))
