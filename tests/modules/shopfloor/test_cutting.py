"""Lays and bundles over the API: hand-made and suggested lays, cutting, numbering, matrix."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from tests.modules.shopfloor.conftest import SHOPFLOOR, seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import add_lay, bad_fields, create_order, cut


def test_lays_are_numbered_per_order_and_checked(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)  # colours 白 and 蓝
    first = add_lay(admin, order["id"], "白", 30, {"S": 1, "M": 2, "XL": 0})
    second = add_lay(admin, order["id"], "蓝", 40, {"M": 1})
    assert (first["lay_no"], second["lay_no"]) == (1, 2)
    assert first["ratios"] == {"S": 1, "M": 2}  # a zero is no garment in the marker
    bad = {"colour": "红", "plies": 0, "ratios": {"XXL": 1, "S": -1}}
    refused = admin.post(f"{SHOPFLOOR}/orders/{order['id']}/lays", json=bad)
    assert bad_fields(refused) == {"colour", "plies", "ratios.XXL", "ratios.S"}
    empty = {"colour": "白", "plies": 10, "ratios": {"S": 0}}
    assert bad_fields(admin.post(f"{SHOPFLOOR}/orders/{order['id']}/lays", json=empty)) == {
        "ratios"
    }


def test_a_planned_lay_can_be_edited_and_deleted_but_a_cut_one_cannot(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    lay = add_lay(admin, order["id"], "白", 30, {"S": 1})
    body = {"colour": "白", "plies": 25, "ratios": {"M": 2}}
    edited = admin.put(f"{SHOPFLOOR}/lays/{lay['id']}", json=body)
    assert edited.status_code == 200
    assert (edited.json()["plies"], edited.json()["ratios"]) == (25, {"M": 2})
    cut(admin, lay["id"])
    assert admin.put(f"{SHOPFLOOR}/lays/{lay['id']}", json=body).status_code == 409
    assert admin.delete(f"{SHOPFLOOR}/lays/{lay['id']}").status_code == 409
    other = add_lay(admin, order["id"], "蓝", 5, {"M": 1})
    assert admin.delete(f"{SHOPFLOOR}/lays/{other['id']}").status_code == 204
    assert [x["lay_no"] for x in admin.get(f"{SHOPFLOOR}/orders/{order['id']}/lays").json()] == [1]


def test_cutting_makes_bundles_per_size_and_ply_range(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    lay = add_lay(admin, order["id"], "白", 50, {"S": 1, "M": 2})
    bundles = cut(admin, lay["id"], bundle_size=20)
    # S: plies 1–20, 21–40, 41–50; M twice the same: 9 bundles numbered 1..9
    assert [(b["size"], b["ply_from"], b["ply_to"], b["qty"]) for b in bundles[:3]] == [
        ("S", 1, 20, 20),
        ("S", 21, 40, 20),
        ("S", 41, 50, 10),
    ]
    assert [b["number"] for b in bundles] == list(range(1, 10))
    assert sum(b["qty"] for b in bundles) == 150  # 50 plies × 3 garments
    assert {b["colour"] for b in bundles} == {"白"}
    again = admin.post(f"{SHOPFLOOR}/lays/{lay['id']}/cut", json={"bundle_size": 20})
    assert again.status_code == 409
    assert admin.get(f"{SHOPFLOOR}/lays/{lay['id']}").json()["status"] == "cut"
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}").json()["status"] == "cutting"
    listed = admin.get(f"{SHOPFLOOR}/bundles", params={"order_id": order["id"]}).json()
    assert listed["total"] == 9


def test_bundle_numbers_count_up_per_enterprise(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    style_a = seed_style_with_routing(pair.client_a)["style"]["id"]
    style_b = seed_style_with_routing(pair.client_b)["style"]["id"]
    first = create_order(pair.client_a, style_a, "A-1")
    second = create_order(pair.client_a, style_a, "A-2")
    numbers = [
        b["number"]
        for b in cut(
            pair.client_a, add_lay(pair.client_a, first["id"], "白", 10, {"S": 1})["id"], 5
        )
    ]
    assert numbers == [1, 2]  # 10 plies in bundles of 5
    # another order of the same factory continues the count
    later = cut(pair.client_a, add_lay(pair.client_a, second["id"], "蓝", 3, {"M": 1})["id"], 5)
    assert [b["number"] for b in later] == [3]
    # another factory starts at 1
    order_b = create_order(pair.client_b, style_b, "B-1")
    own = cut(pair.client_b, add_lay(pair.client_b, order_b["id"], "白", 4, {"L": 1})["id"], 5)
    assert [b["number"] for b in own] == [1]


def test_bundle_size_is_checked(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    lay = add_lay(admin, order["id"], "白", 10, {"S": 1})
    refused = admin.post(f"{SHOPFLOOR}/lays/{lay['id']}/cut", json={"bundle_size": 0})
    assert bad_fields(refused) == {"bundle_size"}
    assert admin.get(f"{SHOPFLOOR}/lays/{lay['id']}").json()["status"] == "planned"


def test_the_plan_is_suggested_then_applied_around_cut_lays(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    # 白 S 50 M 120 L 80, 蓝 M 40 (see test_cutting_engine for the 白 steps by hand)
    order = create_order(admin, style_id)
    limits = {"max_plies": 60, "max_marker": 4}
    preview = admin.post(f"{SHOPFLOOR}/orders/{order['id']}/plan", json=limits).json()
    assert [(p["colour"], p["plies"], p["ratios"]) for p in preview] == [
        ("白", 50, {"S": 1, "M": 2, "L": 1}),
        ("白", 20, {"M": 1, "L": 1}),
        ("白", 10, {"L": 1}),
        ("蓝", 40, {"M": 1}),
    ]
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}/lays").json() == []  # preview only
    applied = admin.put(f"{SHOPFLOOR}/orders/{order['id']}/plan", json=limits).json()
    assert [x["lay_no"] for x in applied] == [1, 2, 3, 4]
    cut(admin, applied[0]["id"])
    # re-planning keeps the cut lay 1 and replaces the rest with what is still missing:
    # 白 M 20 L 30 → 20 plies M1 L1, then 10 plies L1; 蓝 M 40. Numbers after the cut lay
    # are given again: only cut lays are printed on tickets, and those are never deleted
    replanned = admin.put(f"{SHOPFLOOR}/orders/{order['id']}/plan", json=limits).json()
    assert [(x["lay_no"], x["status"], x["plies"]) for x in replanned] == [
        (1, "cut", 50),
        (2, "planned", 20),
        (3, "planned", 10),
        (4, "planned", 40),
    ]
    bad = admin.post(
        f"{SHOPFLOOR}/orders/{order['id']}/plan",
        json={"max_plies": 0, "max_marker": 99, "min_plies": 5},
    )
    assert bad_fields(bad) == {"max_plies", "max_marker", "min_plies"}


def test_the_matrix_shows_cut_against_ordered(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    cut(admin, add_lay(admin, order["id"], "白", 30, {"S": 2, "M": 1})["id"])
    add_lay(admin, order["id"], "蓝", 40, {"M": 1})
    cells = admin.get(f"{SHOPFLOOR}/orders/{order['id']}/matrix").json()["cells"]
    # 30 plies × S2 = 60 cut of 50 ordered (overcut 10); M 30 of 120; 蓝 M planned 40, cut 0
    assert cells["白"]["S"] == {"ordered": 50, "planned": 60, "cut": 60}
    assert cells["白"]["M"] == {"ordered": 120, "planned": 30, "cut": 30}
    assert cells["蓝"]["M"] == {"ordered": 40, "planned": 40, "cut": 0}
    assert cells["蓝"]["XL"] == {"ordered": 0, "planned": 0, "cut": 0}
