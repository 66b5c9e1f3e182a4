"""Inline and end-of-line inspections over the API: recording, tracing, naming bad fields."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.testing.factory import OrgRef
from tests.apps.quality.seed import API, created, seed_catalogue, seed_factory


def _inline(ids: dict[str, int], **more: Any) -> dict[str, Any]:
    body = {
        "kind": "inline",
        "line_id": ids["L01"],
        "operation_id": ids["OP-20"],
        "bundle_no": 1,
        "pieces_checked": 10,
        "defects": [{"code": "SKIP", "qty": 2}, {"code": "thrd", "qty": 1}],
        "inspected_at": "2026-03-10T02:00:00Z",
    }
    return body | more


def test_an_inline_inspection_is_traced_to_the_operator_who_scanned_the_bundle(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    found = created(admin, f"{API}/inspections", _inline(ids))
    # bundle 1's OP-20 "done" scan was W2's (seed.py)
    assert (found["operator_id"], found["operator_source"]) == (ids["W2"], "scan")
    assert found["operator"] == "W2 李娜"
    # 2 + 1 defects in 10 pieces: DHU 3 × 100 / 10 = 30.00; each defect on its own piece
    assert (found["defects_total"], found["dhu"], found["defective_pieces"]) == (3, "30.00", 3)
    # local day: 02:00 UTC is 10:00 in Beijing, the same calendar day
    assert found["day"] == "2026-03-10"
    assert [(d["code"], d["qty"], d["operator_id"]) for d in found["defects"]] == [
        ("SKIP", 2, ids["W2"]),
        ("THRD", 1, ids["W2"]),
    ]
    assert admin.get(f"{API}/inspections/{found['id']}").json() == found


def test_a_typed_operator_wins_and_a_quarantined_scan_names_nobody(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    typed = created(admin, f"{API}/inspections", _inline(ids, operator_id=ids["W3"]))
    assert (typed["operator_id"], typed["operator_source"]) == (ids["W3"], "entered")
    # bundle 2's OP-20 scan by W1 is quarantined: not proof that W1 did it
    blind = created(admin, f"{API}/inspections", _inline(ids, bundle_no=2))
    assert (blind["operator_id"], blind["operator_source"]) == (None, "")


def test_end_of_line_defects_are_traced_per_operation(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    body = {
        "kind": "endline",
        "line_id": ids["L01"],
        "bundle_no": 1,
        "pieces_checked": 30,
        "defective_pieces": 2,
        "defects": [
            {"code": "OPEN", "qty": 1, "operation_id": ids["OP-10"]},
            {"code": "MISA", "qty": 1, "operation_id": ids["OP-20"]},
            {"code": "STAI", "qty": 1},
        ],
    }
    found = created(admin, f"{API}/inspections", body)
    # OP-10 of bundle 1 was W1's, OP-20 W2's; a stain is blamed on no operation
    assert [(d["code"], d["operator_id"]) for d in found["defects"]] == [
        ("OPEN", ids["W1"]),
        ("MISA", ids["W2"]),
        ("STAI", None),
    ]
    # 3 defects in 30 pieces: 10.00 DHU
    assert (found["dhu"], found["defective_pieces"], found["order"]) == ("10.00", 2, "PO-Q1")


def test_every_bad_field_is_named(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    body = _inline(
        ids,
        operation_id=None,
        bundle_no=99,
        pieces_checked=0,
        defective_pieces=5,
        defects=[{"code": "NOPE", "qty": 1}, {"code": "SKIP", "qty": 0}],
        inspected_at="2099-01-01T00:00:00Z",
    )
    refused = admin.post(f"{API}/inspections", json=body)
    assert refused.status_code == 422
    fields = {d["field"] for d in refused.json()["error"]["details"]}
    assert fields == {
        "operation_id",
        "bundle_no",
        "pieces_checked",
        "defective_pieces",
        "defects[0].code",
        "defects[1].qty",
        "inspected_at",
    }
    # more pieces than bundle 1 holds (30)
    too_many = admin.post(f"{API}/inspections", json=_inline(ids, pieces_checked=31))
    assert too_many.status_code == 422
    assert [d["field"] for d in too_many.json()["error"]["details"]] == ["pieces_checked"]
    assert admin.get(f"{API}/inspections").json()["total"] == 0


def test_delete_removes_the_inspection(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    found = created(admin, f"{API}/inspections", _inline(ids))
    assert admin.delete(f"{API}/inspections/{found['id']}").status_code == 204
    assert admin.get(f"{API}/inspections/{found['id']}").status_code == 404
