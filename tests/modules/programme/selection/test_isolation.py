"""Tenant walls and permissions of selection: other bureaus, competitors, roles and kinds."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.programme.selection import (
    API,
    PAGES,
    PRINCIPLES,
    apply,
    district,
    register,
    scored_application,
)

BIDS = f"{API}/contractor-applications"


@both_backends
def test_another_bureau_cannot_reach_a_pilot_application(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)

    def create(client: TestClient) -> int:
        return scored_application(client, factory, pair.a, 1, 80)

    resource = TenantResource(
        name="pilot application",
        list_url=f"{API}/pilot-applications",
        item_url=f"{API}/pilot-applications/{{id}}",
        create=create,
        deletable=False,
        extra_urls=[f"{PAGES}/pilots/{{id}}"],
    )
    assert_tenant_isolation(pair, resource)


@both_backends
def test_another_bureau_cannot_score_decide_or_select_through_any_door(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    app_id = scored_application(pair.client_a, factory, pair.a, 1, 80)
    before = pair.client_a.get(f"{API}/pilot-applications/{app_id}").json()
    sheet_id = before["sheets"][0]["id"]
    url = f"{API}/pilot-applications/{app_id}"
    page = f"{PAGES}/pilots/{app_id}"
    scores = dict.fromkeys(PRINCIPLES, 0)
    attempts = [
        pair.client_b.post(f"{url}/sheets", json={"expert": "专家甲", "scores": scores}),
        pair.client_b.delete(f"{url}/sheets/{sheet_id}"),
        pair.client_b.post(f"{url}/withdraw", json={"reason": "x"}),
        pair.client_b.post(f"{url}/not-selected", json={"reason": "x"}),
        pair.client_b.post(f"{url}/reopen"),
        pair.client_b.post(f"{page}/sheets", data={"expert": "专家甲", "score_leader_will": "0"}),
        pair.client_b.post(f"{page}/sheets/{sheet_id}/remove"),
        pair.client_b.post(f"{page}/withdraw", data={"reason": "x"}),
        pair.client_b.post(f"{page}/not-selected", data={"reason": "x"}),
        pair.client_b.post(f"{page}/reopen"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    # selecting A's id from B reads exactly like an id that does not exist
    theirs = pair.client_b.post(
        f"{API}/pilot-selections", json={"batch": "batch-1", "application_ids": [app_id]}
    )
    assert theirs.status_code == 422
    assert theirs.json()["error"]["details"] == [
        {
            "field": f"application_ids.{app_id}",
            "message": f"application_ids.{app_id}: no such application",
        }
    ]
    # B's own ranking, export and enterprise form show nothing of A's
    ranked = pair.client_b.get(f"{API}/pilot-ranking").json()
    assert all(rows == [] for rows in ranked["sectors"].values())
    assert "宁波第1服饰有限公司" not in pair.client_b.get(f"{PAGES}/pilots/ranking").text
    assert "宁波第1服饰有限公司" not in pair.client_b.get(f"{PAGES}/pilots/new").text
    refused = pair.client_b.post(
        f"{API}/pilot-applications", json={"enterprise_id": before["application"]["enterprise_id"]}
    )
    assert refused.status_code == 422  # not in B's registry
    assert pair.client_a.get(f"{API}/pilot-applications/{app_id}").json() == before


@both_backends
def test_bids_are_walled_between_bureaus_and_between_competitors(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    lead = factory.org("lead-co", OrgKind.CONTRACTOR)
    rival = factory.org("rival-co", OrgKind.CONTRACTOR)
    factory.user("lead-pm", (lead, Role.MANAGER))
    factory.user("rival-pm", (rival, Role.MANAGER))
    lead_client, rival_client = factory.client("lead-pm"), factory.client("rival-pm")
    made = lead_client.post(BIDS, json={"bureau_org_id": pair.a.id, "sector": "apparel"})
    bid_id = made.json()["id"]
    url, page = f"{BIDS}/{bid_id}", f"{PAGES}/contractors/{bid_id}"
    body = {"group": "experts", "evaluator": "x", "scores": {}}
    for outsider in (pair.client_b, rival_client):
        assert outsider.get(BIDS).json()["items"] == []
        assert outsider.get(url).status_code == 404
        assert outsider.get(page).status_code == 404
    attempts = [
        pair.client_b.post(f"{url}/sheets", json=body),
        pair.client_b.post(f"{url}/choose", json={}),
        pair.client_b.post(f"{url}/decline", json={"reason": "x"}),
        pair.client_b.post(f"{page}/choose", data={}),
        pair.client_b.post(f"{page}/decline", data={"reason": "x"}),
        rival_client.post(f"{url}/withdraw"),
        rival_client.post(f"{page}/withdraw"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    ranked = pair.client_b.get(f"{API}/contractor-ranking").json()["sectors"]
    assert all(s["rows"] == [] for s in ranked.values())
    assert pair.client_a.get(url).json()["application"]["status"] == "submitted"
    assert lead_client.get(url).status_code == 200


def test_roles_and_kinds_reach_only_what_their_permissions_allow(
    factory: Factory, anon: TestClient
) -> None:
    d = district(factory)
    factory.user("bureau-viewer", (d.bureau, Role.VIEWER))
    watcher = factory.client("bureau-viewer")
    app_id = apply(d.bureau_client, register(factory, d.bureau, 1))["id"]
    # a bureau viewer reads everything but changes nothing
    assert watcher.get(f"{API}/pilot-applications/{app_id}").status_code == 200
    assert watcher.get(f"{API}/pilot-ranking").status_code == 200
    assert watcher.get(f"{PAGES}/pilots/ranking").status_code == 200
    assert watcher.get(f"{API}/contractor-ranking").status_code == 200
    scores = dict.fromkeys(PRINCIPLES, 50)
    for attempt in (
        watcher.post(
            f"{API}/pilot-applications/{app_id}/sheets", json={"expert": "x", "scores": scores}
        ),
        watcher.post(
            f"{API}/pilot-selections", json={"batch": "batch-1", "application_ids": [app_id]}
        ),
        watcher.post(f"{PAGES}/pilots/new", data={"enterprise_id": "1"}),
        watcher.get(f"{PAGES}/pilots/new"),
    ):
        assert attempt.status_code == 403
    # contractors have no part in pilot selection, enterprises none in contractor selection
    assert d.alpha_client.get(f"{API}/pilot-applications").status_code == 403
    assert d.alpha_client.get(f"{PAGES}/pilots").status_code == 403
    assert d.firm_client.get(f"{PAGES}/contractors").status_code == 403
    assert d.firm_client.get(f"{PAGES}/pilots/ranking").status_code == 403
    assert anon.get(f"{API}/pilot-applications").status_code == 401
    assert anon.get(f"{PAGES}/pilots", follow_redirects=False).status_code in (302, 303)
