"""Production orders over the API: validation, numbers, search, deletion and progress."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert

from loom.kernel.db.base import Base
from loom.modules.shopfloor.models import OpCount
from loom.testing.factory import OrgRef
from tests.modules.shopfloor.conftest import MASTERDATA, SHOPFLOOR, seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import (
    add_lay,
    bad_fields,
    create_order,
    cut,
    order_body,
)


def test_an_order_is_created_with_its_total(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id, quantities={"白": {"S": 50, "M": 0}, "蓝": {"XL": 7}})
    # 50 + 7; the empty cell is not stored
    assert order["total_qty"] == 57
    assert order["quantities"] == {"白": {"S": 50}, "蓝": {"XL": 7}}
    assert order["status"] == "open"
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}").json()["number"] == "PO-001"


def test_every_bad_field_is_named(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    body = order_body(
        style_id,
        number=" ",
        customer="x" * 201,
        status="shipped",
        quantities={"白": {"S": 5, "XXL": 1, "M": -1}, "红": {"S": 1}},
    )
    assert bad_fields(admin.post(f"{SHOPFLOOR}/orders", json=body)) == {
        "number",
        "customer",
        "status",
        "quantities.白.XXL",
        "quantities.白.M",
        "quantities.红",
    }


def test_a_size_outside_the_matrix_is_named_by_colour_and_size(admin: TestClient) -> None:
    style = seed_style_with_routing(admin)["style"]
    # the style has XL, not XXL; a second style without XL shows 蓝.XL refused
    narrow = admin.post(
        f"{MASTERDATA}/styles",
        json={"code": "NARROW", "name": "窄码", "colours": ["蓝"], "sizes": ["S", "M"]},
    ).json()
    refused = admin.post(
        f"{SHOPFLOOR}/orders", json=order_body(narrow["id"], quantities={"蓝": {"XL": 3}})
    )
    assert bad_fields(refused) == {"quantities.蓝.XL"}
    detail = refused.json()["error"]["details"][0]["message"]
    assert detail == "quantities.蓝.XL: XL is not a size of this style"
    assert create_order(admin, style["id"], quantities={"蓝": {"XL": 3}})["total_qty"] == 3


def test_an_order_needs_pieces_and_a_style_and_line_of_the_enterprise(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    empty = admin.post(f"{SHOPFLOOR}/orders", json=order_body(style_id, quantities={"白": {}}))
    assert bad_fields(empty) == {"quantities"}
    missing = order_body(999, line_id=999)
    assert bad_fields(admin.post(f"{SHOPFLOOR}/orders", json=missing)) == {"style_id", "line_id"}
    line = admin.post(f"{MASTERDATA}/lines", json={"code": "L1", "name": "一线"})
    assert line.status_code == 201, line.text
    placed = create_order(admin, style_id, line_id=line.json()["id"])
    assert placed["line_id"] == line.json()["id"]


def test_malformed_bodies_answer_422_not_500(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    for body in (
        order_body(style_id, due_date="31/12/2026"),
        order_body(style_id, quantities={"白": {"S": "many"}}),
        order_body(style_id, quantities={"白": {"S": 10**12}}),
        order_body(2**40),
    ):
        assert admin.post(f"{SHOPFLOOR}/orders", json=body).status_code == 422
    assert admin.get(f"{SHOPFLOOR}/orders/99999999999").status_code == 422


def test_numbers_are_unique_per_enterprise(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    create_order(admin, style_id, "PO-1")
    taken = admin.post(f"{SHOPFLOOR}/orders", json=order_body(style_id, "PO-1"))
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "conflict"
    assert "PO-1" in taken.json()["error"]["message"]
    other = create_order(admin, style_id, "PO-2")
    renamed = admin.put(f"{SHOPFLOOR}/orders/{other['id']}", json=order_body(style_id, "PO-1"))
    assert renamed.status_code == 409


def test_search_filter_and_pages(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    for n in range(5):
        create_order(
            admin,
            style_id,
            f"PO-{n}",
            customer="Acme" if n % 2 else "Zeta",
            due_date=f"2026-12-0{n + 1}",
        )
    first = admin.get(f"{SHOPFLOOR}/orders", params={"limit": 2}).json()
    assert [o["number"] for o in first["items"]] == ["PO-0", "PO-1"]  # by due date
    assert (first["total"], first["next_offset"]) == (5, 2)
    acme = admin.get(f"{SHOPFLOOR}/orders", params={"q": "acme"}).json()
    assert [o["number"] for o in acme["items"]] == ["PO-1", "PO-3"]
    assert admin.get(f"{SHOPFLOOR}/orders", params={"status": "done"}).json()["total"] == 0
    assert admin.get(f"{SHOPFLOOR}/orders", params={"status": "bogus"}).status_code == 422


def test_delete_is_refused_once_bundles_exist(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    planned = create_order(admin, style_id, "PO-PLANNED")
    add_lay(admin, planned["id"], "白", 10, {"S": 1})
    assert admin.delete(f"{SHOPFLOOR}/orders/{planned['id']}").status_code == 204
    assert admin.get(f"{SHOPFLOOR}/orders/{planned['id']}").status_code == 404

    order = create_order(admin, style_id, "PO-CUT")
    cut(admin, add_lay(admin, order["id"], "白", 10, {"S": 1})["id"])
    refused = admin.delete(f"{SHOPFLOOR}/orders/{order['id']}")
    assert refused.status_code == 409
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}").status_code == 200


def test_the_style_is_fixed_once_lays_are_planned(admin: TestClient) -> None:
    first = seed_style_with_routing(admin, "ST-A")["style"]["id"]
    second = seed_style_with_routing(admin, "ST-B")["style"]["id"]
    order = create_order(admin, first)
    assert (
        admin.put(f"{SHOPFLOOR}/orders/{order['id']}", json=order_body(second)).status_code == 200
    )
    add_lay(admin, order["id"], "白", 10, {"S": 1})
    moved = admin.put(f"{SHOPFLOOR}/orders/{order['id']}", json=order_body(first))
    assert moved.status_code == 409


def _op_count(app: FastAPI, org: OrgRef, order_id: int, op_id: int, line: int, qty: int) -> None:
    table = Base.metadata.tables[OpCount.__tablename__]
    with app.state.loom.engine.begin() as conn:
        conn.execute(
            insert(table).values(
                org_id=org.id,
                order_id=order_id,
                operation_id=op_id,
                line_id=line,
                done_qty=qty,
                rework_qty=0,
                defect_qty=0,
            )
        )


def _board(client: TestClient) -> dict[str, Any]:
    return {o["number"]: o for o in client.get(f"{SHOPFLOOR}/orders").json()["items"]}


def test_progress_counts_the_final_operation_only(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    seed = seed_style_with_routing(admin)
    first_op, _middle, last_op = (op["id"] for op in seed["operations"])
    order = create_order(admin, seed["style"]["id"])  # 290 pieces
    _op_count(loom_app, factory_org, order["id"], first_op, 0, 290)  # not finished garments
    _op_count(loom_app, factory_org, order["id"], last_op, 0, 100)
    _op_count(loom_app, factory_org, order["id"], last_op, 7, 45)  # another line counts too
    row = _board(admin)["PO-001"]
    # finished = 100 + 45 at the last routing step; 145 / 290 = 0.5
    assert row["finished_qty"] == 145
    assert row["progress"] == 0.5
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}").json()["finished_qty"] == 145


def test_late_orders_are_flagged(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    past = (date.today() - timedelta(days=1)).isoformat()
    create_order(admin, style_id, "PO-LATE", due_date=past)
    create_order(admin, style_id, "PO-DONE", due_date=past, status="done")
    create_order(
        admin, style_id, "PO-SOON", due_date=(date.today() + timedelta(days=3)).isoformat()
    )
    board = _board(admin)
    assert (board["PO-LATE"]["late"], board["PO-DONE"]["late"], board["PO-SOON"]["late"]) == (
        True,
        False,
        False,
    )
