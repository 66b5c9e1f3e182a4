"""Who may read and record milestones, and the audit trail every change leaves."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.apps.scheduling.milestones.helpers import PAGES, TA, new_order, record, today


def test_roles(factory: Factory, factory_org: OrgRef, admin: TestClient) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    order = new_order(admin, date(2099, 12, 31))
    template = admin.get(f"{TA}/template").json()
    # viewers read the board, timelines and template, and change nothing
    assert viewer.get(TA).json()["total"] == 6
    assert viewer.get(f"{TA}/orders/{order['id']}").status_code == 200
    assert viewer.get(f"{TA}/alerts").status_code == 200
    for page in (PAGES, f"{PAGES}/orders/{order['id']}", f"{PAGES}/template", f"{PAGES}.xlsx"):
        assert viewer.get(page).status_code == 200, page
    for denied in (
        viewer.put(f"{TA}/template", json=template),
        record(viewer, order["id"], "fabric", note="x"),
        viewer.post(f"{TA}/derive"),
        viewer.post(f"{PAGES}/orders/{order['id']}/fabric", data={"note": "x"}),
        viewer.post(f"{PAGES}/template", data=template),
        viewer.post(f"{PAGES}/derive"),
    ):
        assert denied.status_code == 403
    assert 'data-testid="derive"' not in viewer.get(PAGES).text  # no button to a refusal
    assert "save-fabric" not in viewer.get(f"{PAGES}/orders/{order['id']}").text
    # managers record
    assert record(manager, order["id"], "fabric", note="ok").status_code == 200
    assert manager.put(f"{TA}/template", json=template).status_code == 200


def test_a_bureau_has_no_time_and_action(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    client = factory.client("bea")
    assert client.get(TA).status_code == 404
    assert client.get(PAGES).status_code == 404


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    assert anon.get(TA).status_code == 401
    assert anon.get(f"{TA}/template").status_code == 401


def _events(client: TestClient) -> list[dict[str, object]]:
    events = client.get("/api/v1/audit", params={"q": "scheduling.", "limit": 200}).json()
    return list(reversed(events["items"]))  # oldest first


def test_every_change_is_audited(admin: TestClient) -> None:
    order = new_order(admin, date(2099, 12, 31))
    template = admin.get(f"{TA}/template").json()
    admin.put(f"{TA}/template", json=template | {"fabric": -25})
    admin.put(f"{TA}/template", json=template | {"fabric": -25})  # unchanged: no event
    yesterday = (today() - timedelta(days=1)).isoformat()
    record(admin, order["id"], "fabric", actual_date=yesterday)
    record(admin, order["id"], "fabric", actual_date=yesterday)  # unchanged: no event
    record(admin, order["id"], "cutting", target_date="2099-12-20", note="客户同意")
    empty = record(admin, order["id"], "finishing")  # nothing stored, nothing to record
    assert (empty.status_code, empty.json()["status"]) == (200, "on_track")
    events = _events(admin)
    assert [e["action"] for e in events] == [
        "scheduling.ta_template.updated",
        "scheduling.milestone.updated",
        "scheduling.milestone.updated",
    ]
    assert events[0]["before"]["fabric"] == -21  # type: ignore[index]
    assert events[0]["after"]["fabric"] == -25  # type: ignore[index]
    assert events[1]["before"] is None
    assert events[1]["after"] == {
        "order_id": order["id"],
        "stage": "fabric",
        "target_date": None,
        "actual_date": yesterday,
        "actual_source": "user",
        "note": "",
    }
    assert events[2]["after"]["target_date"] == "2099-12-20"  # type: ignore[index]
