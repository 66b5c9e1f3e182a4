"""The JSON API: create, read, change, close and delete jobs, and record receipts."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.helpers import API, DUE, SENT, add_receipt, create_job, future, job_body


def test_create_and_read_a_job(admin: TestClient) -> None:
    created = create_job(admin, note="  logo on left chest  ")
    assert created["partner"] == "Hengli Embroidery"
    assert created["process"] == "embroidery"
    assert created["status"] == "open"
    assert created["note"] == "logo on left chest"  # surrounding spaces are trimmed
    # Nothing back yet: all 100 pieces are out, and 2026-03-09 has passed, so it is overdue.
    assert (created["received"], created["defective"], created["outstanding"]) == (0, 0, 100)
    assert created["overdue"] is True
    fetched = admin.get(f"{API}/jobs/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created


def test_due_date_defaults_from_the_settings(admin: TestClient) -> None:
    body = job_body()
    del body["due_on"]
    job = admin.post(f"{API}/jobs", json=body).json()
    assert job["due_on"] == "2026-03-09"  # 2026-03-02 + the default 7 days

    settings = admin.put("/api/v1/apps/subcontract/settings", json={"default_due_days": 10})
    assert settings.status_code == 200, settings.text
    job = admin.post(f"{API}/jobs", json=body).json()
    assert job["due_on"] == "2026-03-12"  # 2026-03-02 + 10 days


def test_receipts_add_up_per_job(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100, due_on=future(5))
    add_receipt(admin, job["id"], received=50, defective=2, on=SENT)
    add_receipt(admin, job["id"], received=30, defective=3, on=DUE)
    got = admin.get(f"{API}/jobs/{job['id']}").json()
    # received 50 + 30 = 80, defective 2 + 3 = 5, outstanding 100 - 80 - 5 = 15
    assert (got["received"], got["defective"], got["outstanding"]) == (80, 5, 15)
    assert got["overdue"] is False  # due in five days
    receipts = admin.get(f"{API}/jobs/{job['id']}/receipts").json()
    assert [(r["qty_received"], r["qty_defective"]) for r in receipts] == [(50, 2), (30, 3)]


def test_a_job_filled_exactly_is_not_overdue(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=40)
    add_receipt(admin, job["id"], received=36, defective=4)  # 36 + 4 = 40: nothing left out
    got = admin.get(f"{API}/jobs/{job['id']}").json()
    assert got["outstanding"] == 0
    assert got["overdue"] is False


def test_patch_changes_only_the_given_fields(admin: TestClient) -> None:
    job = create_job(admin)
    response = admin.patch(
        f"{API}/jobs/{job['id']}", json={"partner": "Hengli Print", "process": "printing"}
    )
    assert response.status_code == 200, response.text
    got = response.json()
    assert (got["partner"], got["process"]) == ("Hengli Print", "printing")
    assert (got["reference"], got["qty_sent"], got["due_on"]) == ("ST-2041", 100, "2026-03-09")


def test_closing_a_job_settles_it(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    add_receipt(admin, job["id"], received=90)
    closed = admin.patch(f"{API}/jobs/{job['id']}", json={"status": "closed"}).json()
    # 10 pieces never came back, but a closed job is settled and no longer overdue.
    assert (closed["status"], closed["outstanding"], closed["overdue"]) == ("closed", 10, False)
    refused = admin.post(
        f"{API}/jobs/{job['id']}/receipts", json={"qty_received": 5, "received_on": "2026-03-10"}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "job_id"
    reopened = admin.patch(f"{API}/jobs/{job['id']}", json={"status": "open"}).json()
    assert (reopened["status"], reopened["overdue"]) == ("open", True)


def test_deleting_a_job_deletes_its_receipts(admin: TestClient) -> None:
    job = create_job(admin)
    receipt = add_receipt(admin, job["id"], received=10)
    other = create_job(admin, reference="ST-2042")
    kept = add_receipt(admin, other["id"], received=7)

    assert admin.delete(f"{API}/jobs/{job['id']}").status_code == 204
    assert admin.get(f"{API}/jobs/{job['id']}").status_code == 404
    assert admin.get(f"{API}/receipts/{receipt['id']}").status_code == 404
    remaining = admin.get(f"{API}/receipts").json()
    assert [r["id"] for r in remaining["items"]] == [kept["id"]]


def test_deleting_a_receipt_puts_its_pieces_back_out(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    first = add_receipt(admin, job["id"], received=60)
    add_receipt(admin, job["id"], received=20)
    assert admin.delete(f"{API}/receipts/{first['id']}").status_code == 204
    got = admin.get(f"{API}/jobs/{job['id']}").json()
    assert (got["received"], got["outstanding"]) == (20, 80)  # 100 - 20


def test_receipt_list_filters_by_job(admin: TestClient) -> None:
    one = create_job(admin)
    two = create_job(admin, reference="ST-2042")
    add_receipt(admin, one["id"], received=1)
    mine = add_receipt(admin, two["id"], received=2)
    listed = admin.get(f"{API}/receipts", params={"job_id": two["id"]}).json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == mine["id"]


def test_unknown_job_is_404_with_the_envelope(admin: TestClient) -> None:
    response = admin.get(f"{API}/jobs/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    missing = admin.post(
        f"{API}/jobs/999999/receipts", json={"qty_received": 1, "received_on": "2026-03-03"}
    )
    assert missing.status_code == 404


def test_dates_come_back_as_iso_strings(admin: TestClient) -> None:
    job = create_job(admin, sent_on=date(2026, 1, 31), due_on=date(2026, 2, 28))
    assert (job["sent_on"], job["due_on"]) == ("2026-01-31", "2026-02-28")
