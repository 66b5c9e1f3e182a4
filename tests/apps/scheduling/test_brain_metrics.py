"""Planned utilisation and free operator-minutes, as the brain reads them.

Line L1 (shift 480 min) has a profile: sews shirt and tee, plans on 4 operators at 80 %,
works Monday to Friday, 2026-03-11 is a holiday and 2026-03-12 has 60 minutes of overtime.
Its active operators' best grades are 5, 3 and 1 (the last has no skill entry). Line L2
(shift 420 min) has no profile: any category, its one active operator (grade 2), Monday to
Saturday. The adopted plan starts on Monday 2026-03-09 and puts an order of 2 standard
minutes per piece on L1: 600 pieces on 03-09 and 300 on 03-10, i.e. 600 × 2 / 0.8 = 1 500 and
300 × 2 / 0.8 = 750 operator-minutes.

Available operator-minutes: L1 4 × 480 = 1 920 (03-12: 4 × 540 = 2 160; 03-11, Saturday and
Sunday: 0); L2 1 × 420 = 420 (Sunday: 0).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import Allocation, LineProfile, SchedulePlan
from loom.apps.scheduling.service import brain_metrics as bm
from loom.apps.scheduling.service.plans import today
from loom.apps.scheduling.service.problem import problem_to_json
from loom.apps.scheduling.solver.model import Line, Order, Problem
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.spec import MetricProvider, MetricSample
from loom.kernel.tenancy.models import OrgKind
from loom.modules.masterdata.models import Operator, OperatorSkill, ProductionLine
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends

MONDAY = date(2026, 3, 9)


def _lines(s: Session, org: int) -> dict[str, int]:
    l1 = ProductionLine(org_id=org, code="L1", name="一线", shift_minutes=480)
    l2 = ProductionLine(org_id=org, code="L2", name="二线", shift_minutes=420)
    s.add_all([l1, l2])
    s.flush()
    s.add(
        LineProfile(
            org_id=org,
            line_id=l1.id,
            categories=["shirt", "tee"],
            operators=4,
            efficiency_pct=80,
            weekdays=[0, 1, 2, 3, 4],
            holidays=["2026-03-11"],
            overtime={"2026-03-12": 60},
        )
    )
    people = [
        Operator(org_id=org, code=code, name=code, line_id=line)
        for code, line in (("W1", l1.id), ("W2", l1.id), ("W3", l1.id), ("W4", l2.id))
    ]
    people.append(Operator(org_id=org, code="W5", name="W5", line_id=l1.id, active=False))
    s.add_all(people)
    s.flush()
    for who, machine, grade in (
        (people[0], "lockstitch", 3),
        (people[0], "overlock", 5),
        (people[1], "lockstitch", 3),
        (people[3], "lockstitch", 2),
        (people[4], "lockstitch", 4),  # inactive: not counted
    ):
        s.add(OperatorSkill(org_id=org, operator_id=who.id, machine_type=machine, grade=grade))
    s.flush()
    return {"L1": l1.id, "L2": l2.id}


def _plan(s: Session, org: int, lines: dict[str, int]) -> None:
    problem = Problem(
        orders=(Order(1, "PO-1", "ST-1", "shirt", 900, 20_000, MONDAY, MONDAY),),
        lines=(Line(lines["L1"], "L1", frozenset({"shirt"}), 4, efficiency_pct=80),),
        start=MONDAY,
    )
    plan = SchedulePlan(org_id=org, status="adopted", start=MONDAY, inputs=problem_to_json(problem))
    s.add(plan)
    s.flush()
    s.add(
        Allocation(
            org_id=org,
            plan_id=plan.id,
            order_ref=1,
            order_code="PO-1",
            line_id=lines["L1"],
            start=MONDAY,
            finish=MONDAY + timedelta(days=1),
            due=MONDAY,
            quantity=900,
            daily=[["2026-03-09", 600], ["2026-03-10", 300]],
        )
    )
    s.flush()


def _read(
    factory: Factory,
    org: OrgRef,
    provider: MetricProvider,
    start: date,
    end: date,
    plan: bool = True,
) -> list[MetricSample]:
    with session_scope(factory.runtime.session_factory) as s:
        lines = _lines(s, org.id)
        if plan:
            _plan(s, org.id, lines)
        with acting_as(s, system_scope(org.id, org.kind, "brain")) as scope:
            return list(provider(s, scope, start, end))


def test_utilisation_is_planned_over_available_minutes(factory: Factory) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    # from a week before the plan: those days' load is unknown, so they offer nothing
    samples = _read(factory, org, bm.utilisation, MONDAY - timedelta(days=7), date(2026, 3, 15))
    got = [(s.day.day, s.numerator, s.denominator) for s in samples]
    assert got == [
        (9, 1500.0, 2340.0),
        (10, 750.0, 2340.0),
        (11, 0.0, 420.0),
        (12, 0.0, 2580.0),
        (13, 0.0, 2340.0),
        (14, 0.0, 420.0),
    ]


@both_backends
def test_free_minutes_by_category_and_skill(factory: Factory) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    samples = _read(factory, org, bm.free_minutes, MONDAY, MONDAY + timedelta(days=3))
    got = {
        (s.day.day, dict(s.dims)["category"], dict(s.dims)["skill"]): s.numerator for s in samples
    }
    expected: dict[tuple[int, str, str], float] = {}
    # L1's free minutes (1 920 − 1 500 = 420; 1 920 − 750 = 1 170; holiday; 2 160) split a
    # third to each of grades 5, 3 and 1, under each of its categories
    for day, free in ((9, 420.0), (10, 1170.0), (12, 2160.0)):
        for category in ("shirt", "tee"):
            for grade in ("1", "3", "5"):
                expected[(day, category, grade)] = free / 3
    # L2: all 420 minutes free every weekday, any category, grade 2
    for day in (9, 10, 11, 12):
        expected[(day, "*", "2")] = 420.0
    assert got == expected


def test_without_a_plan_the_open_orders_are_dispatched_from_today(factory: Factory) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    first = today()
    samples = _read(
        factory, org, bm.free_minutes, first - timedelta(days=7), first + timedelta(days=6), False
    )
    # no open orders: every working minute from today on is free; nothing before today
    days = {s.day for s in samples}
    assert min(days) >= first
    l2 = {s.day: s.numerator for s in samples if dict(s.dims) == {"category": "*", "skill": "2"}}
    expected = {
        first + timedelta(days=n): 420.0
        for n in range(7)
        if (first + timedelta(days=n)).weekday() != 6
    }
    assert l2 == expected
