"""Recording the survey over the API: every bad field named, one need per pilot, audited."""

from __future__ import annotations

from loom.modules.programme.models import PilotApplication
from loom.testing.factory import Factory
from tests.modules.programme.needs import (
    API,
    add_scenario,
    audit_actions,
    bureau,
    enterprise,
    need_body,
    record,
    service_session,
)


def test_a_need_is_recorded_edited_and_deleted_with_an_audit_trail(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    add_scenario(b.client, "N01")
    need = record(b.client, pilot, scenario_code="N01", problem="  人工盘点在制品  ")
    assert (need["enterprise"], need["sector"], need["problem"], need["created_by"]) == (
        "海曙第1服饰",
        "apparel",
        "人工盘点在制品",
        "chief",
    )
    changed = b.client.put(
        f"{API}/survey/{need['id']}", json=need_body(pilot, stage="operations", need_title="报工")
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["stage"], changed.json()["scenario_code"]) == ("operations", "")
    assert b.client.get(f"{API}/survey/{need['id']}").json()["need_title"] == "报工"
    assert b.client.delete(f"{API}/survey/{need['id']}").status_code == 204
    assert b.client.get(f"{API}/survey/{need['id']}").status_code == 404
    assert audit_actions(factory, b.org, "need", need["id"]) == [
        "programme.need.recorded",
        "programme.need.updated",
        "programme.need.deleted",
    ]


def test_every_bad_field_is_named(factory: Factory) -> None:
    b = bureau(factory)
    bad = {
        "enterprise_id": 999,
        "stage": "marketing",
        "problem": " ",
        "need_key": "Bundle Scan",
        "need_title": "x" * 201,
        "scenario_code": "N99",
    }
    refused = b.client.post(f"{API}/survey", json=bad)
    assert refused.status_code == 422
    details = refused.json()["error"]["details"]
    assert [d["field"] for d in details] == [
        "enterprise_id",
        "stage",
        "problem",
        "need_title",
        "need_key",
        "scenario_code",
    ]
    messages = {d["field"]: d["message"] for d in details}
    assert messages["stage"] == (
        "stage: one of the plan's stages: "
        "rd_design, manufacturing, operations, purchasing_sales, chain_collaboration"
    )
    assert messages["need_title"] == "need_title: at most 200 characters"
    assert messages["scenario_code"] == "scenario_code: no scenario has the code N99"
    # a missing field is named by FastAPI's validation, not a 500
    missing = b.client.post(f"{API}/survey", json={"stage": "manufacturing"})
    assert missing.status_code == 422
    assert b.client.get(f"{API}/survey").json()["total"] == 0


def test_a_pilot_reports_a_need_once(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    first = record(b.client, pilot)
    again = b.client.post(f"{API}/survey", json=need_body(pilot, stage="operations"))
    assert again.status_code == 409
    assert again.json()["error"]["message"] == (
        "need_key: this enterprise already reported the need bundle-scan"
    )
    # editing the need itself keeps its key
    kept = b.client.put(f"{API}/survey/{first['id']}", json=need_body(pilot, problem="换个说法"))
    assert kept.status_code == 200, kept.text


def test_the_scenario_must_be_of_the_needs_sector(factory: Factory) -> None:
    b = bureau(factory)
    pilot = enterprise(factory, b.org, 1)
    add_scenario(b.client, "E01", sector="nev_parts")
    refused = b.client.post(f"{API}/survey", json=need_body(pilot, scenario_code="E01"))
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [
        {
            "field": "scenario_code",
            "message": "scenario_code: the scenario belongs to the sector nev_parts",
        }
    ]


def test_a_need_takes_the_sector_the_enterprise_is_a_pilot_of(factory: Factory) -> None:
    b = bureau(factory)
    # registered as apparel, selected as a pilot of NEV parts: it is surveyed as NEV parts
    mixed = enterprise(factory, b.org, 1, sector="apparel", status=None)
    with service_session(factory, b.org) as (session, _scope):
        session.add(
            PilotApplication(
                org_id=b.org.id, enterprise_id=mixed, sector="nev_parts", status="selected"
            )
        )
    candidate = enterprise(factory, b.org, 2, status="submitted")
    assert record(b.client, mixed)["sector"] == "nev_parts"
    assert record(b.client, candidate)["sector"] == "apparel"


def test_the_survey_is_searched_filtered_and_paged(factory: Factory) -> None:
    b = bureau(factory)
    first, second = enterprise(factory, b.org, 1), enterprise(factory, b.org, 2)
    record(b.client, first, "bundle-scan")
    record(b.client, first, "cad-nesting", stage="rd_design", problem="排料靠老师傅经验")
    record(b.client, second, "bundle-scan")
    listed = b.client.get(f"{API}/survey", params={"limit": 2}).json()
    # sorted by enterprise name, then stage id: 第1 manufacturing, 第1 rd_design, 第2
    assert [(n["enterprise"], n["need_key"]) for n in listed["items"]] == [
        ("海曙第1服饰", "bundle-scan"),
        ("海曙第1服饰", "cad-nesting"),
    ]
    assert (listed["total"], listed["next_offset"]) == (3, 2)
    assert b.client.get(f"{API}/survey", params={"q": "老师傅"}).json()["total"] == 1
    assert b.client.get(f"{API}/survey", params={"q": "第2服饰"}).json()["total"] == 1
    assert b.client.get(f"{API}/survey", params={"stage": "rd_design"}).json()["total"] == 1
    assert b.client.get(f"{API}/survey", params={"sector": "nev_parts"}).json()["total"] == 0
