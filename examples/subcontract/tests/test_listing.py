"""Job lists: the PageOut envelope, pages, search and the status filter."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.helpers import API, create_job


def _seed(admin: TestClient) -> list[int]:
    """Create seven jobs sent on 1..7 March; return their ids in creation order."""
    partners = ["Alpha Embroidery", "Beta Print", "alpha wash", "Gamma", "Delta", "Eps", "Zeta"]
    ids = []
    for day, partner in enumerate(partners, start=1):
        sent = date(2026, 3, day)
        job = create_job(
            admin,
            partner=partner,
            reference=f"PO-{day:03d}",
            sent_on=sent,
            due_on=sent + timedelta(days=7),
        )
        ids.append(job["id"])
    return ids


def test_pages_walk_the_whole_list_newest_first(admin: TestClient) -> None:
    ids = _seed(admin)
    newest_first = list(reversed(ids))

    first = admin.get(f"{API}/jobs", params={"limit": 3}).json()
    assert set(first) == {"items", "total", "offset", "limit", "next_offset"}
    assert (first["total"], first["offset"], first["limit"], first["next_offset"]) == (7, 0, 3, 3)
    assert [j["id"] for j in first["items"]] == newest_first[:3]

    second = admin.get(f"{API}/jobs", params={"limit": 3, "offset": 3}).json()
    assert [j["id"] for j in second["items"]] == newest_first[3:6]
    assert second["next_offset"] == 6

    last = admin.get(f"{API}/jobs", params={"limit": 3, "offset": 6}).json()
    assert [j["id"] for j in last["items"]] == newest_first[6:]  # 7 jobs: 3 + 3 + 1
    assert last["next_offset"] is None

    beyond = admin.get(f"{API}/jobs", params={"offset": 50}).json()
    assert (beyond["items"], beyond["total"], beyond["next_offset"]) == ([], 7, None)


def test_search_matches_partner_and_reference_ignoring_case(admin: TestClient) -> None:
    _seed(admin)
    by_partner = admin.get(f"{API}/jobs", params={"q": "ALPHA"}).json()
    assert sorted(j["partner"] for j in by_partner["items"]) == ["Alpha Embroidery", "alpha wash"]
    assert by_partner["total"] == 2
    by_reference = admin.get(f"{API}/jobs", params={"q": "po-004"}).json()
    assert [j["partner"] for j in by_reference["items"]] == ["Gamma"]
    # "%" is a literal character in a search, not a LIKE wildcard that matches everything.
    assert admin.get(f"{API}/jobs", params={"q": "%"}).json()["total"] == 0
    assert admin.get(f"{API}/jobs", params={"q": "  "}).json()["total"] == 7


def test_status_filter(admin: TestClient) -> None:
    ids = _seed(admin)
    for job_id in ids[:2]:
        closed = admin.patch(f"{API}/jobs/{job_id}", json={"status": "closed"})
        assert closed.status_code == 200
    closed_jobs = admin.get(f"{API}/jobs", params={"status": "closed"}).json()
    assert sorted(j["id"] for j in closed_jobs["items"]) == sorted(ids[:2])
    assert admin.get(f"{API}/jobs", params={"status": "open"}).json()["total"] == 5  # 7 - 2
    both = admin.get(f"{API}/jobs", params={"status": "closed", "q": "alpha"}).json()
    assert [j["partner"] for j in both["items"]] == ["Alpha Embroidery"]
