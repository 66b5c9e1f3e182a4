"""Tenant walls for lines, workstations, operators, skills and machines between two factories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.kernel.db.base import Base
from loom.modules.masterdata.models import Machine, Operator, OperatorSkill, Workstation
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API, bad_fields
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


def _line(client: TestClient) -> int:
    line_id: int = create_line(client)["id"]
    return line_id


def _operator(client: TestClient) -> int:
    op_id: int = create_operator(client)["id"]
    return op_id


def _machine(client: TestClient) -> int:
    machine_id: int = create_machine(client)["id"]
    return machine_id


LINES = TenantResource(
    name="line",
    list_url=f"{API}/lines",
    item_url=f"{API}/lines/{{id}}",
    create=_line,
    update_method="PUT",
    update_body=line_body("TAKEN"),
    extra_urls=[f"{API}/lines/{{id}}/workstations"],
)
OPERATORS = TenantResource(
    name="operator",
    list_url=f"{API}/operators",
    item_url=f"{API}/operators/{{id}}",
    create=_operator,
    update_method="PUT",
    update_body=operator_body("TAKEN"),
    extra_urls=[f"{API}/operators/{{id}}/skills"],
)
MACHINES = TenantResource(
    name="machine",
    list_url=f"{API}/machines",
    item_url=f"{API}/machines/{{id}}",
    create=_machine,
    update_method="PUT",
    update_body=machine_body("TAKEN"),
)


@both_backends
def test_lines_operators_and_machines_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(pair, LINES)
    assert_tenant_isolation(pair, OPERATORS)
    assert_tenant_isolation(pair, MACHINES)


@both_backends
def test_workstations_are_isolated_under_their_line(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    line_a = _line(pair.client_a)

    def _station(client: TestClient) -> int:
        station_id: int = create_station(client, line_a)["id"]
        return station_id

    stations = TenantResource(
        name="workstation",
        list_url=f"{API}/lines/{line_a}/workstations",
        item_url=f"{API}/lines/{line_a}/workstations/{{id}}",
        create=_station,
        update_method="PUT",
        update_body=station_body("TAKEN"),
        parent_scoped_list=True,
    )
    assert_tenant_isolation(pair, stations)
    # nor can B reach A's workstation under a line of its own
    station_a = pair.client_a.get(f"{API}/lines/{line_a}/workstations").json()[0]["id"]
    line_b = _line(pair.client_b)
    assert pair.client_b.get(f"{API}/lines/{line_b}/workstations/{station_a}").status_code == 404


@both_backends
def test_b_cannot_write_under_a_s_rows_nor_point_at_them(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    a, b = pair.client_a, pair.client_b
    line_a = _line(a)
    station_a = create_station(a, line_a, device_code="SCN-1")["id"]
    op_a = _operator(a)
    skills = {"skills": [{"machine_type": "overlock", "grade": 5, "efficiency": 150}]}

    assert b.put(f"{API}/operators/{op_a}/skills", json=skills).status_code == 404
    assert b.post(f"{API}/lines/{line_a}/workstations", json=station_body()).status_code == 404
    # to B, A's line and workstation do not exist: named like any unknown id
    assert bad_fields(b.post(f"{API}/operators", json=operator_body(line_id=line_a))) == {"line_id"}
    sneaky = machine_body(line_id=line_a, workstation_id=station_a)
    assert bad_fields(b.post(f"{API}/machines", json=sneaky)) == {"line_id", "workstation_id"}
    own = create_operator(b)
    assert bad_fields(
        b.put(f"{API}/operators/{own['id']}", json=operator_body(line_id=line_a))
    ) == {"line_id"}

    # B's codes and scanner ids live apart from A's: the same ones are free for B
    line_b = create_line(b)["id"]
    assert create_station(b, line_b, device_code="SCN-1")["device_code"] == "SCN-1"
    assert create_machine(b)["code"] == "M-001"

    # the skills matrix of B shows only B's operators
    assert [r["operator_id"] for r in b.get(f"{API}/skills-matrix").json()["rows"]] == [own["id"]]
    assert a.get(f"{API}/operators/{op_a}/skills").json()["skills"] == []
    assert a.get(f"{API}/operators/{op_a}").json()["line_id"] is None


NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _rows(kind: str, parent: int) -> dict[str, Any]:
    # one row of each child table, pointing at ``parent`` (a line, or an operator for skills)
    rows: dict[str, dict[str, Any]] = {
        "workstation": {"line_id": parent, "code": "WS", "seq": 1, "machine_type": "manual"},
        "operator": {"line_id": parent, "code": "E", "name": "n", "active": True},
        "machine": {
            "line_id": parent,
            "code": "M",
            "machine_type": "manual",
            "brand": "",
            "model": "",
            "serial": "",
            "active": True,
        },
        "skill": {"operator_id": parent, "machine_type": "manual", "grade": 1, "efficiency": 100},
    }
    if kind in ("operator", "machine"):
        rows[kind] |= {"created_at": NOW, "updated_at": NOW}
    return rows[kind]


TABLES = {
    "workstation": Workstation,
    "operator": Operator,
    "machine": Machine,
    "skill": OperatorSkill,
}


@both_backends
@pytest.mark.parametrize("kind", ["workstation", "operator", "machine", "skill"])
def test_the_database_refuses_a_child_pointing_into_another_tenant(
    loom_app: FastAPI, factory: Factory, kind: str
) -> None:
    pair = make_tenant_pair(factory)
    parent_of = _operator if kind == "skill" else _line
    parent_a = parent_of(pair.client_a)
    table = Base.metadata.tables[TABLES[kind].__tablename__]
    engine = loom_app.state.loom.engine
    # control: the parent's own org_id is accepted, so the refusal below comes from the
    # (parent_id, org_id) key and from nothing else
    with engine.begin() as conn:
        conn.execute(insert(table).values(**_rows(kind, parent_a), org_id=pair.a.id))
    # another code and machine type: only the tenant key, no unique key, can refuse it
    other = _rows(kind, parent_a) | (
        {"machine_type": "button"} if kind == "skill" else {"code": "X"}
    )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(**other, org_id=pair.b.id))


@both_backends
def test_the_database_refuses_a_machine_at_another_tenant_s_workstation(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    station_a = create_station(pair.client_a, _line(pair.client_a))["id"]
    table = Base.metadata.tables[Machine.__tablename__]
    row = _rows("machine", 0) | {"line_id": None, "workstation_id": station_a}
    engine = loom_app.state.loom.engine
    with engine.begin() as conn:  # control: A's own machine at A's workstation
        conn.execute(insert(table).values(**row, org_id=pair.a.id))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(**row | {"code": "M2"}, org_id=pair.b.id))
