"""Hand edits: each one re-evaluates the plan at once, is saved as a revision and can be undone.

Loads in ten-thousandths of a minute (e4) from ``helpers.py``: A 4000, B 5000, C 3000, D 6000.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from loom.apps.balancing.service.edits import Edit, apply
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task
from loom.kernel.errors import ValidationFailed
from loom.testing.plugin import both_backends
from tests.apps.balancing.helpers import API, Shop, bad_fields, create_plan, station_of


def _edit(client: TestClient, plan: dict[str, Any], **body: Any) -> dict[str, Any]:
    response = client.post(f"{API}/plans/{plan['id']}/edits", json=body)
    assert response.status_code == 200, response.text
    edited: dict[str, Any] = response.json()
    return edited


def _codes(plan: dict[str, Any]) -> list[str]:
    return sorted(v["code"] for v in plan["violation_list"])


@both_backends
def test_moving_a_task_shows_the_new_figures_and_the_broken_rule(
    admin: TestClient, shop: Shop
) -> None:
    plan = create_plan(admin, shop, line=False)
    where_b = station_of(plan, shop.ops["B"])
    moved = _edit(admin, plan, op="move", station=where_b, task_id=shop.ops["B"], to_station=1)
    # station 1 now sews A and B: 4000 + 5000 = 9000 e4 > the 6000 cycle time
    assert moved["stations"][0]["load_e4"] == 9000
    assert moved["stations"][where_b - 1]["tasks"] == []
    figures = moved["figures"]
    assert figures["operators"] == 4  # the emptied station is still there
    assert figures["bottleneck_e4"] == 9000
    assert abs(figures["output_per_hour"] - 600_000 / 9000) < 1e-9  # 66.7 an hour
    assert abs(figures["balance_efficiency"] - 18_000 / (4 * 9000)) < 1e-9  # 0.5
    assert _codes(moved) == ["over_cycle"]
    assert moved["violation_list"][0]["station"] == 1
    assert moved["stations"][0]["violations"][0]["code"] == "over_cycle"
    assert moved["revision"] == 2
    assert moved["valid"] is False
    # the solver's answer stays as the baseline
    assert moved["solved_figures"]["bottleneck_e4"] == 6000

    trimmed = _edit(admin, moved, op="remove_station", station=where_b)
    assert trimmed["figures"]["operators"] == 3
    assert abs(trimmed["figures"]["balance_efficiency"] - 18_000 / (3 * 9000)) < 1e-9
    assert trimmed["revision"] == 3

    back = admin.post(f"{API}/plans/{plan['id']}/undo").json()
    assert back["revision"] == 2
    assert back["figures"]["operators"] == 4
    original = admin.post(f"{API}/plans/{plan['id']}/undo").json()
    assert original["revision"] == 1
    assert original["assignment"] == plan["assignment"]
    assert original["valid"] is True
    nothing = admin.post(f"{API}/plans/{plan['id']}/undo")
    assert nothing.status_code == 409
    revisions = admin.get(f"{API}/plans/{plan['id']}/revisions").json()
    assert [r["revision"] for r in revisions] == [1]
    assert revisions[0]["edit"] == {"op": "solve"}


def test_a_task_before_its_predecessors_is_flagged(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop, line=False)
    last = len(plan["stations"])
    moved = _edit(admin, plan, op="move", station=last, task_id=shop.ops["D"], to_station=1)
    # D on station 1 with A: 4000 + 6000 = 10000 e4 > 6000, and before both B and C
    assert _codes(moved) == ["over_cycle", "precedence", "precedence"]
    for v in moved["violation_list"]:
        if v["code"] == "precedence":
            assert v["task_code"] == "OP-D"
            assert v["station"] == 1


def test_sharing_a_task_adds_stations_and_unsharing_removes_them(
    admin: TestClient, shop: Shop
) -> None:
    plan = create_plan(admin, shop, line=False)
    where_b = station_of(plan, shop.ops["B"])
    shared = _edit(admin, plan, op="split", task_id=shop.ops["B"], parts=2)
    stations = shared["stations"]
    assert len(stations) == 5
    # the new share sits right after B's station; each share is 5000 / 2 = 2500 e4
    for number in (where_b, where_b + 1):
        assert [(t["id"], t["parts"]) for t in stations[number - 1]["tasks"]] == [
            (shop.ops["B"], 2)
        ]
        assert stations[number - 1]["load_e4"] == 2500
    assert shared["figures"]["bottleneck_e4"] == 6000
    assert abs(shared["figures"]["balance_efficiency"] - 18_000 / (5 * 6000)) < 1e-9  # 0.6
    assert shared["valid"] is True
    unshared = _edit(admin, shared, op="split", task_id=shop.ops["B"], parts=1)
    assert unshared["assignment"] == plan["assignment"]


def test_changing_an_operator_swaps_and_checks_the_skills(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    where_d = station_of(plan, shop.ops["D"])
    where_e4 = next(s["number"] for s in plan["stations"] if s["worker_code"] == "E4")
    swapped = _edit(admin, plan, op="operator", station=where_d, worker_id=shop.operators["E4"])
    workers = {s["number"]: s["worker_code"] for s in swapped["stations"]}
    assert workers[where_d] == "E4"
    assert workers[where_e4] == "E1"
    # E4 holds lockstitch grade 1; D needs grade 3. E1 (grade 3) may sew E4's grade-1 task.
    assert _codes(swapped) == ["skill"]
    assert swapped["violation_list"][0]["station"] == where_d
    emptied = _edit(admin, swapped, op="operator", station=where_d, worker_id=None)
    # a line's plan needs a named operator at every station; nobody lacks a skill any more
    assert _codes(emptied) == ["no_worker"]


def test_bad_edits_name_the_field(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    url = f"{API}/plans/{plan['id']}/edits"
    a = shop.ops["A"]
    where_a = station_of(plan, a)
    cases = [
        ({"op": "teleport"}, "op"),
        ({"op": "move", "station": 99, "task_id": a, "to_station": 1}, "station"),
        ({"op": "move", "station": where_a, "task_id": a, "to_station": 99}, "to_station"),
        ({"op": "move", "station": where_a, "task_id": a, "to_station": where_a}, "to_station"),
        ({"op": "move", "station": where_a, "task_id": 999_999, "to_station": 2}, "task_id"),
        ({"op": "operator", "station": 1, "worker_id": 999_999}, "worker_id"),
        ({"op": "split", "task_id": a, "parts": 9}, "parts"),
        ({"op": "split", "task_id": a, "parts": 1}, "parts"),  # not shared: nothing to undo
        ({"op": "add_station", "after": -1}, "after"),
        ({"op": "remove_station"}, "station"),
    ]
    for body, field in cases:
        assert bad_fields(admin.post(url, json=body)) == {field}, body
    assert admin.get(f"{API}/plans/{plan['id']}").json()["revision"] == 1


PROBLEM = LineProblem(
    tasks=(
        Task(1, "A", 4000, "lockstitch"),
        Task(2, "B", 5000, "lockstitch", predecessors=(1,)),
        Task(3, "C", 3000, "overlock", predecessors=(1,)),
    ),
    cycle_time_e4=6000,
)
THREE = Assignment((Station(None, ((1, 1),)), Station(None, ((3, 1),)), Station(None, ((2, 1),))))


def test_removing_the_first_station_hands_its_tasks_to_the_next() -> None:
    after = apply(PROBLEM, THREE, Edit("remove_station", station=1))
    assert after.stations == (Station(None, ((3, 1), (1, 1))), Station(None, ((2, 1),)))


def test_adding_a_station_first_and_removing_it_again() -> None:
    added = apply(PROBLEM, THREE, Edit("add_station", after=0))
    assert added.stations[0] == Station(None, ())
    assert apply(PROBLEM, added, Edit("remove_station", station=1)) == THREE


def test_unsharing_drops_stations_left_empty_but_keeps_others() -> None:
    shared = Assignment(
        (
            Station(None, ((1, 1),)),
            Station(None, ((2, 3),)),
            Station(None, ((2, 3), (3, 1))),
            Station(None, ((2, 3),)),
        )
    )
    after = apply(PROBLEM, shared, Edit("split", task_id=2, parts=1))
    # B stays whole on its first station; the second keeps C; the last, now empty, goes
    assert after.stations == (
        Station(None, ((1, 1),)),
        Station(None, ((2, 1),)),
        Station(None, ((3, 1),)),
    )


def test_a_share_cannot_join_another_share_of_the_same_task() -> None:
    shared = Assignment((Station(None, ((1, 2),)), Station(None, ((1, 2),))))
    with pytest.raises(ValidationFailed) as caught:
        apply(PROBLEM, shared, Edit("move", station=1, task_id=1, to_station=2))
    assert caught.value.field == "to_station"
    with pytest.raises(ValidationFailed) as caught:
        apply(PROBLEM, shared, Edit("remove_station", station=2))
    assert caught.value.field == "station"
