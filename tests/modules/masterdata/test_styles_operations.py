"""Styles and operations over the API: create, read, replace, search, page, delete."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import (
    API,
    bad_fields,
    create_op,
    create_style,
    op_body,
    style_body,
)


def test_a_style_round_trips_with_its_matrix(admin: TestClient) -> None:
    style = create_style(admin, code=" ST-9 ", colours=[" 白 ", "黑"], sizes=["M"])
    assert style["code"] == "ST-9"  # surrounding blanks are dropped
    assert style["colours"] == ["白", "黑"]
    assert style["sizes"] == ["M"]
    read = admin.get(f"{API}/styles/{style['id']}").json()
    assert read == style

    replaced = admin.put(
        f"{API}/styles/{style['id']}", json=style_body("ST-9", name="女装连衣裙", sizes=["XS"])
    )
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "女装连衣裙"
    assert replaced.json()["sizes"] == ["XS"]

    assert admin.delete(f"{API}/styles/{style['id']}").status_code == 204
    assert admin.get(f"{API}/styles/{style['id']}").status_code == 404


def test_style_validation_names_every_bad_field(admin: TestClient) -> None:
    body = style_body(code=" ", name="", colours=["红", "", "红"], sizes=["M", "M"])
    assert bad_fields(admin.post(f"{API}/styles", json=body)) == {
        "code",
        "name",
        "colours[1]",
        "colours[2]",
        "sizes[1]",
    }
    assert admin.get(f"{API}/styles").json()["total"] == 0


def test_a_style_code_is_unique_per_enterprise(admin: TestClient) -> None:
    first = create_style(admin, "ST-1")
    taken = admin.post(f"{API}/styles", json=style_body("ST-1"))
    assert taken.status_code == 409
    assert taken.json()["error"]["details"][0]["field"] == "code"
    other = create_style(admin, "ST-2")
    clash = admin.put(f"{API}/styles/{other['id']}", json=style_body("ST-1"))
    assert clash.status_code == 409
    # keeping its own code is no clash
    assert admin.put(f"{API}/styles/{first['id']}", json=style_body("ST-1")).status_code == 200


def test_styles_are_searched_and_paged_by_code(admin: TestClient) -> None:
    for n in range(5):
        create_style(admin, f"ST-{n}", customer="Blue Fox" if n % 2 else "Red Owl")
    page = admin.get(f"{API}/styles", params={"limit": 2, "offset": 2}).json()
    assert [s["code"] for s in page["items"]] == ["ST-2", "ST-3"]
    assert page["total"] == 5
    assert page["next_offset"] == 4
    found = admin.get(f"{API}/styles", params={"q": "fox"}).json()
    # n = 1 and 3 are Blue Fox's
    assert [s["code"] for s in found["items"]] == ["ST-1", "ST-3"]
    assert admin.get(f"{API}/styles", params={"q": "nothing"}).json()["items"] == []


def test_an_operation_round_trips(admin: TestClient) -> None:
    op = create_op(admin, sam="0.7500", machine_type="overlock", skill_grade=2)
    assert op["sam"] == "0.7500"
    assert op["machine_type"] == "overlock"
    assert admin.get(f"{API}/operations/{op['id']}").json() == op
    changed = admin.put(f"{API}/operations/{op['id']}", json=op_body(sam="0.8", skill_grade=4))
    assert changed.status_code == 200
    assert changed.json()["skill_grade"] == 4
    assert changed.json()["sam"] == "0.8000"
    assert admin.delete(f"{API}/operations/{op['id']}").status_code == 204
    assert admin.get(f"{API}/operations/{op['id']}").status_code == 404


def test_operation_validation_names_every_bad_field(admin: TestClient) -> None:
    body = op_body(code="", name=" ", sam="0", machine_type="laser", skill_grade=6)
    assert bad_fields(admin.post(f"{API}/operations", json=body)) == {
        "code",
        "name",
        "sam",
        "machine_type",
        "skill_grade",
    }
    assert bad_fields(admin.post(f"{API}/operations", json=op_body(sam="1.23456"))) == {"sam"}
    # a body of the wrong shape is refused by field too, never a 500
    assert "sam" in bad_fields(admin.post(f"{API}/operations", json=op_body(sam="fast")))
    assert admin.post(f"{API}/operations", json=op_body()).status_code == 201
    assert admin.post(f"{API}/operations", json=op_body()).status_code == 409


def test_operations_are_filtered_by_machine_type(admin: TestClient) -> None:
    create_op(admin, "OP-1", name="合肩", machine_type="overlock")
    create_op(admin, "OP-2", name="钉扣", machine_type="button")
    create_op(admin, "OP-3", name="锁边", machine_type="overlock")
    got = admin.get(f"{API}/operations", params={"machine_type": "overlock"}).json()
    assert [o["code"] for o in got["items"]] == ["OP-1", "OP-3"]
    assert [
        o["code"] for o in admin.get(f"{API}/operations", params={"q": "扣"}).json()["items"]
    ] == ["OP-2"]
    assert bad_fields(admin.get(f"{API}/operations", params={"machine_type": "x"})) == {
        "machine_type"
    }


@both_backends
def test_ids_beyond_any_row_are_refused_by_field(admin: TestClient) -> None:
    big = 2**40  # larger than an INTEGER column holds: named, never a database error
    for url, field in (
        (f"{API}/styles/{big}", "style_id"),
        (f"{API}/styles/{big}/routing", "style_id"),
        (f"{API}/operations/{big}", "operation_id"),
        (f"{API}/operations/{big}/rates", "operation_id"),
        (f"{API}/operations/{big}/rate?on=2025-07-01", "operation_id"),
    ):
        assert bad_fields(admin.get(url)) == {field}, url
    assert admin.get(f"{API}/styles/2147483647").status_code == 404
