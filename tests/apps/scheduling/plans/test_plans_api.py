"""Planning the worked example over the API: figures, allocations, adopt, discard, load."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.apps.scheduling.plans.conftest import SCHEDULING, Seed, run_plan


def _by_code(plan: dict) -> dict[str, dict]:
    return {a["order_code"]: a for a in plan["allocations"]}


def test_the_worked_example_is_planned_optimally(admin: TestClient, seeded: Seed) -> None:
    plan = run_plan(admin)
    # conftest: B then A on L1, C on L2; A finishes Wednesday, a day after its Tuesday due
    assert plan["status"] == "draft"
    assert plan["kind"] == "plan"
    assert (plan["weighted_tardiness"], plan["late_days"], plan["late_orders"]) == (1, 1, 1)
    assert plan["changeovers"] == 0
    assert plan["unplanned"] == []
    got = _by_code(plan)
    assert got["PO-B"]["line_id"] == seeded.l1
    assert got["PO-B"]["seq"] == 1
    assert (got["PO-B"]["start"], got["PO-B"]["finish"]) == ("2026-12-07", "2026-12-07")
    assert got["PO-A"]["line_id"] == seeded.l1
    assert got["PO-A"]["seq"] == 2
    assert (got["PO-A"]["start"], got["PO-A"]["finish"]) == ("2026-12-08", "2026-12-09")
    assert got["PO-A"]["tardy_days"] == 1
    # 480 pieces a day: 480 on Tuesday and 480 on Wednesday
    assert got["PO-A"]["daily"] == [["2026-12-08", 480], ["2026-12-09", 480]]
    assert got["PO-C"]["line_id"] == seeded.l2
    assert (got["PO-C"]["start"], got["PO-C"]["finish"], got["PO-C"]["tardy_days"]) == (
        "2026-12-07",
        "2026-12-07",
        0,
    )
    # the EDD baseline takes B (due Mon, first by id among Monday's), C, then A: the same plan
    assert (plan["edd_weighted_tardiness"], plan["edd_late_days"]) == (1, 1)


def test_defaults_come_from_the_master_data(admin: TestClient, seeded: Seed) -> None:
    order = admin.get(f"{SCHEDULING}/orders/{seeded.orders['A']}").json()
    # SAM from the routing: one operation of 1.0000 minute
    assert order["sam"] == order["routing_sam"] == "1.0000"
    assert order["total_qty"] == 960
    assert order["weight"] == 1
    assert order["category"] == "woven"
    line = admin.get(f"{SCHEDULING}/lines/{seeded.l1}").json()
    # no operator is assigned to the line in the master data: the profile's 1 counts
    assert (line["operators"], line["active_operators"], line["operators_set"]) == (1, 0, True)
    assert line["weekdays"] == [0, 1, 2, 3, 4, 5]
    assert line["shift_minutes"] == 480


def test_adopt_supersedes_and_windows_follow(admin: TestClient, seeded: Seed) -> None:
    first = run_plan(admin)
    assert admin.get(f"{SCHEDULING}/plans/current").status_code == 404
    adopted = admin.post(f"{SCHEDULING}/plans/{first['id']}/adopt")
    assert adopted.status_code == 200
    assert adopted.json()["status"] == "adopted"
    second = run_plan(admin)
    assert admin.post(f"{SCHEDULING}/plans/{second['id']}/adopt").status_code == 200
    assert admin.get(f"{SCHEDULING}/plans/{first['id']}").json()["status"] == "superseded"
    assert admin.get(f"{SCHEDULING}/plans/current").json()["id"] == second["id"]
    # only a draft can be adopted, and the current plan cannot be discarded
    assert admin.post(f"{SCHEDULING}/plans/{first['id']}/adopt").status_code == 409
    assert admin.delete(f"{SCHEDULING}/plans/{second['id']}").status_code == 409
    assert admin.delete(f"{SCHEDULING}/plans/{first['id']}").status_code == 204
    assert admin.get(f"{SCHEDULING}/plans/{first['id']}").status_code == 404


def test_weekly_load_against_capacity(admin: TestClient, seeded: Seed) -> None:
    plan = run_plan(admin)
    weeks = admin.get(f"{SCHEDULING}/plans/{plan['id']}/load").json()
    by_line = {w["line_id"]: w for w in weeks}
    assert len(weeks) == 2  # one week (Mon 12-07 … Sun 12-13), two lines
    # capacity: 6 working days × 480 minutes × 1 operator × 100 % = 2,880 standard minutes
    # load on L1: (480 + 960) pieces × 1.00 minute = 1,440 → 50 %; on L2: 480 → 17 %
    assert by_line[seeded.l1] == {
        "line_id": seeded.l1,
        "week": "2026-12-07",
        "capacity_minutes": 2880,
        "load_minutes": 1440,
        "load_pct": 50,
    }
    assert (by_line[seeded.l2]["load_minutes"], by_line[seeded.l2]["load_pct"]) == (480, 17)


def test_finished_and_unrouted_orders_are_left_out(admin: TestClient, seeded: Seed) -> None:
    from tests.apps.scheduling.plans.conftest import MASTERDATA, SHOPFLOOR, created

    bare = created(
        admin,
        f"{MASTERDATA}/styles",
        {"code": "NO-ROUTE", "name": "无工序", "colours": ["白"], "sizes": ["M"]},
    )
    order = created(
        admin,
        f"{SHOPFLOOR}/orders",
        {
            "number": "PO-X",
            "style_id": bare["id"],
            "due_date": "2026-12-09",
            "quantities": {"白": {"M": 10}},
        },
    )
    plan = run_plan(admin)
    assert plan["skipped"] == [
        {"order_id": order["id"], "number": "PO-X", "reason": "no SAM: route the style first"}
    ]
    assert "PO-X" not in _by_code(plan)


def _fields(response: object) -> set[str]:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    return {d["field"] for d in response.json()["error"]["details"]}  # type: ignore[attr-defined]


def test_bad_profiles_and_attributes_name_every_field(admin: TestClient, seeded: Seed) -> None:
    profile = {
        "categories": ["", "x" * 41],
        "operators": -1,
        "efficiency_pct": 0,
        "weekdays": [7],
        "overtime": {"2026-12-07": 0},
    }
    assert _fields(admin.put(f"{SCHEDULING}/lines/{seeded.l1}", json=profile)) == {
        "categories[0]",
        "categories[1]",
        "operators",
        "efficiency_pct",
        "weekdays",
        "overtime.2026-12-07",
    }
    attrs = {"weight": 0, "sam": "-1", "category": "y" * 41}
    assert _fields(admin.put(f"{SCHEDULING}/orders/{seeded.orders['A']}", json=attrs)) == {
        "weight",
        "sam",
        "category",
    }
    assert _fields(admin.post(f"{SCHEDULING}/plans", json={"time_limit": 0})) == {"time_limit"}
    assert _fields(admin.post(f"{SCHEDULING}/plans", json={"start": "someday"})) == {"start"}
    # the planner's horizon (a year) must stay inside the calendar
    assert _fields(admin.post(f"{SCHEDULING}/plans", json={"start": "9999-12-01"})) == {"start"}
    # nothing was saved
    assert admin.get(f"{SCHEDULING}/lines/{seeded.l1}").json()["efficiency_pct"] == 100
