"""Who may read and record quality data, and the audit trail every change leaves."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.apps.quality.seed import API, PAGES, created, seed_catalogue, seed_factory

INLINE = {"kind": "inline", "pieces_checked": 10, "defects": [{"code": "SKIP", "qty": 1}]}


def test_roles(loom_app: FastAPI, factory: Factory, factory_org: OrgRef, admin: TestClient) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("mia", (factory_org, Role.MEMBER))
    viewer, inspector = factory.client("vic"), factory.client("mia")
    body = INLINE | {"line_id": ids["L01"], "operation_id": ids["OP-10"]}
    lot = {
        "order_id": ids["PO-Q1"],
        "lot_size": 500,
        "level": "II",
        "aql_major": "2.5",
        "aql_minor": "4.0",
    }
    # QC inspectors (members) record inspections and lots; they neither delete nor edit the
    # catalogue
    found = created(inspector, f"{API}/inspections", body)
    judged = created(inspector, f"{API}/aql", lot)
    assert inspector.delete(f"{API}/inspections/{found['id']}").status_code == 403
    assert inspector.post(f"{API}/defects/common").status_code == 403
    # viewers read everything and change nothing
    for url in (
        f"{API}/inspections",
        f"{API}/aql",
        f"{API}/defects",
        f"{API}/inspections/figures",
        PAGES + "/inspections",
        PAGES + "/aql",
        PAGES + f"/aql/{judged['id']}",
        PAGES + "/figures",
        PAGES + "/defects",
        PAGES + "/inspections.xlsx",
        PAGES + "/aql.xlsx",
        PAGES + "/defects.xlsx",
    ):
        assert viewer.get(url).status_code == 200, url
    for denied in (
        viewer.post(f"{API}/inspections", json=body),
        viewer.post(f"{API}/aql", json=lot),
        viewer.delete(f"{API}/aql/{judged['id']}"),
        viewer.get(f"{PAGES}/inspections/new"),
        viewer.get(f"{PAGES}/aql/new"),
        viewer.post(f"{PAGES}/defects/common"),
    ):
        assert denied.status_code == 403
    assert 'data-testid="new-inline"' not in viewer.get(f"{PAGES}/inspections").text
    assert admin.delete(f"{API}/aql/{judged['id']}").status_code == 204


def test_a_bureau_has_no_quality_app(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    client = factory.client("bea")
    assert client.get(f"{API}/inspections").status_code == 404
    assert client.get(f"{PAGES}/inspections").status_code == 404


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    assert anon.get(f"{API}/inspections").status_code == 401
    assert anon.get(f"{API}/aql").status_code == 401


def _actions(client: TestClient) -> list[dict[str, object]]:
    events = client.get("/api/v1/audit", params={"q": "quality.", "limit": 200}).json()
    return list(reversed(events["items"]))


def test_every_change_is_audited(loom_app: FastAPI, factory_org: OrgRef, admin: TestClient) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    codes = seed_catalogue(admin)
    made = created(
        admin,
        f"{API}/defects",
        {"code": "glue", "name": "胶印", "defect_class": "minor", "category": "appearance"},
    )
    assert made["code"] == "GLUE"
    renamed = admin.put(f"{API}/defects/{made['id']}", json=made | {"name": "胶水印"})
    assert renamed.status_code == 200
    found = created(
        admin, f"{API}/inspections", INLINE | {"line_id": ids["L01"], "operation_id": ids["OP-10"]}
    )
    lot = created(
        admin,
        f"{API}/aql",
        {
            "order_id": ids["PO-Q1"],
            "lot_size": 500,
            "level": "II",
            "aql_major": "2.5",
            "aql_minor": "4.0",
        },
    )
    # a defect an inspection names cannot be deleted; an unused one can
    refused = admin.delete(f"{API}/defects/{codes['SKIP']}")
    assert refused.status_code == 409
    assert admin.delete(f"{API}/defects/{made['id']}").status_code == 204
    admin.delete(f"{API}/inspections/{found['id']}")
    admin.delete(f"{API}/aql/{lot['id']}")
    events = _actions(admin)
    actions = [e["action"] for e in events]
    # 15 common defects, then the hand-made one's life, the records and their deletions
    assert actions == [
        *["quality.defect.created"] * 15,
        "quality.defect.created",
        "quality.defect.updated",
        "quality.inspection.created",
        "quality.aql.created",
        "quality.defect.deleted",
        "quality.inspection.deleted",
        "quality.aql.deleted",
    ]
    assert events[16]["before"]["name"] == "胶印"  # type: ignore[index]
    assert events[17]["after"]["defects"] == [  # type: ignore[index]
        {"code": "SKIP", "qty": 1, "operation_id": ids["OP-10"], "operator_id": None}
    ]
    assert events[18]["after"]["decision"] == "accept"  # type: ignore[index]
    assert events[21]["before"]["state_restored"] is True  # type: ignore[index]
