"""The three lists: versions 1 then 2, snapshots that never change, and the diff between."""

from __future__ import annotations

import io

import openpyxl

from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.needs import (
    API,
    PAGES,
    add_scenario,
    audit_actions,
    bureau,
    enterprise,
    record,
    zh,
)


def _sheet(content: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@both_backends
def test_publish_version_one_then_two_and_the_diff(factory: Factory) -> None:
    b = bureau(factory)
    p1, p2, p3, p4 = (enterprise(factory, b.org, n) for n in range(1, 5))
    add_scenario(b.client, "N01", scenes={"S05": 2})
    record(b.client, p1)
    dropped = record(b.client, p2)
    record(b.client, p3, "cad-nesting", need_title="智能排料")
    first = b.client.post(f"{API}/lists", json={"sector": "apparel"})
    assert first.status_code == 201, first.text
    v1 = {row["kind"]: row for row in first.json()}
    assert {kind: row["version"] for kind, row in v1.items()} == {
        "problems": 1,
        "needs": 1,
        "scenarios": 1,
    }
    # bundle-scan: pilots 1, 2 of 4 = 1/2, N; cad-nesting: pilot 3 = 1/4, X
    assert [(n["key"], n["kind"], n["share"]) for n in v1["needs"]["items"]] == [
        ("bundle-scan", "N", "0.5000"),
        ("cad-nesting", "X", "0.2500"),
    ]

    # between the versions: pilot 2 drops bundle-scan, pilot 4 reports cad-nesting, a scenario
    assert b.client.delete(f"{API}/survey/{dropped['id']}").status_code == 204
    record(b.client, p4, "cad-nesting", need_title="智能排料")
    add_scenario(b.client, "N02", title="智能排料", scenes={"S02": 2})
    second = b.client.post(f"{API}/lists", json={"sector": "apparel"})
    assert second.status_code == 201, second.text
    v2 = {row["kind"]: row for row in second.json()}
    assert {row["version"] for row in v2.values()} == {2}

    needs = b.client.get(f"{API}/lists/{v2['needs']['id']}/diff").json()
    assert (needs["from_version"], needs["to_version"]) == (1, 2)
    assert (needs["added"], needs["removed"], needs["unchanged"]) == ([], [], 0)
    # both needs swap sides: bundle-scan 2/4 -> 1/4 (X), cad-nesting 1/4 -> 2/4 (N)
    assert needs["changed"] == [
        {
            "key": "cad-nesting",
            "fields": {
                "enterprises": [["海曙第3服饰"], ["海曙第3服饰", "海曙第4服饰"]],
                "kind": ["X", "N"],
                "pilots": [1, 2],
                "share": ["0.2500", "0.5000"],
            },
        },
        {
            "key": "bundle-scan",
            "fields": {
                "enterprises": [["海曙第1服饰", "海曙第2服饰"], ["海曙第1服饰"]],
                "kind": ["N", "X"],
                "pilots": [2, 1],
                "share": ["0.5000", "0.2500"],
            },
        },
    ]
    problems = b.client.get(f"{API}/lists/{v2['problems']['id']}/diff").json()
    assert [p["key"] for p in problems["added"]] == [f"{p4}:cad-nesting"]
    assert [p["key"] for p in problems["removed"]] == [f"{p2}:bundle-scan"]
    assert (problems["changed"], problems["unchanged"]) == ([], 2)
    scenes = b.client.get(f"{API}/lists/{v2['scenarios']['id']}/diff").json()
    assert [s["code"] for s in scenes["added"]] == ["N02"]
    assert scenes["unchanged"] == 1

    # version 1 is a snapshot: the later edits did not touch it
    kept = b.client.get(f"{API}/lists/{v1['needs']['id']}").json()
    assert [(n["key"], n["kind"]) for n in kept["items"]] == [
        ("bundle-scan", "N"),
        ("cad-nesting", "X"),
    ]
    listed = b.client.get(f"{API}/lists", params={"sector": "apparel"}).json()
    assert [(v["kind"], v["version"]) for v in listed["items"]] == [
        ("scenarios", 2),
        ("needs", 2),
        ("problems", 2),
        ("scenarios", 1),
        ("needs", 1),
        ("problems", 1),
    ]
    assert audit_actions(factory, b.org, "list", v2["needs"]["id"]) == ["programme.list.published"]


def test_a_first_version_and_mismatched_versions(factory: Factory) -> None:
    b = bureau(factory)
    record(b.client, enterprise(factory, b.org, 1))
    made = {
        r["kind"]: r["id"] for r in b.client.post(f"{API}/lists", json={"sector": "apparel"}).json()
    }
    first = b.client.get(f"{API}/lists/{made['needs']}/diff").json()
    assert (first["from_version"], [n["key"] for n in first["added"]]) == (None, ["bundle-scan"])
    refused = b.client.get(
        f"{API}/lists/{made['needs']}/diff", params={"against": made["problems"]}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "against"
    assert (
        b.client.get(f"{API}/lists/{made['needs']}/diff", params={"against": 999}).status_code
        == 404
    )


def test_nothing_to_publish_is_refused(factory: Factory) -> None:
    b = bureau(factory)
    refused = b.client.post(f"{API}/lists", json={"sector": "apparel"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "sector"
    assert b.client.post(f"{API}/lists", json={"sector": "textiles"}).status_code == 422
    assert b.client.get(f"{API}/lists").json()["total"] == 0


def test_each_list_downloads_as_excel_in_the_pages_language(factory: Factory) -> None:
    b = bureau(factory)
    p1, p2 = enterprise(factory, b.org, 1), enterprise(factory, b.org, 2)
    add_scenario(b.client, "N01", scenes={"S06": 1, "S05": 2})
    record(b.client, p1, scenario_code="N01")
    record(b.client, p2, "cad-nesting", stage="rd_design", need_title="智能排料")
    made = {
        r["kind"]: r["id"] for r in b.client.post(f"{API}/lists", json={"sector": "apparel"}).json()
    }
    needs = _sheet(b.client.get(f"{PAGES}/versions/{made['needs']}/export.xlsx").content)
    assert needs[0][:3] == [zh("Need key"), zh("Need"), zh("N or X")]
    # two pilots: each need is 1/2 = the threshold, so both are N at 50.0%
    assert needs[1:] == [
        ["bundle-scan", "扎包扫码报工", "N", 1, 2, 50.0, zh("Manufacturing"), "N01", "海曙第1服饰"],
        ["cad-nesting", "智能排料", "N", 1, 2, 50.0, zh("R&D and design"), None, "海曙第2服饰"],
    ]
    problems = _sheet(b.client.get(f"{PAGES}/versions/{made['problems']}/export.xlsx").content)
    assert [row[0] for row in problems[1:]] == ["研发设计", "生产制造"]
    b.client.cookies.set(LOCALE_COOKIE, "en")
    scenarios = b.client.get(
        f"{PAGES}/export.xlsx", params={"sector": "apparel", "kind": "scenarios"}
    )
    assert scenarios.headers["content-disposition"] == (
        'attachment; filename="apparel-scenarios-current.xlsx"'
    )
    rows = _sheet(scenarios.content)
    assert rows[0][:4] == ["Code", "Scenario", "Stage", "National scenes and levels"]
    assert rows[1][:4] == ["N01", "生产进度透明", "Manufacturing", "S05 L2；S06 L1"]
