"""Tenant walls of the quality app: enterprise B sees and changes nothing of A's records."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.apps.quality.models import InspectionDefect
from loom.kernel.db.base import Base
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.apps.quality.seed import API, PAGES, created, seed_catalogue, seed_factory


def _resources(
    loom_app: FastAPI, org_id: int
) -> tuple[TenantResource, TenantResource, TenantResource]:
    ids = seed_factory(loom_app, org_id)

    def inspection(client: TestClient) -> int:
        seed_catalogue(client)
        body = {
            "kind": "inline",
            "line_id": ids["L01"],
            "operation_id": ids["OP-20"],
            "bundle_no": 1,
            "pieces_checked": 5,
            "defects": [{"code": "SKIP", "qty": 1}],
        }
        found: int = created(client, f"{API}/inspections", body)["id"]
        return found

    def lot(client: TestClient) -> int:
        seed_catalogue(client)
        body = {
            "order_id": ids["PO-Q1"],
            "lot_size": 500,
            "level": "II",
            "aql_major": "2.5",
            "aql_minor": "4.0",
        }
        found: int = created(client, f"{API}/aql", body)["id"]
        return found

    def defect(client: TestClient) -> int:
        body = {"code": "ZZ", "name": "测试", "defect_class": "minor"}
        found: int = created(client, f"{API}/defects", body)["id"]
        return found

    return (
        TenantResource(
            name="inspection",
            list_url=f"{API}/inspections",
            item_url=f"{API}/inspections/{{id}}",
            create=inspection,
            extra_urls=[f"{PAGES}/inspections/{{id}}", f"{PAGES}/inspections/{{id}}/delete"],
        ),
        TenantResource(
            name="AQL inspection",
            list_url=f"{API}/aql",
            item_url=f"{API}/aql/{{id}}",
            create=lot,
            extra_urls=[f"{PAGES}/aql/{{id}}", f"{PAGES}/aql/{{id}}/delete"],
        ),
        TenantResource(
            name="defect",
            list_url=f"{API}/defects",
            item_url=f"{API}/defects/{{id}}",
            create=defect,
            update_method="PUT",
            update_body={"code": "ZZ", "name": "改", "defect_class": "major"},
            extra_urls=[f"{PAGES}/defects/{{id}}/edit", f"{PAGES}/defects/{{id}}/delete"],
        ),
    )


@both_backends
def test_b_cannot_reach_a_s_records(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    for resource in _resources(loom_app, pair.a.id):
        assert_tenant_isolation(pair, resource)
    # B's figures, series and pages know nothing of A's inspections
    assert pair.client_b.get(f"{API}/inspections/figures").json()["total"]["pieces"] == 0
    assert pair.client_b.get(f"{API}/aql/series").json() == []
    assert "SKIP" not in pair.client_b.get(f"{PAGES}/inspections").text


def test_b_cannot_record_against_a_s_lines_orders_or_bundles(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    ids = seed_factory(loom_app, pair.a.id)
    seed_catalogue(pair.client_b)
    body = {
        "kind": "inline",
        "line_id": ids["L01"],
        "operation_id": ids["OP-20"],
        "operator_id": ids["W1"],
        "bundle_no": 1,
        "pieces_checked": 5,
    }
    refused = pair.client_b.post(f"{API}/inspections", json=body)
    assert refused.status_code == 422
    fields = {d["field"] for d in refused.json()["error"]["details"]}
    assert fields == {"line_id", "operation_id", "operator_id", "bundle_no"}
    lot = {
        "order_id": ids["PO-Q1"],
        "lot_size": 500,
        "level": "II",
        "aql_major": "2.5",
        "aql_minor": "4.0",
    }
    refused = pair.client_b.post(f"{API}/aql", json=lot)
    assert [d["field"] for d in refused.json()["error"]["details"]] == ["order_id"]


@both_backends
def test_the_database_refuses_a_defect_row_in_another_tenant_s_inspection(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    inspection = _resources(loom_app, pair.a.id)[0].create(pair.client_a)
    defect_b = created(
        pair.client_b, f"{API}/defects", {"code": "ZZ", "name": "x", "defect_class": "minor"}
    )
    codes_a = {
        d["code"]: d["id"]
        for d in pair.client_a.get(f"{API}/defects", params={"limit": 200}).json()["items"]
    }
    engine = loom_app.state.loom.engine
    table = Base.metadata.tables[InspectionDefect.__tablename__]
    with engine.begin() as conn:  # control: A's own rows are accepted
        conn.execute(
            insert(table).values(
                org_id=pair.a.id, inspection_id=inspection, defect_id=codes_a["HOLE"], qty=1
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            insert(table).values(
                org_id=pair.b.id, inspection_id=inspection, defect_id=defect_b["id"], qty=1
            )
        )
