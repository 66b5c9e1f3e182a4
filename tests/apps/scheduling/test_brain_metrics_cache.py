"""The planned load behind the brain's free minutes is kept per plan version, not rebuilt per read.

The world is test_brain_metrics's: line L1 (4 operators × 480 min, 80 %, grades 5, 3 and 1)
and L2. Plan P1 puts 600 pieces of 2 standard minutes on L1 on Monday 2026-03-09: 1 500
operator-minutes, so L1 has 1 920 − 1 500 = 420 free minutes that day. Plan P2 puts 300 pieces
there: 750 operator-minutes, 1 170 free. Either splits a third to each grade.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import Allocation, SchedulePlan
from loom.apps.scheduling.service import brain_metrics as bm
from loom.apps.scheduling.service.load_cache import ESTIMATE_SECONDS, LoadCache
from loom.apps.scheduling.service.plans import adopt
from loom.apps.scheduling.service.problem import problem_to_json
from loom.apps.scheduling.solver.model import Line, Order, Problem
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.apps.scheduling.test_brain_metrics import MONDAY, _lines, _plan


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Count the calls of brain_metrics' ``name`` (still calling it)."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(bm, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(bm, name, counted)
    return calls


def _l1_monday(factory: Factory, org: OrgRef) -> set[float]:
    """Return L1's free minutes on Monday per grade, as the brain reads them (fresh session)."""
    with (
        session_scope(factory.runtime.session_factory) as s,
        acting_as(s, system_scope(org.id, org.kind, "brain")) as scope,
    ):
        samples = bm.free_minutes(s, scope, MONDAY, MONDAY)
    return {round(x.numerator, 6) for x in samples if dict(x.dims)["category"] == "shirt"}


def _draft_p2(s: Session, org: int, line: int) -> int:
    problem = Problem(
        orders=(Order(1, "PO-1", "ST-1", "shirt", 300, 20_000, MONDAY, MONDAY),),
        lines=(Line(line, "L1", frozenset({"shirt"}), 4, efficiency_pct=80),),
        start=MONDAY,
    )
    plan = SchedulePlan(org_id=org, status="draft", start=MONDAY, inputs=problem_to_json(problem))
    s.add(plan)
    s.flush()
    s.add(
        Allocation(
            org_id=org,
            plan_id=plan.id,
            order_ref=1,
            order_code="PO-1",
            line_id=line,
            start=MONDAY,
            finish=MONDAY,
            due=MONDAY,
            quantity=300,
            daily=[["2026-03-09", 300]],
        )
    )
    s.flush()
    return plan.id


@both_backends
def test_a_second_read_reuses_the_load_and_an_adoption_changes_it(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    estimates = _counting(monkeypatch, "build_problem")
    stored = _counting(monkeypatch, "allocations_of")
    with session_scope(factory.runtime.session_factory) as s:
        lines = _lines(s, org.id)
    # no adopted plan: an estimate from today on, so Monday 2026-03-09 offers nothing
    assert _l1_monday(factory, org) == set() == _l1_monday(factory, org)
    assert (len(estimates), len(stored)) == (1, 0)

    with session_scope(factory.runtime.session_factory) as s:
        _plan(s, org.id, lines)  # P1, adopted
    assert _l1_monday(factory, org) == {140.0}  # 420 / 3
    assert _l1_monday(factory, org) == {140.0}
    assert (len(estimates), len(stored)) == (1, 1)  # P1's allocations were read once

    with session_scope(factory.runtime.session_factory) as s:
        p2 = _draft_p2(s, org.id, lines["L1"])
        with acting_as(s, system_scope(org.id, org.kind, "planner")) as scope:
            adopt(s, scope, p2)
    assert _l1_monday(factory, org) == {390.0}  # 1 170 / 3
    assert _l1_monday(factory, org) == {390.0}
    assert (len(estimates), len(stored)) == (1, 2)
    with session_scope(factory.runtime.session_factory) as s:
        statuses = s.scalars(select(SchedulePlan.status).order_by(SchedulePlan.id)).all()
    assert statuses == ["superseded", "adopted"]


def test_an_estimate_is_kept_for_a_while_a_plan_until_replaced() -> None:
    now = [1000.0]
    cache = LoadCache(max_entries=2, clock=lambda: now[0])
    # two databases (never connected to): each keeps its own loads
    engine, other = create_engine("sqlite://"), create_engine("sqlite://")
    day = date(2026, 3, 9)

    def build(minutes: float) -> Callable[[], tuple[date, dict[tuple[int, date], float]]]:
        return lambda: (day, {(1, day): minutes})

    get = cache.get_or_build
    assert get(engine, "estimate", build(1.0), ESTIMATE_SECONDS)[1] == {(1, day): 1.0}
    now[0] += ESTIMATE_SECONDS - 1
    assert get(engine, "estimate", build(2.0), ESTIMATE_SECONDS)[1] == {(1, day): 1.0}
    now[0] += 1  # expired exactly ESTIMATE_SECONDS after it was built
    assert get(engine, "estimate", build(3.0), ESTIMATE_SECONDS)[1] == {(1, day): 3.0}
    assert get(engine, "plan", build(4.0), None)[1] == {(1, day): 4.0}
    now[0] += 10 * ESTIMATE_SECONDS
    assert get(engine, "plan", build(5.0), None)[1] == {(1, day): 4.0}  # a plan never expires
    # another database keeps its own loads
    assert get(other, "plan", build(6.0), None)[1] == {(1, day): 6.0}
    # two entries per engine at most: a third evicts the least recently used ("estimate")
    assert get(engine, "plan-2", build(7.0), None)[1] == {(1, day): 7.0}
    assert get(engine, "estimate", build(8.0), None)[1] == {(1, day): 8.0}
    assert get(engine, "plan-2", build(9.0), None)[1] == {(1, day): 7.0}
    assert cache.builds == 6  # 1.0, 3.0, 4.0, 6.0, 7.0, 8.0
    with pytest.raises(TypeError):
        get(engine, "plan-2", build(0.0), None)[1][(1, day)] = 1.0  # type: ignore[index]


def test_the_estimate_is_per_day(factory: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    estimates = _counting(monkeypatch, "build_problem")
    with session_scope(factory.runtime.session_factory) as s:
        _lines(s, org.id)
    first = bm.today()
    _l1_monday(factory, org)
    monkeypatch.setattr(bm, "today", lambda: first + timedelta(days=1))
    _l1_monday(factory, org)
    assert len(estimates) == 2  # a new day: the estimate starts from the new today
