"""Operators and their skills matrix over the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.modules.masterdata.helpers import API, bad_fields
from tests.modules.masterdata.helpers_resources import (
    create_line,
    create_operator,
    operator_body,
)


def test_an_operator_round_trips(admin: TestClient) -> None:
    line = create_line(admin)
    op = create_operator(admin, " E-7 ", name=" 李娜 ", line_id=line["id"], hired_on="2025-02-28")
    assert (op["code"], op["name"]) == ("E-7", "李娜")
    assert (op["line_id"], op["hired_on"], op["active"]) == (line["id"], "2025-02-28", True)
    assert admin.get(f"{API}/operators/{op['id']}").json() == op

    body = operator_body("E-7", line_id=None, hired_on=None, active=False)
    changed = admin.put(f"{API}/operators/{op['id']}", json=body)
    assert changed.status_code == 200
    got = changed.json()
    assert (got["line_id"], got["hired_on"], got["active"]) == (None, None, False)

    assert admin.delete(f"{API}/operators/{op['id']}").status_code == 204
    assert admin.get(f"{API}/operators/{op['id']}").status_code == 404


def test_operator_validation_names_every_bad_field(admin: TestClient) -> None:
    body = operator_body(code="", name=" ", line_id=999_999)
    assert bad_fields(admin.post(f"{API}/operators", json=body)) == {"code", "name", "line_id"}
    assert bad_fields(admin.post(f"{API}/operators", json=operator_body(code="c" * 41))) == {"code"}
    assert bad_fields(admin.post(f"{API}/operators", json=operator_body(name="n" * 201))) == {
        "name"
    }
    assert "hired_on" in bad_fields(
        admin.post(f"{API}/operators", json=operator_body(hired_on="2025-02-30"))
    )
    assert "line_id" in bad_fields(admin.post(f"{API}/operators", json=operator_body(line_id=0)))
    assert admin.get(f"{API}/operators").json()["total"] == 0


def test_a_badge_code_is_unique_per_enterprise(admin: TestClient) -> None:
    first = create_operator(admin, "E1")
    taken = admin.post(f"{API}/operators", json=operator_body("E1"))
    assert taken.status_code == 409
    assert taken.json()["error"]["details"][0]["field"] == "code"
    other = create_operator(admin, "E2")
    assert admin.put(f"{API}/operators/{other['id']}", json=operator_body("E1")).status_code == 409
    assert admin.put(f"{API}/operators/{first['id']}", json=operator_body("E1")).status_code == 200


def test_operators_are_searched_and_filtered_by_line(admin: TestClient) -> None:
    one, two = create_line(admin, "L1"), create_line(admin, "L2")
    create_operator(admin, "E3", name="张伟", line_id=one["id"])
    create_operator(admin, "E1", name="王芳", line_id=two["id"])
    create_operator(admin, "E2", name="王强", line_id=one["id"], active=False)
    assert [o["code"] for o in admin.get(f"{API}/operators").json()["items"]] == [
        "E1",
        "E2",
        "E3",
    ]
    found = admin.get(f"{API}/operators", params={"q": "王"}).json()
    assert [o["code"] for o in found["items"]] == ["E1", "E2"]
    on_one = admin.get(f"{API}/operators", params={"line_id": one["id"]}).json()
    assert [o["code"] for o in on_one["items"]] == ["E2", "E3"]
    active = admin.get(f"{API}/operators", params={"line_id": one["id"], "active": True}).json()
    assert [o["code"] for o in active["items"]] == ["E3"]


def _skills(*cells: tuple[str, int, int]) -> dict[str, object]:
    return {"skills": [{"machine_type": t, "grade": g, "efficiency": e} for t, g, e in cells]}


def test_the_skills_list_is_replaced_whole(admin: TestClient) -> None:
    op = create_operator(admin)
    url = f"{API}/operators/{op['id']}/skills"
    assert admin.get(url).json() == {"operator_id": op["id"], "skills": []}
    first = admin.put(url, json=_skills(("overlock", 4, 110), ("lockstitch", 3, 95)))
    assert first.status_code == 200
    # answered by machine type, alphabetically
    assert first.json()["skills"] == [
        {"machine_type": "lockstitch", "grade": 3, "efficiency": 95},
        {"machine_type": "overlock", "grade": 4, "efficiency": 110},
    ]
    second = admin.put(url, json=_skills(("lockstitch", 5, 120)))
    assert second.json()["skills"] == [
        {"machine_type": "lockstitch", "grade": 5, "efficiency": 120}
    ]
    assert admin.get(url).json() == second.json()
    assert admin.put(url, json={"skills": []}).json()["skills"] == []
    # efficiency defaults to 100 % of SAM speed
    default = admin.put(url, json={"skills": [{"machine_type": "button", "grade": 1}]})
    assert default.json()["skills"][0]["efficiency"] == 100


def test_skill_validation_names_every_bad_cell(admin: TestClient) -> None:
    op = create_operator(admin)
    url = f"{API}/operators/{op['id']}/skills"
    admin.put(url, json=_skills(("manual", 2, 100)))
    body = _skills(
        ("laser", 3, 100),
        ("lockstitch", 0, 100),
        ("overlock", 6, 0),
        ("lockstitch", 3, 201),
        ("pressing", 2**63, 100),  # beyond any column: named, never a database error
    )
    assert bad_fields(admin.put(url, json=body)) == {
        "skills[0].machine_type",
        "skills[1].grade",
        "skills[2].grade",
        "skills[2].efficiency",
        "skills[3].machine_type",  # lockstitch listed twice
        "skills[3].efficiency",
        "skills[4].grade",
    }
    # nothing of the refused list was stored
    assert admin.get(url).json()["skills"] == [
        {"machine_type": "manual", "grade": 2, "efficiency": 100}
    ]
    # the bounds themselves are allowed
    edge = admin.put(url, json=_skills(("manual", 1, 1), ("pressing", 5, 200)))
    assert edge.status_code == 200


def test_deleting_an_operator_deletes_their_skills(admin: TestClient) -> None:
    op = create_operator(admin)
    admin.put(f"{API}/operators/{op['id']}/skills", json=_skills(("overlock", 2, 90)))
    assert admin.delete(f"{API}/operators/{op['id']}").status_code == 204
    assert admin.get(f"{API}/operators/{op['id']}/skills").status_code == 404
    again = create_operator(admin)  # the badge code is free again
    assert admin.get(f"{API}/operators/{again['id']}/skills").json()["skills"] == []


def test_the_skills_matrix_lists_operators_by_machine_type(admin: TestClient) -> None:
    line = create_line(admin)
    a = create_operator(admin, "E1", name="甲", line_id=line["id"])
    b = create_operator(admin, "E2", name="乙")
    create_operator(admin, "E3", name="丙")
    admin.put(f"{API}/operators/{a['id']}/skills", json=_skills(("overlock", 4, 110)))
    admin.put(
        f"{API}/operators/{b['id']}/skills",
        json=_skills(("lockstitch", 2, 80), ("button", 5, 130)),
    )
    got = admin.get(f"{API}/skills-matrix", params={"limit": 2}).json()
    codes = [t["code"] for t in got["machine_types"]]
    assert codes[:3] == ["lockstitch", "overlock", "coverstitch"]  # MACHINE_TYPES order
    assert got["machine_types"][0]["name"] == "平车"
    assert (got["total"], got["next_offset"]) == (3, 2)
    rows = {r["code"]: r for r in got["rows"]}
    assert list(rows) == ["E1", "E2"]
    assert rows["E1"]["line_id"] == line["id"]
    assert rows["E1"]["skills"] == {
        "overlock": {"machine_type": "overlock", "grade": 4, "efficiency": 110}
    }
    assert {t: s["grade"] for t, s in rows["E2"]["skills"].items()} == {
        "lockstitch": 2,
        "button": 5,
    }
    rest = admin.get(f"{API}/skills-matrix", params={"offset": 2}).json()
    assert [(r["code"], r["skills"]) for r in rest["rows"]] == [("E3", {})]
    on_line = admin.get(f"{API}/skills-matrix", params={"line_id": line["id"]}).json()
    assert [r["code"] for r in on_line["rows"]] == ["E1"]
