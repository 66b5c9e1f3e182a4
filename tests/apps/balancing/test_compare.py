"""Two or three plans side by side."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.apps.balancing.helpers import API, Shop, bad_fields, create_plan, station_of


def test_plans_side_by_side(admin: TestClient, shop: Shop) -> None:
    solved = create_plan(admin, shop, line=False, name="Solved")
    variant = admin.post(f"{API}/plans/{solved['id']}/copy", json={"name": "Variant"}).json()
    where_b = station_of(variant, shop.ops["B"])
    move = {"op": "move", "station": where_b, "task_id": shop.ops["B"], "to_station": 1}
    admin.post(f"{API}/plans/{variant['id']}/edits", json=move)
    response = admin.get(f"{API}/plans/compare", params={"ids": [variant["id"], solved["id"]]})
    assert response.status_code == 200, response.text
    plans = response.json()["plans"]
    assert [p["name"] for p in plans] == ["Variant", "Solved"]  # the order asked for
    # the variant carries A + B on station 1: 9000 e4, 66.7 an hour; the solver's plan 100
    assert [p["figures"]["bottleneck_e4"] for p in plans] == [9000, 6000]
    assert [round(p["figures"]["output_per_hour"], 1) for p in plans] == [66.7, 100.0]
    assert [len(p["stations"]) for p in plans] == [4, 4]
    assert plans[0]["valid"] is False
    assert plans[1]["valid"] is True


def test_two_or_three_distinct_plans(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    url = f"{API}/plans/compare"
    assert bad_fields(admin.get(url, params={"ids": [plan["id"]]})) == {"ids"}
    assert bad_fields(admin.get(url, params={"ids": [plan["id"], plan["id"]]})) == {"ids"}
    assert admin.get(url, params={"ids": [1, 2, 3, 4]}).status_code == 422
    assert admin.get(url, params={"ids": [plan["id"], 999_999]}).status_code == 404
