"""Who may do what, and the audit trail every change leaves."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.audit.verify import verify_chains
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Role
from loom.testing.factory import Factory, OrgRef
from tests.helpers import API, PAGES, add_receipt, create_job, job_body, job_count


def test_roles(factory: Factory, acme: OrgRef, admin: TestClient) -> None:
    factory.user("vic", (acme, Role.VIEWER))
    factory.user("mel", (acme, Role.MEMBER))
    factory.user("max", (acme, Role.MANAGER))
    viewer, member, manager = factory.client("vic"), factory.client("mel"), factory.client("max")
    job = create_job(admin)
    receipt = {"qty_received": 1, "received_on": "2026-03-05"}

    for reader in (viewer, member):
        assert reader.get(f"{API}/jobs").status_code == 200
        assert reader.get(f"{PAGES}/jobs/{job['id']}").status_code == 200
        denied = reader.post(f"{API}/jobs", json=job_body())
        assert denied.status_code == 403
        assert denied.json()["error"]["code"] == "permission_denied"
        assert reader.post(f"{API}/jobs/{job['id']}/receipts", json=receipt).status_code == 403
        assert reader.patch(f"{API}/jobs/{job['id']}", json={"note": "x"}).status_code == 403
        assert reader.get(f"{PAGES}/jobs/new").status_code == 403
    assert job_count(admin) == 1

    assert manager.post(f"{API}/jobs", json=job_body()).status_code == 201
    assert manager.post(f"{API}/jobs/{job['id']}/receipts", json=receipt).status_code == 201
    assert manager.delete(f"{API}/jobs/{job['id']}").status_code == 403  # admins only
    assert admin.delete(f"{API}/jobs/{job['id']}").status_code == 204


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    response = anon.get(f"{API}/jobs")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    page = anon.get(f"{PAGES}/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")


def test_a_read_only_token_cannot_write(factory: Factory, acme: OrgRef) -> None:
    client = factory.token_client(factory.token(acme, ["subcontract.job.read"]))
    assert client.get(f"{API}/jobs").status_code == 200
    assert client.post(f"{API}/jobs", json=job_body()).status_code == 403


def _events(client: TestClient) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = client.get(
        "/api/v1/audit", params={"q": "subcontract.", "limit": 200}
    ).json()["items"]
    return list(reversed(events))  # oldest first


def test_every_change_is_audited(loom_app: FastAPI, admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    receipt = add_receipt(admin, job["id"], received=40, defective=2)
    admin.patch(f"{API}/jobs/{job['id']}", json={"qty_sent": 120, "note": "extra batch"})
    admin.patch(f"{API}/jobs/{job['id']}", json={"status": "closed"})
    admin.patch(f"{API}/jobs/{job['id']}", json={"status": "open"})
    admin.patch(f"{API}/jobs/{job['id']}", json={"qty_sent": 120})  # no change: no event
    admin.delete(f"{API}/jobs/{job['id']}")

    events = _events(admin)
    assert [e["action"] for e in events] == [
        "subcontract.job.created",
        "subcontract.receipt.created",
        "subcontract.job.updated",
        "subcontract.job.closed",
        "subcontract.job.reopened",
        "subcontract.job.deleted",
    ]
    created, got_back, updated, closed, _reopened, deleted = events
    assert created["actor_label"] == "alice"
    assert created["target_id"] == str(job["id"])
    assert created["before"] is None
    assert created["after"]["partner"] == "Hengli Embroidery"
    assert created["after"]["qty_sent"] == 100
    assert created["after"]["due_on"] == "2026-03-09"
    assert got_back["target_id"] == str(receipt["id"])
    assert (got_back["after"]["qty_received"], got_back["after"]["qty_defective"]) == (40, 2)
    assert updated["before"] == {"qty_sent": 100, "note": ""}
    assert updated["after"] == {"qty_sent": 120, "note": "extra batch"}
    assert (closed["before"], closed["after"]) == ({"status": "open"}, {"status": "closed"})
    assert deleted["before"]["receipts"][0]["qty_received"] == 40
    assert deleted["after"] is None

    with session_scope(loom_app.state.loom.session_factory) as session:
        result = verify_chains(session)
    assert result.ok, result.problem
    assert result.checked >= len(events)


def test_a_refused_change_leaves_no_audit_record(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=10)
    too_many = {"qty_received": 11, "received_on": "2026-03-05"}
    assert admin.post(f"{API}/jobs/{job['id']}/receipts", json=too_many).status_code == 422
    assert [e["action"] for e in _events(admin)] == ["subcontract.job.created"]
