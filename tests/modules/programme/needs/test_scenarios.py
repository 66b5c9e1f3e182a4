"""Scenarios: national scenes S01–S16 at levels 1–4, unique codes, linked 小快轻准 products."""

from __future__ import annotations

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from tests.modules.programme.catalogue.helpers import product_body
from tests.modules.programme.needs import (
    API,
    add_scenario,
    audit_actions,
    bureau,
    enterprise,
    record,
    scenario_body,
)


def test_scenes_are_checked_against_the_national_index(factory: Factory) -> None:
    b = bureau(factory)
    refused = b.client.post(
        f"{API}/scenarios",
        json=scenario_body(
            "N 01", title="", sector="textiles", stage="", scenes={"S17": 2, "S01": 5, "S02": 0}
        ),
    )
    assert refused.status_code == 422
    details = refused.json()["error"]["details"]
    assert [d["field"] for d in details] == [
        "title",
        "code",
        "sector",
        "stage",
        "scenes.S17",
        "scenes.S01",
        "scenes.S02",
    ]
    messages = {d["field"]: d["message"] for d in details}
    # the 2024 manufacturing rule set rates every scene from level 1 to 4
    assert messages["scenes.S01"] == "scenes.S01: a level from 1 to 4"
    assert messages["scenes.S17"] == "scenes.S17: not a scene of the national index"
    assert messages["sector"] == (
        "sector: one of the plan's sectors: apparel, nev_parts, home_appliances"
    )
    none = b.client.post(f"{API}/scenarios", json=scenario_body(scenes={}))
    assert [d["field"] for d in none.json()["error"]["details"]] == ["scenes"]
    # the edges are accepted: S01 and S16, levels 1 and 4
    edge = add_scenario(b.client, scenes={"S16": 4, "S01": 1})
    assert edge["scenes"] == {"S01": 1, "S16": 4}
    assert b.client.get(f"{API}/scenarios").json()[0]["code"] == "N01"


def test_codes_are_unique_and_a_new_code_carries_its_needs(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    scenario = add_scenario(b.client, "N01")
    add_scenario(b.client, "N02", title="智能排产")
    taken = b.client.post(f"{API}/scenarios", json=scenario_body("N02"))
    assert taken.status_code == 409
    assert taken.json()["error"]["message"] == "code: a scenario already has the code N02"
    need = record(b.client, pilot, scenario_code="N01")
    renamed = b.client.put(
        f"{API}/scenarios/{scenario['id']}", json=scenario_body("APP-N01", scenes={"S06": 3})
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["code"], renamed.json()["needs"]) == ("APP-N01", 1)
    assert b.client.get(f"{API}/survey/{need['id']}").json()["scenario_code"] == "APP-N01"
    clash = b.client.put(f"{API}/scenarios/{scenario['id']}", json=scenario_body("N02"))
    assert clash.status_code == 409
    # the needs pointing to it are apparel's: the scenario cannot move to another sector
    moved = b.client.put(
        f"{API}/scenarios/{scenario['id']}", json=scenario_body("APP-N01", sector="nev_parts")
    )
    assert moved.status_code == 409
    assert moved.json()["error"]["message"] == (
        "sector: 1 survey needs of another sector point to this scenario"
    )


def test_a_scenario_in_use_is_not_deleted(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    scenario = add_scenario(b.client, "N01")
    need = record(b.client, pilot, scenario_code="N01")
    refused = b.client.delete(f"{API}/scenarios/{scenario['id']}")
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == (
        "1 survey needs point to this scenario: point them elsewhere first"
    )
    assert b.client.delete(f"{API}/survey/{need['id']}").status_code == 204
    assert b.client.delete(f"{API}/scenarios/{scenario['id']}").status_code == 204
    assert b.client.get(f"{API}/scenarios/{scenario['id']}").status_code == 404
    assert audit_actions(factory, b.org, "scenario", scenario["id"]) == [
        "programme.scenario.created",
        "programme.scenario.deleted",
    ]


def test_published_products_naming_the_code_are_linked(factory: Factory) -> None:
    b = bureau(factory)
    vendor = factory.org("yongke", OrgKind.CONTRACTOR, name="甬科数智")
    factory.user("vendor", (vendor, Role.MANAGER))
    seller = factory.client("vendor")
    scenario = add_scenario(b.client, "N01")
    made = []
    for name, code in (("扎包扫码小程序", "N01"), ("在制品看板", "N01"), ("排产助手", "N02")):
        response = seller.post(
            "/api/v1/programme/products", json=product_body(name, scenario_code=code)
        )
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    assert seller.post(f"/api/v1/programme/products/{made[1]}/withdraw").status_code == 200
    shown = b.client.get(f"{API}/scenarios/{scenario['id']}").json()
    # the withdrawn one and the one naming N02 are not linked
    assert shown["products"] == [{"id": made[0], "name": "扎包扫码小程序"}]
