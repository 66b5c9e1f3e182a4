"""Tenant walls of the N+X lists: another bureau neither lists, reads, edits nor deletes."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory
from loom.testing.leak import TenantPair, TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.programme.needs import (
    API,
    PAGES,
    add_scenario,
    enterprise,
    need_body,
    record,
    scenario_body,
)


@dataclass
class Bureaus:
    """Two bureaus: A's registry holds pilots ``a1`` and ``a2``, B's holds ``b1``."""

    pair: TenantPair
    a1: int
    a2: int
    b1: int

    def need_of_a(self, client: TestClient) -> int:
        """Return A's first survey need, recording one if there is none."""
        listed = client.get(f"{API}/survey").json()["items"]
        return int(listed[0]["id"]) if listed else int(record(client, self.a1)["id"])

    def list_of_a(self, client: TestClient) -> int:
        """Publish A's lists and return the id of its need list."""
        self.need_of_a(client)
        made = client.post(f"{API}/lists", json={"sector": "apparel"})
        assert made.status_code == 201, made.text
        return int(made.json()[1]["id"])


def _bureaus(factory: Factory) -> Bureaus:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    a1, a2 = enterprise(factory, pair.a, 1), enterprise(factory, pair.a, 2)
    return Bureaus(pair, a1, a2, enterprise(factory, pair.b, 3))


def _scenario_of_a(client: TestClient) -> int:
    return int(add_scenario(client, "N01")["id"])


@both_backends
def test_another_bureau_cannot_reach_a_survey_need(factory: Factory) -> None:
    d = _bureaus(factory)
    pair = d.pair
    resource = TenantResource(
        name="survey need",
        list_url=f"{API}/survey",
        item_url=f"{API}/survey/{{id}}",
        create=d.need_of_a,
        update_method="PUT",
        update_body=need_body(d.b1, problem="改写"),
        extra_urls=[f"{PAGES}/survey/{{id}}/edit"],
    )
    assert_tenant_isolation(pair, resource)
    need_id = d.need_of_a(pair.client_a)
    attempts = [
        pair.client_b.post(f"{PAGES}/survey/{need_id}/edit", data=need_body(d.b1)),
        pair.client_b.post(f"{PAGES}/survey/{need_id}/delete"),
    ]
    assert [r.status_code for r in attempts] == [404, 404]
    # nor can B record a need for A's registry entry: it is not in B's registry
    foreign = pair.client_b.post(f"{API}/survey", json=need_body(d.a1))
    assert foreign.status_code == 422
    assert foreign.json()["error"]["details"][0]["field"] == "enterprise_id"


@both_backends
def test_another_bureau_cannot_reach_a_scenario(factory: Factory) -> None:
    d = _bureaus(factory)
    pair = d.pair
    resource = TenantResource(
        name="scenario",
        list_url=f"{API}/scenarios",
        item_url=f"{API}/scenarios/{{id}}",
        create=_scenario_of_a,
        update_method="PUT",
        update_body=scenario_body("B01"),
        extra_urls=[f"{PAGES}/scenarios/{{id}}/edit"],
    )
    assert_tenant_isolation(pair, resource)
    # A's scenario code means nothing in B: B may use it, and B's needs cannot point to A's
    refused = pair.client_b.post(f"{API}/survey", json=need_body(d.b1, scenario_code="N01"))
    assert refused.json()["error"]["details"] == [
        {"field": "scenario_code", "message": "scenario_code: no scenario has the code N01"}
    ]
    assert pair.client_b.post(f"{API}/scenarios", json=scenario_body("N01")).status_code == 201


@both_backends
def test_another_bureau_cannot_reach_a_published_list(factory: Factory) -> None:
    d = _bureaus(factory)
    pair = d.pair
    resource = TenantResource(
        name="published list",
        list_url=f"{API}/lists",
        item_url=f"{API}/lists/{{id}}",
        create=d.list_of_a,
        deletable=False,
        extra_urls=[
            f"{API}/lists/{{id}}/diff",
            f"{PAGES}/versions/{{id}}",
            f"{PAGES}/versions/{{id}}/diff",
            f"{PAGES}/versions/{{id}}/export.xlsx",
        ],
    )
    assert_tenant_isolation(pair, resource)
    # B's own lists start at version 1, and a diff against A's version is a 404
    record(pair.client_b, d.b1)
    mine = pair.client_b.post(f"{API}/lists", json={"sector": "apparel"}).json()
    assert {row["version"] for row in mine} == {1}
    theirs = pair.client_a.get(f"{API}/lists").json()["items"][0]["id"]
    crossed = pair.client_b.get(f"{API}/lists/{mine[1]['id']}/diff", params={"against": theirs})
    assert crossed.status_code == 404


@both_backends
def test_another_bureaus_pilots_and_needs_do_not_count(factory: Factory) -> None:
    d = _bureaus(factory)
    pair = d.pair
    record(pair.client_a, d.a1)
    record(pair.client_a, d.a2)
    record(pair.client_b, d.b1, "cad-nesting")
    a = pair.client_a.get(f"{API}/classification", params={"sector": "apparel"}).json()
    b = pair.client_b.get(f"{API}/classification", params={"sector": "apparel"}).json()
    # A: 2 pilots, both report bundle-scan (2/2); B: its 1 pilot reports cad-nesting (1/1)
    assert [(n["need_key"], n["pilots"], n["sector_pilots"]) for n in a["needs"]] == [
        ("bundle-scan", 2, 2)
    ]
    assert [(n["need_key"], n["pilots"], n["sector_pilots"]) for n in b["needs"]] == [
        ("cad-nesting", 1, 1)
    ]
    page = pair.client_b.get(PAGES).text
    assert "海曙第1服饰" not in page
    assert "海曙第3服饰" in page
