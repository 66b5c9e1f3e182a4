"""Tenant walls: B sees nothing of A, the database refuses cross-tenant receipts, and an
organisation that switches the app off loses it alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.kernel.db.base import Base
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from loom_subcontract.models import SubcontractReceipt
from tests.helpers import API, PAGES, add_receipt, create_job, job_body


def _new_job(client: TestClient) -> int:
    job_id: int = create_job(client)["id"]
    return job_id


def _new_receipt(client: TestClient) -> int:
    receipt_id: int = add_receipt(client, _new_job(client), received=3, defective=1)["id"]
    return receipt_id


JOBS = TenantResource(
    name="sub-contracting job",
    list_url=f"{API}/jobs",
    item_url=f"{API}/jobs/{{id}}",
    create=_new_job,
    update_body={"partner": "Taken over", "status": "closed"},
    extra_urls=[f"{API}/jobs/{{id}}/receipts"],
)
RECEIPTS = TenantResource(
    name="sub-contracting receipt",
    list_url=f"{API}/receipts",
    item_url=f"{API}/receipts/{{id}}",
    create=_new_receipt,
    update_body=None,  # receipts are never edited, only deleted and recorded again
)


@both_backends
def test_jobs_and_receipts_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(pair, JOBS)
    assert_tenant_isolation(pair, RECEIPTS)


@both_backends
def test_b_cannot_add_a_receipt_to_a_job_of_a(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    job_id = _new_job(pair.client_a)
    body = {"qty_received": 5, "received_on": "2026-03-05"}
    sneaked = pair.client_b.post(f"{API}/jobs/{job_id}/receipts", json=body)
    assert sneaked.status_code == 404
    assert sneaked.json()["error"]["code"] == "not_found"
    assert pair.client_a.get(f"{API}/jobs/{job_id}").json()["received"] == 0
    assert pair.client_b.get(f"{API}/receipts").json()["total"] == 0


@both_backends
def test_b_cannot_reach_a_job_of_a_through_the_pages(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    job_id = _new_job(pair.client_a)
    assert pair.client_b.get(f"{PAGES}/jobs/{job_id}").status_code == 404
    deleted = pair.client_b.post(f"{PAGES}/jobs/{job_id}/delete", follow_redirects=False)
    assert deleted.status_code == 404
    assert pair.client_a.get(f"{API}/jobs/{job_id}").status_code == 200


@both_backends
def test_composite_key_refuses_a_receipt_in_another_tenant(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    job_id = _new_job(pair.client_a)
    engine = loom_app.state.loom.engine
    now = datetime.now(UTC)
    row = {
        "job_id": job_id,
        "qty_received": 1,
        "qty_defective": 0,
        "received_on": date(2026, 3, 5),
        "note": "",
        "created_at": now,
        "updated_at": now,
    }
    table = Base.metadata.tables[SubcontractReceipt.__tablename__]
    # Control: the same insert with the job's own org_id is accepted, so the refusal below
    # comes from the (job_id, org_id) key and from nothing else.
    with engine.begin() as conn:
        conn.execute(insert(table).values(**row, org_id=pair.a.id))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(**row, org_id=pair.b.id))
    assert pair.client_b.get(f"{API}/receipts").json()["total"] == 0
    assert pair.client_a.get(f"{API}/receipts").json()["total"] == 1


@both_backends
def test_disabling_the_app_hides_it_for_that_organisation_only(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert "外协加工" in pair.client_a.get("/").text  # the nav entry, in the default zh_CN

    off = pair.client_a.put("/api/v1/apps/subcontract", json={"enabled": False})
    assert off.status_code == 200, off.text
    assert off.json()["enabled"] is False

    for url in (f"{API}/jobs", f"{PAGES}/", f"{PAGES}/jobs/new", f"{PAGES}/jobs.xlsx"):
        assert pair.client_a.get(url).status_code == 404, url
        assert pair.client_b.get(url).status_code == 200, url
    refused = pair.client_a.post(f"{API}/jobs", json=job_body())
    assert refused.status_code == 404
    home = pair.client_a.get("/").text
    assert "外协加工" not in home
    assert "Sub-contracting" not in home
    assert "/apps/subcontract/" not in home
    assert "外协加工" in pair.client_b.get("/").text

    on = pair.client_a.put("/api/v1/apps/subcontract", json={"enabled": True})
    assert on.status_code == 200
    assert pair.client_a.get(f"{API}/jobs").status_code == 200
