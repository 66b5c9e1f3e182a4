"""Who may read and who may change the N+X lists (programme.needs.read / .manage)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.programme.models import ContractorApplication
from loom.testing.factory import Factory
from tests.modules.programme.needs import (
    API,
    PAGES,
    add_scenario,
    bureau,
    enterprise,
    need_body,
    record,
    scenario_body,
    service_session,
    zh,
)


def _changes(client: TestClient, pilot: int, need_id: int, scenario_id: int) -> list[int]:
    """Try every change through the API and the pages; return the status codes."""
    return [
        client.post(f"{API}/survey", json=need_body(pilot, "cad-nesting")).status_code,
        client.put(f"{API}/survey/{need_id}", json=need_body(pilot)).status_code,
        client.delete(f"{API}/survey/{need_id}").status_code,
        client.post(f"{API}/scenarios", json=scenario_body("N09")).status_code,
        client.put(f"{API}/scenarios/{scenario_id}", json=scenario_body()).status_code,
        client.delete(f"{API}/scenarios/{scenario_id}").status_code,
        client.post(f"{API}/lists", json={"sector": "apparel"}).status_code,
        client.post(f"{PAGES}/survey/new", data=need_body(pilot, "x")).status_code,
        client.get(f"{PAGES}/survey/{need_id}/edit").status_code,
        client.post(f"{PAGES}/survey/{need_id}/delete").status_code,
        client.get(f"{PAGES}/scenarios/new").status_code,
        client.post(f"{PAGES}/scenarios/{scenario_id}/delete").status_code,
        client.post(f"{PAGES}/publish", data={"sector": "apparel"}).status_code,
    ]


def test_a_bureau_member_reads_but_does_not_change(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    need = record(b.client, pilot)
    scenario = add_scenario(b.client)
    assert b.reader.get(f"{API}/survey").json()["total"] == 1
    assert b.reader.get(f"{API}/classification", params={"sector": "apparel"}).status_code == 200
    page = b.reader.get(PAGES)
    assert page.status_code == 200
    assert "扎包扫码报工" in page.text
    # no forms or buttons that would only answer 403
    for control in (
        'data-testid="publish"',
        'data-testid="add-need"',
        'data-testid="new-scenario"',
    ):
        assert control not in page.text
    assert zh("Edit") not in page.text.split('data-testid="survey-table"', 1)[1]
    assert _changes(b.reader, pilot, need["id"], scenario["id"]) == [403] * 13
    assert b.client.get(f"{API}/survey/{need['id']}").status_code == 200


def test_a_contractor_may_read_but_sees_no_bureaus_survey(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    need = record(b.client, pilot)
    scenario = add_scenario(b.client)
    vendor = factory.org("yongke", OrgKind.CONTRACTOR, name="甬科数智")
    factory.user("vendor", (vendor, Role.MANAGER))
    client = factory.client("vendor")
    # the survey is the bureau's record: a contractor's reads run in its own tenant
    assert client.get(f"{API}/survey").json()["total"] == 0
    assert client.get(f"{API}/scenarios").json() == []
    assert client.get(f"{API}/survey/{need['id']}").status_code == 404
    found = client.get(f"{API}/classification", params={"sector": "apparel"}).json()
    assert (found["needs"], found["sector_pilots"]) == ([], [])
    page = client.get(PAGES)
    assert page.status_code == 200
    assert zh("No survey need is recorded for this sector yet.") in page.text
    assert _changes(client, pilot, need["id"], scenario["id"]) == [403] * 13


def test_enterprises_and_strangers_are_kept_out(factory: Factory) -> None:
    b = bureau(factory)
    record(b.client, enterprise(factory, b.org, 1))
    firm = factory.org("firm", OrgKind.ENTERPRISE, name="海曙服饰")
    factory.user("owner", (firm, Role.ADMIN))
    owner = factory.client("owner")
    assert owner.get(f"{API}/survey").status_code == 403
    assert owner.get(PAGES).status_code == 403
    anonymous = factory.client()
    assert anonymous.get(f"{API}/survey").status_code == 401
    login = anonymous.get(PAGES, follow_redirects=False)
    assert login.status_code in (302, 303)
    assert login.headers["location"].startswith("/login")


def test_a_contractor_in_the_programme_reads_its_published_lists(factory: Factory) -> None:
    b = bureau(factory)
    record(b.client, enterprise(factory, b.org, 1))
    add_scenario(b.client)
    published = b.client.post(f"{API}/lists", json={"sector": "apparel"})
    assert published.status_code == 201, published.text
    versions = {row["kind"]: row["id"] for row in published.json()}
    vendor = factory.org("yongke", OrgKind.CONTRACTOR, name="甬科数智")
    factory.user("vendor", (vendor, Role.MANAGER))
    client = factory.client("vendor")
    # no bid, no project: the contractor is in no programme and reads nothing
    assert client.get(f"{API}/lists").json()["total"] == 0
    assert client.get(f"{API}/lists/{versions['needs']}").status_code == 404
    with service_session(factory, b.org) as (session, _scope):
        session.add(
            ContractorApplication(org_id=b.org.id, contractor_org_id=vendor.id, sector="apparel")
        )
    # a bid makes it a party of the programme: the three published lists, not the survey
    listed = client.get(f"{API}/lists").json()
    assert listed["total"] == 3
    assert {row["kind"] for row in listed["items"]} == {"problems", "needs", "scenarios"}
    assert client.get(f"{API}/lists/{versions['needs']}").status_code == 200
    assert client.get(f"{API}/survey").json()["total"] == 0
    # it still writes nothing
    assert client.post(f"{API}/lists", json={"sector": "apparel"}).status_code == 403
