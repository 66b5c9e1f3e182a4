"""Tenant walls of posted orders (the shared leak suite), pages in English, paging, cancelling."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import set_enabled
from loom.kernel.tenancy.models import Organisation, OrgKind, Role
from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.modules.matching.service.orders import today
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from tests.modules.matching.helpers import District
from tests.modules.matching.test_api import BASE, _body, clients

__all__ = ["clients"]


def _post(client: TestClient) -> int:
    got = client.post(f"{BASE}/orders", json=_body())
    assert got.status_code == 201, got.text
    order_id: int = got.json()["order"]["id"]
    return order_id


def test_another_enterprise_sees_nothing_of_a_posted_order(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(
        pair,
        TenantResource(
            name="posted order",
            list_url=f"{BASE}/orders",
            item_url=f"{BASE}/orders/{{id}}",
            create=_post,
            deletable=False,
            extra_urls=[
                "/apps/matching/orders/{id}",
                "/apps/matching/orders/{id}/ranking.xlsx",
            ],
        ),
    )
    # B can neither rank, invite for, nor cancel A's order
    order_id = _post(pair.client_a)
    for action, body in (
        ("rank", None),
        ("invitations", {"factory_org_ids": [1]}),
        ("cancel", None),
    ):
        got = pair.client_b.post(f"{BASE}/orders/{order_id}/{action}", json=body)
        assert got.status_code == 404, action


def test_a_factory_that_switched_match_making_off_is_not_ranked(
    clients: tuple[District, dict[str, TestClient]], loom_app: FastAPI
) -> None:
    d, c = clients
    with session_scope(loom_app.state.loom.session_factory) as s:
        org = s.get(Organisation, d.fb)
        assert org is not None
        scope = system_scope(org.id, org.kind, "test")
        with acting_as(s, scope):
            set_enabled(s, scope, org, loom_app.state.loom.apps["matching"], False)
    ranking = c["brand"].post(f"{BASE}/orders", json=_body()).json()["ranking"]
    assert [r["name"] for r in ranking] == ["Factory A"]


def test_pages_in_english_cancel_and_decline(
    clients: tuple[District, dict[str, TestClient]],
) -> None:
    d, c = clients
    c["brand"].cookies.set(LOCALE_COOKIE, "en")
    assert "No orders posted yet" in c["brand"].get("/apps/matching/").text
    order_id = _post(c["brand"])
    page = c["brand"].get(f"/apps/matching/orders/{order_id}").text
    assert "Ranking of factories" in page
    assert "not shared" in page
    fa = d.fa
    c["brand"].post(f"{BASE}/orders/{order_id}/invitations", json={"factory_org_ids": [fa]})
    iid = c["fa"].get(f"{BASE}/invitations").json()["items"][0]["id"]
    c["fa"].cookies.set(LOCALE_COOKIE, "en")
    refused = c["fa"].post(f"/apps/matching/invitations/{iid}/decline", data={"reason": " "})
    assert refused.status_code == 422
    assert "say why the invitation is declined" in refused.text
    # the poster cancels: the pending invitation closes, the factory can no longer accept
    cancelled = c["brand"].post(f"/apps/matching/orders/{order_id}/cancel", follow_redirects=False)
    assert cancelled.status_code == 303
    assert c["fa"].get(f"{BASE}/invitations/{iid}").json()["status"] == "closed"
    late = c["fa"].post(f"{BASE}/invitations/{iid}/accept")
    assert late.status_code == 409
    again = c["brand"].post(f"/apps/matching/orders/{order_id}/cancel")
    assert again.status_code == 409
    assert "cannot be cancelled" in again.text


def test_posted_orders_page_by_25(clients: tuple[District, dict[str, TestClient]]) -> None:
    _, c = clients
    for n in range(27):
        body = _body(due_date=(today() + timedelta(days=10 + n)).isoformat())
        assert c["brand"].post(f"{BASE}/orders", json=body).status_code == 201
    first = c["brand"].get(f"{BASE}/orders", params={"limit": 25}).json()
    assert first["total"] == 27
    assert len(first["items"]) == 25
    assert first["next_offset"] == 25
    rest = c["brand"].get(f"{BASE}/orders", params={"offset": 25}).json()
    assert len(rest["items"]) == 2
    assert rest["next_offset"] is None
    page = c["brand"].get("/apps/matching/").text
    assert "offset=25" in page  # the page links to the next 25


def test_members_read_but_only_managers_post_and_answer(
    clients: tuple[District, dict[str, TestClient]], factory: Factory
) -> None:
    d, c = clients
    order_id = _post(c["brand"])
    c["brand"].post(f"{BASE}/orders/{order_id}/invitations", json={"factory_org_ids": [d.fa]})
    factory.user("brand-member", (OrgRef(d.brand, "brand", OrgKind.ENTERPRISE), Role.MEMBER))
    factory.user("fa-member", (OrgRef(d.fa, "fa", OrgKind.ENTERPRISE), Role.MEMBER))
    member = factory.client("brand-member")
    assert member.get(f"{BASE}/orders/{order_id}").status_code == 200
    assert member.post(f"{BASE}/orders", json=_body()).status_code == 403
    assert member.post(f"{BASE}/orders/{order_id}/cancel").status_code == 403
    worker = factory.client("fa-member")
    iid = worker.get(f"{BASE}/invitations").json()["items"][0]["id"]
    assert worker.post(f"{BASE}/invitations/{iid}/accept").status_code == 403
