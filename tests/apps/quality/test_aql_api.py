"""AQL final inspections over the API: plans from the engine, decisions, switching per customer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.testing.factory import OrgRef
from tests.apps.quality.seed import API, created, seed_catalogue, seed_factory


def _lot(ids: dict[str, int], **more: Any) -> dict[str, Any]:
    body = {
        "order_id": ids["PO-Q1"],
        "lot_no": "L-1",
        "lot_size": 1200,
        "level": "II",
        "aql_critical": "0",
        "aql_major": "2.5",
        "aql_minor": "4.0",
        "defects": {},
    }
    return body | more


def test_lot_of_1200_at_level_ii_uses_letter_j(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    # 1,200 at level II is code letter J (Table 1: 1,201 would be K); Table 2-A row J: n = 80,
    # AQL 2.5 Ac 5 Re 6, AQL 4.0 Ac 7 Re 8; AQL 0 for critical: Ac 0 Re 1 on the same 80
    found = created(admin, f"{API}/aql", _lot(ids, defects={"SKIP": 3, "HOLE": 2, "THRD": 7}))
    plans = found["plans"]
    assert found["code_letter"] == "J"
    assert found["sample_size"] == 80
    assert (plans["major"]["sample_size"], plans["major"]["accept"], plans["major"]["reject"]) == (
        80,
        5,
        6,
    )
    assert (plans["minor"]["accept"], plans["minor"]["reject"]) == (7, 8)
    assert (plans["critical"]["sample_size"], plans["critical"]["accept"]) == (80, 0)
    # SKIP and HOLE are major (3 + 2 = 5 ≤ Ac 5), THRD minor (7 ≤ 7): accepted
    assert (found["major_found"], found["minor_found"], found["decision"]) == (5, 7, "accept")
    assert found["customer"] == "Acme"
    assert found["inspection"] == "normal"


def test_one_more_major_defect_rejects_the_lot(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    found = created(admin, f"{API}/aql", _lot(ids, defects={"SKIP": 6}))
    assert (found["major_found"], found["decision"]) == (6, "reject")  # 6 = Re
    critical = created(admin, f"{API}/aql", _lot(ids, defects={"NEED": 1}))
    assert critical["decision"] == "reject"  # AQL 0: one needle fragment rejects


def test_two_rejections_in_five_lots_tighten_the_customer_s_series(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    created(admin, f"{API}/aql", _lot(ids, defects={"SKIP": 6}))
    second = created(admin, f"{API}/aql", _lot(ids, defects={"SKIP": 6}))
    # §9.3.1: two of the last five lots not accepted on normal → tightened for major defects
    assert second["state_after"]["major"]["inspection"] == "tightened"
    assert second["state_after"]["minor"]["inspection"] == "normal"
    third = created(admin, f"{API}/aql", _lot(ids))
    # tightened Table 2-B row J, AQL 2.5: n = 80, Ac 3 Re 4
    major = third["plans"]["major"]
    assert (major["inspection"], major["accept"], major["reject"]) == ("tightened", 3, 4)
    assert third["inspection"] == "mixed"
    # Beta's lots are another series: still normal
    other = created(admin, f"{API}/aql", _lot(ids, order_id=ids["PO-Q2"]))
    assert other["plans"]["major"]["inspection"] == "normal"
    series = {s["customer"]: s for s in admin.get(f"{API}/aql/series").json()}
    assert series["Acme"]["lots"] == 3
    assert series["Beta"]["lots"] == 1
    # deleting Acme's latest lot puts the state back to the one before it (still tightened)
    assert admin.delete(f"{API}/aql/{third['id']}").status_code == 204
    assert admin.delete(f"{API}/aql/{second['id']}").status_code == 204
    series = {s["customer"]: s for s in admin.get(f"{API}/aql/series").json()}
    assert series["Acme"]["state"]["major"]["inspection"] == "normal"
    assert series["Acme"]["lots"] == 1


def test_every_bad_field_is_named(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    body = _lot(
        ids,
        order_id=None,
        lot_size=1,
        level="IV",
        aql_major="3.0",
        defects={"NOPE": 1, "SKIP": 0},
        inspected_on="2099-01-01",
    )
    refused = admin.post(f"{API}/aql", json=body)
    assert refused.status_code == 422
    fields = {d["field"] for d in refused.json()["error"]["details"]}
    assert fields == {
        "order_id",
        "lot_size",
        "level",
        "aql_major",
        "inspected_on",
        "defects[0].code",
        "defects[1].qty",
    }
    zero = admin.post(f"{API}/aql", json=_lot(ids, aql_major="0", aql_minor="0"))
    assert [d["field"] for d in zero.json()["error"]["details"]] == ["aql_major"]
