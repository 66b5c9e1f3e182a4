"""The subsidy API: quotes, approvals refused at a cap, payments, the ledger, permissions."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.subsidy.ledger import (
    API,
    WAN,
    bureau,
    contractor,
    pilot_project,
    product,
)


def approve(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(f"{API}/awards", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


@both_backends
def test_quote_approve_refuse_at_the_cap(factory: Factory) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 1, invest_fen=120 * WAN)
    quoted = district.member.post(
        f"{API}/quote", json={"rule": "pilot-project", "project_id": project}
    )
    assert quoted.status_code == 200, quoted.text
    body = quoted.json()
    # 50% of 1,200,000 = 600,000, capped at 500,000
    assert body["amount"] == {"cny": "500000.00", "fen": 50 * WAN}
    assert body["limit_applied"] == "cap"
    assert body["split"]["central"] == {"parts": 5, "cny": "250000.00", "fen": 25 * WAN}
    assert body["investment"]["cny"] == "1200000.00"
    assert body["beneficiary"] == {
        "kind": "enterprise",
        "name": "试点企业1",
        "provider": None,
        "enterprise_id": body["beneficiary"]["enterprise_id"],
        "project_id": project,
        "contractor_org_id": None,
        "product_id": None,
    }
    assert body["facts"]["listed_as"] == ["national-pilot"]
    award = approve(district.manager, rule="pilot-project", project_id=project, note="第一批")
    assert (award["amount_fen"], award["status"], award["note"]) == (50 * WAN, "approved", "第一批")
    assert award["paid"] == {"central": 0, "city": 0, "district": 0}
    again = district.manager.post(
        f"{API}/awards", json={"rule": "pilot-project", "project_id": project}
    )
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "conflict"
    assert error["message"] == (
        "amount: nothing more can be awarded: the cap per beneficiary is used up"
    )
    listed = district.member.get(f"{API}/awards").json()
    assert [item["id"] for item in listed["items"]] == [award["id"]]


def test_bad_input_names_the_field(factory: Factory) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 2)
    cases = [
        (
            {"rule": "pilot-project", "project_id": project, "investment": "1.234"},
            422,
            "investment",
        ),
        ({"rule": "nope", "project_id": project}, 422, "rule"),
        ({"rule": "pilot-project", "project_id": 999_999}, 404, None),
        ({"rule": "pilot-project", "product_id": 1}, 422, "product"),
        ({"rule": "pilot-project", "project_id": project, "amount": "-5"}, 422, "amount"),
    ]
    for body, status, field in cases:
        response = district.manager.post(f"{API}/awards", json=body)
        assert response.status_code == status, (body, response.text)
        if field is not None:
            assert response.json()["error"]["details"][0]["field"] == field, body
    unknown = district.manager.post(f"{API}/quote", json={"rule": "pilot-project", "x": 1})
    assert unknown.status_code == 422


def test_payments_and_the_ledger_over_the_api(factory: Factory) -> None:
    district = bureau(factory)
    acme = contractor(factory, "acme-soft")
    item = product(factory, acme, "扫码计件", marked_by=district.org)
    award = approve(district.manager, rule="excellent-product-award", product_id=item)
    url = f"{API}/awards/{award['id']}/payments"
    paid = district.manager.post(
        url, json={"funder": "city", "amount": "60000", "paid_on": "2025-12-01", "reference": "A1"}
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["amount_fen"] == 6 * WAN
    too_much = district.manager.post(
        url, json={"funder": "city", "amount": "40000.01", "paid_on": "2025-12-02"}
    )
    assert too_much.status_code == 409
    assert "at most 40000.00 CNY more can be paid" in too_much.json()["error"]["message"]
    detail = district.member.get(f"{API}/awards/{award['id']}").json()
    assert detail["paid"] == {"city": 6 * WAN}
    assert [p["reference"] for p in detail["payments"]] == ["A1"]
    ledger = district.member.get(f"{API}/ledger").json()
    assert ledger["funders"] == [
        {
            "funder": "city",
            "name": "宁波市级财政",
            "approved_fen": 10 * WAN,
            "paid_fen": 6 * WAN,
            "outstanding_fen": 4 * WAN,
        }
    ]
    cancelled = district.manager.post(f"{API}/awards/{award['id']}/cancel", json={"reason": "x"})
    assert cancelled.status_code == 409  # 60,000 already paid


def test_the_list_filters_and_pages(factory: Factory) -> None:
    district = bureau(factory)
    acme = contractor(factory, "acme-soft")
    for n in range(3):
        item = product(factory, acme, f"产品{n}", marked_by=district.org)
        approve(district.manager, rule="excellent-product-award", product_id=item, amount="1000")
    project = pilot_project(factory, district.org, 3, invest_fen=10 * WAN)
    pilot = approve(district.manager, rule="pilot-project", project_id=project)
    first = district.member.get(f"{API}/awards", params={"kind": "product", "limit": 2}).json()
    assert (first["total"], len(first["items"]), first["next_offset"]) == (3, 2, 2)
    second = district.member.get(
        f"{API}/awards", params={"kind": "product", "limit": 2, "offset": 2}
    ).json()
    assert (len(second["items"]), second["next_offset"]) == (1, None)
    by_name = district.member.get(f"{API}/awards", params={"q": "试点企业3"}).json()
    assert [item["id"] for item in by_name["items"]] == [pilot["id"]]
    bad = district.member.get(f"{API}/awards", params={"status": "paid"})
    assert bad.status_code == 422


def test_permissions(factory: Factory) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 4)
    body = {"rule": "pilot-project", "project_id": project, "investment": "100000"}
    # members read and quote, only managers approve
    assert district.member.post(f"{API}/quote", json=body).status_code == 200
    assert district.member.post(f"{API}/awards", json=body).status_code == 403
    award = approve(district.manager, **body)
    cancel = district.member.post(f"{API}/awards/{award['id']}/cancel", json={"reason": "x"})
    assert cancel.status_code == 403
    # enterprises and contractors do not read the bureau's ledger
    factory_org = factory.org("hx-garments", OrgKind.ENTERPRISE)
    factory.user("owner", (factory_org, Role.ADMIN))
    owner = factory.client("owner")
    assert owner.get(f"{API}/awards").status_code == 403
    assert owner.get(f"{API}/rules").status_code == 200  # the rules are public to the parties
    assert owner.get("/apps/subsidy/").status_code == 403
    anonymous = factory.client()
    assert anonymous.get(f"{API}/ledger").status_code == 401


@both_backends
def test_another_bureau_sees_nothing(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    project = pilot_project(factory, pair.a, 5, invest_fen=30 * WAN)

    def create(client: TestClient) -> Any:
        return approve(client, rule="pilot-project", project_id=project)["id"]

    resource = TenantResource(
        name="award",
        list_url=f"{API}/awards",
        item_url=f"{API}/awards/{{id}}",
        create=create,
        deletable=False,
        extra_urls=["/apps/subsidy/awards/{id}"],
    )
    assert_tenant_isolation(pair, resource)
    award_id = pair.client_a.get(f"{API}/awards").json()["items"][0]["id"]
    b = pair.client_b
    assert b.post(f"{API}/awards/{award_id}/cancel", json={"reason": "x"}).status_code == 404
    pay = {"funder": "city", "amount": "1", "paid_on": "2025-12-01"}
    assert b.post(f"{API}/awards/{award_id}/payments", json=pay).status_code == 404
    # B cannot quote or approve on A's project, and its ledger is empty
    quote = b.post(f"{API}/quote", json={"rule": "pilot-project", "project_id": project})
    assert quote.status_code == 404
    assert b.get(f"{API}/ledger").json()["awards"] == 0
    export = b.get("/apps/subsidy/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).worksheets[0]
    assert sheet.max_row == 1  # the header only
    # A's award still stands untouched
    assert pair.client_a.get(f"{API}/awards/{award_id}").json()["status"] == "approved"
