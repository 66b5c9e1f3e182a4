"""Who may change lines, workstations, operators and machines, and the audit trail they leave."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.testing.factory import Factory, OrgRef
from tests.modules.masterdata.helpers import API
from tests.modules.masterdata.helpers_resources import (
    create_line,
    create_machine,
    create_operator,
    create_station,
    line_body,
    machine_body,
    operator_body,
    station_body,
)

SKILLS = {"skills": [{"machine_type": "overlock", "grade": 3, "efficiency": 100}]}


def test_viewers_read_managers_write_admins_delete(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    line = create_line(admin)
    ws = create_station(admin, line["id"])
    op = create_operator(admin)
    machine = create_machine(admin)
    ws_url = f"{API}/lines/{line['id']}/workstations/{ws['id']}"

    for url in (
        f"{API}/lines",
        f"{API}/lines/{line['id']}",
        f"{API}/lines/{line['id']}/workstations",
        ws_url,
        f"{API}/operators",
        f"{API}/operators/{op['id']}/skills",
        f"{API}/skills-matrix",
        f"{API}/machines/{machine['id']}",
    ):
        assert viewer.get(url).status_code == 200, url

    for denied in (
        viewer.post(f"{API}/lines", json=line_body("L2")),
        viewer.put(f"{API}/lines/{line['id']}", json=line_body(name="x")),
        viewer.post(f"{API}/lines/{line['id']}/workstations", json=station_body("WS-9")),
        viewer.put(ws_url, json=station_body(seq=4)),
        viewer.post(f"{API}/operators", json=operator_body("E9")),
        viewer.put(f"{API}/operators/{op['id']}", json=operator_body(name="x")),
        viewer.put(f"{API}/operators/{op['id']}/skills", json=SKILLS),
        viewer.post(f"{API}/machines", json=machine_body("M9")),
        viewer.put(f"{API}/machines/{machine['id']}", json=machine_body(brand="x")),
        viewer.delete(f"{API}/machines/{machine['id']}"),
    ):
        assert denied.status_code == 403
        assert denied.json()["error"]["code"] == "permission_denied"

    assert manager.post(f"{API}/lines", json=line_body("L2")).status_code == 201
    assert manager.put(ws_url, json=station_body(seq=4)).status_code == 200
    assert manager.put(f"{API}/operators/{op['id']}/skills", json=SKILLS).status_code == 200
    assert manager.post(f"{API}/machines", json=machine_body("M9")).status_code == 201
    for admins_only in (  # deletions are the admins'
        manager.delete(ws_url),
        manager.delete(f"{API}/lines/{line['id']}"),
        manager.delete(f"{API}/operators/{op['id']}"),
        manager.delete(f"{API}/machines/{machine['id']}"),
    ):
        assert admins_only.status_code == 403
    assert admin.delete(f"{API}/machines/{machine['id']}").status_code == 204
    assert admin.delete(ws_url).status_code == 204


def _events(client: TestClient) -> list[dict[str, Any]]:
    events = client.get("/api/v1/audit", params={"q": "masterdata.", "limit": 200}).json()
    found: list[dict[str, Any]] = list(reversed(events["items"]))  # oldest first
    return found


def test_every_change_is_audited(admin: TestClient) -> None:
    line = create_line(admin)
    admin.put(f"{API}/lines/{line['id']}", json=line_body(shift_minutes=540))
    admin.put(f"{API}/lines/{line['id']}", json=line_body(shift_minutes=540))  # no change
    ws = create_station(admin, line["id"])
    ws_url = f"{API}/lines/{line['id']}/workstations/{ws['id']}"
    admin.put(ws_url, json=station_body(device_code="SCN-1"))
    op = create_operator(admin)
    admin.put(f"{API}/operators/{op['id']}", json=operator_body(line_id=line["id"]))
    admin.put(f"{API}/operators/{op['id']}/skills", json=SKILLS)
    admin.put(f"{API}/operators/{op['id']}/skills", json=SKILLS)  # the same list: no change
    machine = create_machine(admin)
    admin.put(f"{API}/machines/{machine['id']}", json=machine_body(serial="SN-2"))
    admin.delete(f"{API}/machines/{machine['id']}")
    admin.delete(ws_url)
    admin.delete(f"{API}/operators/{op['id']}")
    admin.delete(f"{API}/lines/{line['id']}")
    events = _events(admin)
    assert [e["action"] for e in events] == [
        "masterdata.line.created",
        "masterdata.line.updated",
        "masterdata.workstation.created",
        "masterdata.workstation.updated",
        "masterdata.operator.created",
        "masterdata.operator.updated",
        "masterdata.operator.skills_set",
        "masterdata.machine.created",
        "masterdata.machine.updated",
        "masterdata.machine.deleted",
        "masterdata.workstation.deleted",
        "masterdata.operator.deleted",
        "masterdata.line.deleted",
    ]
    by_action = {e["action"]: e for e in events}
    updated = by_action["masterdata.line.updated"]
    assert (updated["before"]["shift_minutes"], updated["after"]["shift_minutes"]) == (480, 540)
    skills = by_action["masterdata.operator.skills_set"]
    assert skills["before"] == []
    assert skills["after"] == [{"machine_type": "overlock", "grade": 3, "efficiency": 100}]
    # the deleted operator's skills stay readable in the trail
    assert by_action["masterdata.operator.deleted"]["before"]["skills"] == skills["after"]
    assert by_action["masterdata.machine.deleted"]["before"]["serial"] == "SN-2"
