"""OEE services on stored telemetry, hand-computed; the API, permissions, leaks and audit.

The shift of 2026-03-02 runs 0–540 min (08:00–17:00 Beijing) with lunch 240–300 min planned
(``telemetry_fixtures``). M01: running from 0, down (needle) 60–90, counts of 20 good + 1
reject every 20 min from minute 10 to 530 (27 records) and an ideal cycle of 45 s. M02: state
reports only (running 0, down "jam" 100, running 130): trusted 30 min after each, so it is
unknown in between. M03 (no line): nothing at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from loom.apps.equipment.service.oee import (
    day_figures,
    downtime_pareto,
    oee_by_line,
    oee_by_machine,
    oee_by_shift,
)
from loom.kernel.authz.guard import system_scope
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.masterdata.models import ProductionLine
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.apps.equipment.telemetry_fixtures import (
    TELEMETRY_WRITE,
    Ledger,
    at,
    count,
    seed_ledger,
    state,
)

DAY = date(2026, 3, 2)
API = "/api/v1/equipment"
# M01: running 60 + 150 + 240 = 450 min, down 30, lunch 60 planned: A = 450 / 480
M01_A = 450 / 480
# 27 × 21 pieces × 45 s = 25,515 s of ideal time in 450 × 60 = 27,000 s running
M01_P = 25_515 / 27_000
M01_Q = 540 / 567
# line L1: running 450 + 60, known 480 + 90 (M02 is unknown 390 min); P over M01 only
LINE_A = 510 / 570


def _send(factory: Factory, org: OrgRef) -> None:
    """Send the day's telemetry over HTTP and set M01's ideal cycle."""
    device = factory.token_client(factory.token(org, TELEMETRY_WRITE, kind="device"))
    records = [
        state(0, "M01", "running"),
        state(60, "M01", "down", "needle"),
        state(90, "M01", "running"),
        *(count(m, "M01", 20, 1) for m in range(10, 540, 20)),
        state(0, "M02", "running"),
        state(100, "M02", "down", "jam"),
        state(130, "M02", "running"),
    ]
    assert device.post("/api/v1/ingest/telemetry", json=records).json()["accepted"] == 33


@pytest.fixture
def plant(factory: Factory) -> tuple[OrgRef, Ledger, TestClient]:
    """A factory with the day's telemetry and its admin."""
    org = factory.org("plant")
    ledger = seed_ledger(factory.runtime.session_factory, org.id)
    _send(factory, org)
    factory.user("mara", (org, Role.ADMIN))
    admin = factory.client("mara")
    machine = ledger.machine_ids["M01"]
    response = admin.put(f"{API}/machines/{machine}/ideal-cycle", json={"ideal_cycle_s": 45})
    assert response.status_code == 200, response.text
    return org, ledger, admin


def _scope(org: OrgRef) -> Any:
    return system_scope(org.id, OrgKind.ENTERPRISE, "test")


@both_backends
def test_oee_by_machine_by_hand(factory: Factory, plant: tuple[OrgRef, Ledger, Any]) -> None:
    org, _ledger, _admin = plant
    with factory.runtime.session_factory() as s:
        rows = {row.code: row for row in oee_by_machine(s, _scope(org), day=DAY)}
    m01, m02, m03 = rows["M01"].figures, rows["M02"].figures, rows["M03"].figures
    assert (m01.running_minutes, m01.down_minutes, m01.planned_stop_minutes) == (450, 30, 60)
    assert m01.availability == pytest.approx(M01_A)
    assert m01.performance == pytest.approx(M01_P)
    assert m01.quality == pytest.approx(M01_Q)
    assert m01.oee == pytest.approx(M01_A * M01_P * M01_Q)
    assert (m01.good, m01.reject) == (540, 27)
    # M02: running 0-30 and 130-160, down 100-130; unknown 30-100, 160-240 and 300-540
    assert (m02.running_minutes, m02.down_minutes, m02.unknown_minutes) == (60, 30, 390)
    assert m02.availability == pytest.approx(60 / 90)
    assert (m02.performance, m02.quality, m02.oee) == (None, None, None)
    # M03 on no line works 480 min from 08:00 too, and nobody knows what it did
    assert (m03.unknown_minutes, m03.availability, rows["M03"].line_code) == (480, None, "")
    assert rows["M01"].line_code == "L1"
    assert rows["M01"].ideal_cycle_s == 45.0


