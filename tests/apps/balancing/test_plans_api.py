"""Solving, listing, renaming, copying and deleting plans through the API.

Expected figures come from the hand calculation in ``helpers.py``.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.testing.plugin import both_backends
from tests.apps.balancing.helpers import API, MD, Shop, bad_fields, create_plan, plan_body


def _letters(plan: dict[str, object], shop: Shop) -> list[list[str]]:
    by_id = {v: k for k, v in shop.ops.items()}
    return [[by_id[t["id"]] for t in s["tasks"]] for s in plan["stations"]]  # type: ignore[index,union-attr]


def test_a_target_output_gives_the_fewest_operators(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop, line=False)
    # 60 min / 100 pieces = 0.6 min = 6000 e4
    assert plan["cycle_time_e4"] == 6000
    figures = plan["figures"]
    assert figures["operators"] == 4
    assert figures["total_sam_e4"] == 18_000
    assert figures["bottleneck_e4"] == 6000
    assert abs(figures["balance_efficiency"] - 0.75) < 1e-9  # 1.80 / (4 × 0.60)
    assert abs(figures["output_per_hour"] - 100.0) < 1e-9  # 60 / 0.60
    assert plan["valid"] is True
    assert plan["violation_list"] == []
    assert plan["solver"]["optimal"] is True
    assert plan["solver"]["lower_bound"] == 4
    # one operation per station; A first and D last (B and C may come in either order)
    stations = _letters(plan, shop)
    assert sorted(s[0] for s in stations) == ["A", "B", "C", "D"]
    assert stations[0] == ["A"]
    assert stations[-1] == ["D"]
    # only D's station is the bottleneck; A idles 0.60 − 0.40 = 0.20 min
    assert [s["bottleneck"] for s in plan["stations"]] == [False, False, False, True]
    assert plan["stations"][0]["load_e4"] == 4000
    assert plan["stations"][0]["idle_e4"] == 2000
    assert all(s["worker_id"] is None for s in plan["stations"])


def test_on_a_line_the_skills_decide_who_sews_what(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    assert plan["figures"]["operators"] == 4
    assert plan["valid"] is True
    by_op = {t["id"]: s["worker_code"] for s in plan["stations"] for t in s["tasks"]}
    # D needs lockstitch grade 3: only E1; C needs overlock: only E3
    assert by_op[shop.ops["D"]] == "E1"
    assert by_op[shop.ops["C"]] == "E3"
    assert {by_op[shop.ops["A"]], by_op[shop.ops["B"]]} == {"E2", "E4"}
    assert plan["line_id"] == shop.line_id


def test_a_number_of_operators_gives_the_shortest_bottleneck(admin: TestClient, shop: Shop) -> None:
    body = plan_body(shop, line=False, mode="operators", target_per_hour=None, operators=4)
    created = admin.post(f"{API}/plans", json=body)
    assert created.status_code == 201, created.text
    plan = created.json()
    # four operators: each operation alone; D (0.60 min) cannot be shared with fewer stations
    assert plan["figures"]["operators"] == 4
    assert plan["figures"]["bottleneck_e4"] == 6000
    assert plan["cycle_time_e4"] is None
    assert plan["operators"] == 4


def test_an_impossible_request_is_refused_naming_the_field(admin: TestClient, shop: Shop) -> None:
    # two operators: one must sew overlock (C), the other A, B and D; C needs A before it and
    # D needs C before it, so no line order keeps the precedence
    body = plan_body(shop, line=False, mode="operators", target_per_hour=None, operators=2)
    assert bad_fields(admin.post(f"{API}/plans", json=body)) == {"operators"}
    assert admin.get(f"{API}/plans").json()["total"] == 0


def test_bad_requests_name_every_field(admin: TestClient, shop: Shop) -> None:
    assert bad_fields(
        admin.post(f"{API}/plans", json=plan_body(shop, name=" ", target_per_hour=0))
    ) == {"name", "target_per_hour"}
    assert bad_fields(admin.post(f"{API}/plans", json=plan_body(shop, mode="fast"))) == {"mode"}
    assert bad_fields(
        admin.post(f"{API}/plans", json=plan_body(shop, style_id=999_999, line_id=999_999))
    ) == {"style_id", "line_id"}
    # more operators than the line has (four)
    body = plan_body(shop, mode="operators", target_per_hour=None, operators=5)
    assert bad_fields(admin.post(f"{API}/plans", json=body)) == {"operators"}
    # a style without routing
    bare = admin.post(
        f"{MD}/styles", json={"code": "BARE", "name": "空", "colours": [], "sizes": []}
    )
    body = plan_body(shop, style_id=bare.json()["id"])
    assert bad_fields(admin.post(f"{API}/plans", json=body)) == {"style_id"}
    # not a number at all: the request validation names it too
    assert bad_fields(admin.post(f"{API}/plans", json=plan_body(shop, style_id="x"))) == {
        "style_id"
    }


@both_backends
def test_list_search_rename_copy_and_delete(admin: TestClient, shop: Shop) -> None:
    first = create_plan(admin, shop, name="Morning")
    second = create_plan(admin, shop, name="Evening", line=False)
    listed = admin.get(f"{API}/plans").json()
    assert [p["id"] for p in listed["items"]] == [second["id"], first["id"]]  # newest first
    assert listed["items"][0]["figures"]["operators"] == 4
    assert [p["name"] for p in admin.get(f"{API}/plans?q=morn").json()["items"]] == ["Morning"]
    # the style's code finds both
    assert admin.get(f"{API}/plans?q=T-01").json()["total"] == 2
    assert admin.get(f"{API}/plans?limit=1").json()["next_offset"] == 1

    renamed = admin.patch(f"{API}/plans/{first['id']}", json={"name": "Day shift"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Day shift"
    assert bad_fields(admin.patch(f"{API}/plans/{first['id']}", json={"name": ""})) == {"name"}

    copied = admin.post(f"{API}/plans/{first['id']}/copy", json={"name": "Variant"})
    assert copied.status_code == 201
    assert copied.json()["assignment"] == first["assignment"]
    assert copied.json()["id"] not in (first["id"], second["id"])

    assert admin.delete(f"{API}/plans/{first['id']}").status_code == 204
    assert admin.get(f"{API}/plans/{first['id']}").status_code == 404
    assert admin.get(f"{API}/plans").json()["total"] == 2
    assert admin.get(f"{API}/plans/0").status_code == 422
    assert admin.get(f"{API}/plans/2147483647").status_code == 404


def test_deleting_the_style_takes_its_plans_along(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    assert admin.delete(f"{MD}/styles/{shop.style_id}").status_code == 204
    assert admin.get(f"{API}/plans/{plan['id']}").status_code == 404


def test_a_line_that_plans_name_cannot_be_deleted(admin: TestClient, shop: Shop) -> None:
    create_plan(admin, shop)
    for operator_id in shop.operators.values():
        assert admin.delete(f"{MD}/operators/{operator_id}").status_code == 204
    refused = admin.delete(f"{MD}/lines/{shop.line_id}")
    assert refused.status_code == 409
