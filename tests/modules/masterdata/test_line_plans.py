"""Plans published to a line: publish, replace, withdraw, the audit trail, field-named refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.tenancy.models import Role
from loom.modules.masterdata.models import LinePlan
from loom.modules.masterdata.service.line_plans import (
    PlannedTask,
    current_line_plan,
    plan_versions,
    publish_line_plan,
    withdraw_line_plan,
)
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API, bad_fields, create_op, create_style
from tests.modules.masterdata.helpers_resources import create_line, create_operator


@dataclass(frozen=True)
class Floor:
    """One enterprise's line L1 (operators E1, E2), line L2 (E3) and a shirt's routing A→B→C."""

    line: int
    other_line: int
    e1: int
    e2: int
    e3: int
    style: int
    a: int
    b: int
    c: int
    off_routing: int


def seed_floor(client: TestClient, tag: str = "") -> Floor:
    """Create the lines, operators, operations and the style with its routing over the API."""
    line = create_line(client, f"L1{tag}")["id"]
    other = create_line(client, f"L2{tag}")["id"]
    e1 = create_operator(client, f"E1{tag}", name="王芳", line_id=line)["id"]
    e2 = create_operator(client, f"E2{tag}", name="李娜", line_id=line)["id"]
    e3 = create_operator(client, f"E3{tag}", name="张伟", line_id=other)["id"]
    style = create_style(client, f"SH{tag}")["id"]
    a, b, c, d = (create_op(client, f"OP-{n}{tag}", name=n)["id"] for n in "ABCD")
    steps = [
        {"operation_id": a, "predecessors": []},
        {"operation_id": b, "predecessors": [a]},
        {"operation_id": c, "predecessors": [b]},
    ]
    routed = client.put(f"{API}/styles/{style}/routing", json={"steps": steps})
    assert routed.status_code == 200, routed.text
    return Floor(line, other, e1, e2, e3, style, a, b, c, d)


def plan_body(floor: Floor, **changes: Any) -> dict[str, Any]:
    """Return a valid plan: E1 sews A and half of B, E2 the other half of B and C."""
    body: dict[str, Any] = {
        "style_id": floor.style,
        "source": "balancing plan 7",
        "cycle_time_e4": 12_000,
        "entries": [
            {"station_seq": 1, "operator_id": floor.e1, "operation_id": floor.a, "parts": 1},
            {"station_seq": 1, "operator_id": floor.e1, "operation_id": floor.b, "parts": 2},
            {"station_seq": 2, "operator_id": floor.e2, "operation_id": floor.b, "parts": 2},
            {"station_seq": 2, "operator_id": floor.e2, "operation_id": floor.c, "parts": 1},
        ],
    }
    return body | changes


def publish(client: TestClient, floor: Floor, **changes: Any) -> dict[str, Any]:
    """Publish ``plan_body`` to line L1 and return the current plan."""
    response = client.post(f"{API}/lines/{floor.line}/plan", json=plan_body(floor, **changes))
    assert response.status_code == 201, response.text
    published: dict[str, Any] = response.json()
    return published


def test_publish_replace_and_withdraw_keep_every_version(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    floor = seed_floor(admin)
    assert admin.get(f"{API}/lines/{floor.line}/plan").json() is None
    first = publish(admin, floor)
    assert (first["version"], first["source"], first["cycle_time_e4"]) == (
        1,
        "balancing plan 7",
        12_000,
    )
    # 600,000 / 12,000 = 50 garments per hour
    assert first["planned_per_hour"] == 50.0
    assert first["style_code"] == "SH"
    assert first["published_by"] == "gina"
    shown = [
        (t["station_seq"], t["operator_code"], t["operation_code"], t["parts"])
        for t in first["tasks"]
    ]
    assert shown == [
        (1, "E1", "OP-A", 1),
        (1, "E1", "OP-B", 2),
        (2, "E2", "OP-B", 2),
        (2, "E2", "OP-C", 1),
    ]

    # republishing replaces the current plan; the first version stays in the history
    second = publish(admin, floor, source="manual", cycle_time_e4=None)
    assert (second["version"], second["source"], second["planned_per_hour"]) == (2, "manual", None)
    versions = admin.get(f"{API}/lines/{floor.line}/plans").json()
    assert [(v["version"], v["current"]) for v in versions] == [(2, True), (1, False)]

    assert admin.delete(f"{API}/lines/{floor.line}/plan").status_code == 204
    assert admin.get(f"{API}/lines/{floor.line}/plan").json() is None
    versions = admin.get(f"{API}/lines/{floor.line}/plans").json()
    assert [(v["version"], v["current"]) for v in versions] == [(2, False), (1, False)]
    assert versions[0]["withdrawn_by"] == "gina"
    assert versions[0]["withdrawn_at"] is not None
    # nothing left to withdraw
    assert admin.delete(f"{API}/lines/{floor.line}/plan").status_code == 404
    # the next publication continues the numbering
    assert publish(admin, floor)["version"] == 3

    events = admin.get("/api/v1/audit", params={"q": "masterdata.line_plan", "limit": 50}).json()
    actions = sorted(e["action"] for e in events["items"])
    assert actions == [
        "masterdata.line_plan.published",
        "masterdata.line_plan.published",
        "masterdata.line_plan.published",
        "masterdata.line_plan.withdrawn",
    ]


def test_the_service_publishes_for_the_balancing_app(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    floor = seed_floor(admin)
    entries = [
        PlannedTask(1, floor.e1, floor.a, 1),
        PlannedTask(2, floor.e2, floor.b, 1),
        PlannedTask(2, floor.e2, floor.c, 1),
    ]
    with session_scope(factory.runtime.session_factory) as s:
        scope = system_scope(factory_org.id, factory_org.kind, "test")
        plan_id = publish_line_plan(
            s,
            scope,
            line_id=floor.line,
            style_id=floor.style,
            entries=entries,
            source="balancing plan 3",
            cycle_time_e4=15_000,
        )
        view = current_line_plan(s, scope, floor.line)
        assert view is not None
        assert view.id == plan_id
        assert [(st.station_seq, st.operator_code) for st in view.stations] == [
            (1, "E1"),
            (2, "E2"),
        ]
        assert [t.operation_code for t in view.stations[1].tasks] == ["OP-B", "OP-C"]
        # 600,000 / 15,000 = 40 garments per hour
        assert view.planned_per_hour == 40.0
        replaced = publish_line_plan(
            s,
            scope,
            line_id=floor.line,
            style_id=floor.style,
            entries=entries[:1],
            source="again",
            cycle_time_e4=None,
        )
        assert [p.id for p in plan_versions(s, scope, floor.line)] == [replaced, plan_id]
        assert withdraw_line_plan(s, scope, floor.line) == replaced
        assert current_line_plan(s, scope, floor.line) is None
        with pytest.raises(NotFound):
            withdraw_line_plan(s, scope, floor.line)
        audited = s.scalars(
            select(AuditEvent.action).where(
                AuditEvent.org_id == factory_org.id, AuditEvent.target_type == "line_plan"
            )
        ).all()
        assert sorted(audited) == [
            "masterdata.line_plan.published",
            "masterdata.line_plan.published",
            "masterdata.line_plan.withdrawn",
        ]


def test_refusals_name_every_bad_field(admin: TestClient) -> None:
    floor = seed_floor(admin)
    url = f"{API}/lines/{floor.line}/plan"
    entries = [
        # E3 works on line L2
        {"station_seq": 1, "operator_id": floor.e3, "operation_id": floor.a},
        # D is an operation of the library, but not on the shirt's routing
        {"station_seq": 2, "operator_id": floor.e1, "operation_id": floor.off_routing},
        # no such operator or operation
        {"station_seq": 3, "operator_id": 999_999, "operation_id": 999_999},
        # station 1 is E3's already
        {"station_seq": 1, "operator_id": floor.e2, "operation_id": floor.b},
        # B twice at station 4
        {"station_seq": 4, "operator_id": floor.e1, "operation_id": floor.c},
        {"station_seq": 4, "operator_id": floor.e1, "operation_id": floor.c},
    ]
    assert bad_fields(admin.post(url, json=plan_body(floor, entries=entries))) == {
        "entries[0].operator_id",
        "entries[1].operation_id",
        "entries[2].operator_id",
        "entries[2].operation_id",
        "entries[3].operator_id",
        "entries[5].operation_id",
    }
    assert bad_fields(admin.post(url, json=plan_body(floor, style_id=999_999))) == {"style_id"}
    assert bad_fields(admin.post(url, json=plan_body(floor, entries=[]))) == {"entries"}
    # the shape is checked before the service: named too, never a 500
    assert "cycle_time_e4" in str(
        bad_fields(admin.post(url, json=plan_body(floor, cycle_time_e4=0)))
    )
    bad_parts = plan_body(floor)
    bad_parts["entries"][0]["parts"] = 0
    assert any("parts" in f for f in bad_fields(admin.post(url, json=bad_parts)))
    # nothing was published by the refused attempts
    assert admin.get(f"{API}/lines/{floor.line}/plans").json() == []
    assert admin.post(f"{API}/lines/999999/plan", json=plan_body(floor)).status_code == 404


def test_the_service_names_the_line_and_checks_the_cycle_time(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    floor = seed_floor(admin)
    with session_scope(factory.runtime.session_factory) as s:
        scope = system_scope(factory_org.id, factory_org.kind, "test")
        with pytest.raises(ValidationFailed) as refused:
            publish_line_plan(
                s,
                scope,
                line_id=0,
                style_id=floor.style,
                entries=[PlannedTask(1, floor.e1, floor.a, 1)],
                source="x" * 201,
                cycle_time_e4=-5,
            )
        fields = {d["field"] for d in refused.value.details}
        # line 0 does not exist, so E1 (of L1) is not on it either
        assert fields == {"line_id", "source", "cycle_time_e4", "entries[0].operator_id"}
        assert s.scalars(select(LinePlan)).all() == []


def test_viewers_read_the_plan_managers_publish_and_withdraw(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    floor = seed_floor(admin)
    url = f"{API}/lines/{floor.line}/plan"
    assert viewer.post(url, json=plan_body(floor)).status_code == 403
    assert publish(manager, floor)["published_by"] == "max"
    assert viewer.get(url).json()["version"] == 1
    assert viewer.get(f"{API}/lines/{floor.line}/plans").status_code == 200
    assert viewer.delete(url).status_code == 403
    assert manager.delete(url).status_code == 204


@both_backends
def test_a_line_runs_one_current_plan_on_both_backends(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    floor = seed_floor(admin)
    publish(admin, floor)
    publish(admin, floor)
    # another line's plan does not touch L1's
    other = admin.post(
        f"{API}/lines/{floor.other_line}/plan",
        json=plan_body(
            floor,
            entries=[{"station_seq": 1, "operator_id": floor.e3, "operation_id": floor.a}],
        ),
    )
    assert other.status_code == 201, other.text
    assert other.json()["version"] == 1
    with session_scope(factory.runtime.session_factory) as s:
        rows = s.execute(
            select(LinePlan.line_id, LinePlan.version, LinePlan.current).order_by(
                LinePlan.line_id, LinePlan.version
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (floor.line, 1, False),
        (floor.line, 2, True),
        (floor.other_line, 1, True),
    ]