def test_a_shift_in_progress_counts_up_to_now(
    factory: Factory, plant: tuple[OrgRef, Ledger, Any]
) -> None:
    org, ledger, _admin = plant
    with factory.runtime.session_factory() as s:
        rows = oee_by_machine(s, _scope(org), day=DAY, line_id=ledger.line_id, now=at(120))
    assert [row.code for row in rows] == ["M01", "M02"]
    # M01 by 120 min: running 0-60 and 90-120, down 60-90; counts at 10, 30, …, 110
    m01 = rows[0].figures
    assert (m01.running_minutes, m01.down_minutes, m01.good) == (90, 30, 6 * 20)
    assert m01.availability == pytest.approx(90 / 120)


@both_backends
def test_line_shift_and_pareto_by_hand(factory: Factory, plant: tuple[OrgRef, Ledger, Any]) -> None:
    org, ledger, _admin = plant
    with factory.runtime.session_factory() as s:
        lines = oee_by_line(s, _scope(org), day_from=DAY, day_to=DAY)
        shifts = oee_by_shift(s, _scope(org), day_from=DAY, day_to=DAY)
        pareto = downtime_pareto(s, _scope(org), day_from=DAY, day_to=DAY)
    assert [(line.code, line.machines) for line in lines] == [("L1", 2)]
    figures = lines[0].figures
    assert figures.availability == pytest.approx(LINE_A)
    assert figures.performance == pytest.approx(M01_P)
    assert figures.quality == pytest.approx(M01_Q)
    assert figures.oee == pytest.approx(LINE_A * M01_P * M01_Q)
    assert len(shifts) == 1
    assert shifts[0].figures == figures
    assert (shifts[0].start, shifts[0].end) == (
        datetime(2026, 3, 2, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    assert shifts[0].line_id == ledger.line_id
    assert [(p.reason, p.minutes, p.count) for p in pareto] == [("jam", 30, 1), ("needle", 30, 1)]


@both_backends
def test_the_page_gets_its_three_views_from_one_evaluation(
    factory: Factory, plant: tuple[OrgRef, Ledger, Any]
) -> None:
    org, _ledger, _admin = plant
    end = at(600)  # after the shift: every call sees the same finished day
    statements: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = factory.runtime.engine
    with factory.runtime.session_factory() as s:
        scope = _scope(org)
        event.listen(engine, "before_cursor_execute", keep)
        try:
            machines, lines, pareto = day_figures(s, scope, day=DAY, now=end)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        assert machines == oee_by_machine(s, scope, day=DAY, now=end)
        assert lines == oee_by_line(s, scope, day_from=DAY, day_to=DAY, now=end)
        assert pareto == downtime_pareto(s, scope, day_from=DAY, day_to=DAY, now=end)
    # the hand-computed figures above, and the telemetry read once (the last state before the
    # shift and the shift's records, one statement) instead of three times
    assert [(p.reason, p.minutes, p.count) for p in pareto] == [("jam", 30, 1), ("needle", 30, 1)]
    assert [(line.code, line.machines) for line in lines] == [("L1", 2)]
    assert sum("FROM equipment_telemetry" in s for s in statements) == 1


@both_backends
def test_the_pages_lines_are_not_read_again_and_ideal_cycles_come_with_machines(
    factory: Factory, plant: tuple[OrgRef, Ledger, Any]
) -> None:
    org, ledger, _admin = plant
    other = factory.org("plant-2")
    foreign = seed_ledger(factory.runtime.session_factory, other.id, line_code="X1")
    end = at(600)
    statements: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = factory.runtime.engine
    with factory.runtime.session_factory() as s:
        scope = _scope(org)
        alone = day_figures(s, scope, day=DAY, now=end)
        lines = s.scalars(
            select(ProductionLine).where(ProductionLine.id.in_([ledger.line_id, foreign.line_id]))
        ).all()
        event.listen(engine, "before_cursor_execute", keep)
        try:
            # another organisation's line among those given is not taken for this one's
            given = day_figures(s, scope, day=DAY, now=end, lines=lines)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
    assert given == alone
    machines, per_line, _pareto = given
    # M01's ideal cycle (45 s) reaches its row; L1 with its two machines, by the line's code
    assert {m.code: m.ideal_cycle_s for m in machines} == {"M01": 45.0, "M02": None, "M03": None}
    assert [(line.code, line.machines) for line in per_line] == [("L1", 2)]
    assert not any("FROM masterdata_line" in sql for sql in statements)
    # the ideal cycle times come with the machines, in their statement
    (settings,) = [sql for sql in statements if "equipment_machine_setting" in sql]
    assert "FROM masterdata_machine" in settings


def test_a_period_is_checked(factory: Factory, plant: tuple[OrgRef, Ledger, Any]) -> None:
    org, _ledger, _admin = plant
    with factory.runtime.session_factory() as s, pytest.raises(ValidationFailed) as info:
        oee_by_line(s, _scope(org), day_from=DAY, day_to=date(2026, 3, 1))
    assert info.value.field == "day_to"


def test_the_api_returns_the_same_figures(plant: tuple[OrgRef, Ledger, TestClient]) -> None:
    _org, ledger, admin = plant
    day = DAY.isoformat()
    machines = admin.get(f"{API}/oee/machines", params={"day": day}).json()["items"]
    m01 = next(row for row in machines if row["code"] == "M01")
    assert m01["figures"]["availability"] == pytest.approx(M01_A)
    lines = admin.get(f"{API}/oee/lines", params={"from": day, "to": day}).json()["items"]
    assert lines[0]["figures"]["availability"] == pytest.approx(LINE_A)
    pareto = admin.get(f"{API}/oee/pareto", params={"from": day, "to": day}).json()["items"]
    assert pareto == [
        {"reason": "jam", "minutes": 30.0, "count": 1},
        {"reason": "needle", "minutes": 30.0, "count": 1},
    ]
    params = {"from": day, "to": day, "line_id": ledger.line_id}
    shifts = admin.get(f"{API}/oee/shifts", params=params).json()["items"]
    assert shifts[0]["day"] == day
    reversed_period = admin.get(f"{API}/oee/lines", params={"from": day, "to": "2026-03-01"})
    assert reversed_period.status_code == 422
    assert reversed_period.json()["error"]["message"] == "day_to: must not be before day_from"


def test_ideal_cycle_changes_are_validated_and_audited(
    plant: tuple[OrgRef, Ledger, TestClient],
) -> None:
    _org, ledger, admin = plant
    url = f"{API}/machines/{ledger.machine_ids['M02']}/ideal-cycle"
    for bad in ("abc", 0, -3, 1.0005):
        response = admin.put(url, json={"ideal_cycle_s": bad})
        assert response.status_code == 422, bad
        assert response.json()["error"]["message"].startswith("ideal_cycle_s:")
    assert admin.put(url, json={"ideal_cycle_s": "12.5"}).status_code == 200
    settings = admin.get(f"{API}/machines/settings").json()["items"]
    assert {row["code"]: row["ideal_cycle_s"] for row in settings} == {
        "M01": 45.0,
        "M02": 12.5,
        "M03": None,
    }
    events = admin.get("/api/v1/audit", params={"q": "equipment.", "limit": 10}).json()["items"]
    changes = [(e["after"]["code"], e["after"]["ideal_cycle_s"]) for e in reversed(events)]
    assert changes == [("M01", "45.000"), ("M02", "12.500")]
    assert events[0]["action"] == "equipment.machine.ideal_cycle_set"


def test_roles_and_tenants(factory: Factory, plant: tuple[OrgRef, Ledger, TestClient]) -> None:
    org, ledger, _admin = plant
    factory.user("vic", (org, Role.VIEWER))
    viewer = factory.client("vic")
    url = f"{API}/machines/{ledger.machine_ids['M01']}/ideal-cycle"
    assert viewer.get(f"{API}/oee/machines", params={"day": DAY.isoformat()}).status_code == 200
    assert viewer.put(url, json={"ideal_cycle_s": 5}).status_code == 403
    other = factory.org("other-plant")
    seed_ledger(factory.runtime.session_factory, other.id)
    factory.user("oscar", (other, Role.ADMIN))
    intruder = factory.client("oscar")
    # another factory's machine answers 404, and its figures show none of the plant's data
    assert intruder.put(url, json={"ideal_cycle_s": 5}).status_code == 404
    rows = intruder.get(f"{API}/oee/machines", params={"day": DAY.isoformat()}).json()["items"]
    assert {row["machine_id"] for row in rows}.isdisjoint(ledger.machine_ids.values())
    assert all(row["figures"]["good"] == 0 and row["ideal_cycle_s"] is None for row in rows)
    pareto = intruder.get(f"{API}/oee/pareto", params={"from": "2026-03-02", "to": "2026-03-02"})
    assert pareto.json()["items"] == []
