"""Tenant walls between two garment factories: B sees and changes nothing of A's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.kernel.db.base import Base
from loom.modules.masterdata.models import PieceRate, RoutingStep
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API, create_op, create_style, op_body, style_body


def _style(client: TestClient) -> int:
    style_id: int = create_style(client)["id"]
    return style_id


def _op(client: TestClient) -> int:
    op_id: int = create_op(client)["id"]
    return op_id


STYLES = TenantResource(
    name="style",
    list_url=f"{API}/styles",
    item_url=f"{API}/styles/{{id}}",
    create=_style,
    update_method="PUT",
    update_body=style_body("TAKEN"),
    extra_urls=[f"{API}/styles/{{id}}/routing"],
)
OPERATIONS = TenantResource(
    name="operation",
    list_url=f"{API}/operations",
    item_url=f"{API}/operations/{{id}}",
    create=_op,
    update_method="PUT",
    update_body=op_body("TAKEN"),
    extra_urls=[
        f"{API}/operations/{{id}}/rates",
        f"{API}/operations/{{id}}/rate?on=2025-07-01",
    ],
)


@both_backends
def test_styles_and_operations_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(pair, STYLES)
    assert_tenant_isolation(pair, OPERATIONS)


@both_backends
def test_b_cannot_add_rates_or_routings_on_a_s_rows(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    op_a = _op(pair.client_a)
    style_a = _style(pair.client_a)
    rate = {"rate": "0.30", "effective_from": "2025-01-01"}
    sneaked = pair.client_b.post(f"{API}/operations/{op_a}/rates", json=rate)
    assert sneaked.status_code == 404
    assert sneaked.json()["error"]["code"] == "not_found"
    steps = {"steps": [{"operation_id": _op(pair.client_b), "predecessors": []}]}
    assert pair.client_b.put(f"{API}/styles/{style_a}/routing", json=steps).status_code == 404
    # B's own style cannot route A's operation: to B it does not exist
    style_b = _style(pair.client_b)
    foreign = {"steps": [{"operation_id": op_a, "predecessors": []}]}
    refused = pair.client_b.put(f"{API}/styles/{style_b}/routing", json=foreign)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "steps[0].operation_id"
    assert pair.client_a.get(f"{API}/operations/{op_a}/rates").json() == []
    assert pair.client_a.get(f"{API}/styles/{style_a}/routing").json()["steps"] == []


@both_backends
def test_the_database_refuses_a_rate_pointing_into_another_tenant(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    op_a = _op(pair.client_a)
    engine = loom_app.state.loom.engine
    table = Base.metadata.tables[PieceRate.__tablename__]
    row = {
        "operation_id": op_a,
        "rate": Decimal("0.3"),
        "note": "",
        "created_by": "",
        "created_at": datetime.now(UTC),
    }
    # control: the operation's own org_id is accepted, so the refusal below comes from the
    # (operation_id, org_id) key and from nothing else
    with engine.begin() as conn:
        conn.execute(insert(table).values(**row, org_id=pair.a.id, effective_from=date(2025, 1, 1)))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(**row, org_id=pair.b.id, effective_from=date(2025, 2, 1)))


@both_backends
def test_the_database_refuses_a_routing_step_into_another_tenant(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    op_a, op_b = _op(pair.client_a), _op(pair.client_b)
    style_b = _style(pair.client_b)
    engine = loom_app.state.loom.engine
    table = Base.metadata.tables[RoutingStep.__tablename__]
    with engine.begin() as conn:  # control: B's own operation in B's style
        conn.execute(
            insert(table).values(
                org_id=pair.b.id, style_id=style_b, operation_id=op_b, seq=1, predecessors=[]
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            insert(table).values(
                org_id=pair.b.id, style_id=style_b, operation_id=op_a, seq=2, predecessors=[]
            )
        )
