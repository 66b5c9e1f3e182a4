"""The free operator-minutes in three statements per enterprise, and every change read at once.

Same enterprise as test_brain_metrics (L1: 4 planned operators at 80 %, grades 5/3/1, Monday to
Friday; L2: no profile, one operator of grade 2, Monday to Saturday; the adopted plan loads L1
with 1 500 and 750 operator-minutes on 03-09 and 03-10), plus an inactive sewing line and a
cutting line, each with an active operator, which offer nothing.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import event, update

from loom.apps.scheduling.models.plans import LineProfile
from loom.apps.scheduling.service import brain_metrics as bm
from loom.apps.scheduling.service.profiles import line_views, sewing_line_views, sewing_lines
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.modules.masterdata.models import Operator, ProductionLine
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.apps.scheduling.test_brain_metrics import MONDAY, _lines, _plan

THURSDAY = MONDAY + timedelta(days=3)


def _seed(factory: Factory) -> tuple[OrgRef, dict[str, int]]:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    with session_scope(factory.runtime.session_factory) as s:
        lines = _lines(s, org.id)
        _plan(s, org.id, lines)
        idle = ProductionLine(
            org_id=org.id, code="L0", name="停线", shift_minutes=480, active=False
        )
        cutting = ProductionLine(org_id=org.id, code="C1", name="裁床", kind="cutting")
        s.add_all([idle, cutting])
        s.flush()
        for code, line in (("W8", idle.id), ("W9", cutting.id)):
            s.add(Operator(org_id=org.id, code=code, name=code, line_id=line))
    return org, lines


def _free(
    factory: Factory, org: OrgRef, counted: list[str] | None = None
) -> dict[tuple[int, ...], float]:
    def note(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        if counted is not None:
            counted.append(sql)

    engine = factory.runtime.engine
    with (
        session_scope(factory.runtime.session_factory) as s,
        acting_as(s, system_scope(org.id, org.kind, "brain")) as scope,
    ):
        bm.planned_load(s, scope)  # the plan's load is kept between reads (load_cache)
        event.listen(engine, "before_cursor_execute", note)
        try:
            samples = bm.free_minutes(s, scope, MONDAY, THURSDAY)
        finally:
            event.remove(engine, "before_cursor_execute", note)
    return {(x.day.day, *(v for _, v in x.dims)): x.numerator for x in samples}


@both_backends
def test_free_minutes_take_three_statements_and_skip_other_lines(
    loom_app: FastAPI, factory: Factory
) -> None:
    org, _ = _seed(factory)
    counted: list[str] = []
    got = _free(factory, org, counted)
    # the adopted plan, the lines with their profiles, the active operators with their grades
    assert len(counted) == 3, counted
    # L1 free: 420, 1 170, holiday, 2 160, a third per grade under each category; L2 all free
    expected = {
        (day, category, grade): free / 3
        for day, free in ((9, 420.0), (10, 1170.0), (12, 2160.0))
        for category in ("shirt", "tee")
        for grade in ("1", "3", "5")
    }
    expected |= {(day, "*", "2"): 420.0 for day in (9, 10, 11, 12)}
    assert got == expected


@both_backends
def test_a_change_to_calendars_lines_or_operators_shows_on_the_next_read(
    loom_app: FastAPI, factory: Factory
) -> None:
    org, lines = _seed(factory)
    assert _free(factory, org)[(10, "*", "2")] == 420.0
    with session_scope(factory.runtime.session_factory) as s:
        # L1 gets 03-10 off too; L2 loses its only operator to L1 (now grades 5, 3, 2, 1)
        s.execute(
            update(LineProfile)
            .where(LineProfile.line_id == lines["L1"])
            .values(holidays=["2026-03-10", "2026-03-11"])
        )
        s.execute(update(Operator).where(Operator.code == "W4").values(line_id=lines["L1"]))
    got = _free(factory, org)
    # L1 plans on 4 operators whatever its headcount: 420 free on 03-09, a quarter per grade;
    # 03-10 is a holiday (its planned 750 minutes find no time); L2 has no one left
    assert {key for key in got if key[0] == 10} == set()
    assert got[(9, "shirt", "2")] == 420.0 / 4
    assert got[(12, "tee", "5")] == 2160.0 / 4
    assert not any(category == "*" for _, category, _ in got)


def test_sewing_line_views_match_line_views(loom_app: FastAPI, factory: Factory) -> None:
    org, _ = _seed(factory)
    with (
        session_scope(factory.runtime.session_factory) as s,
        acting_as(s, system_scope(org.id, org.kind, "brain")) as scope,
    ):
        one = sewing_line_views(s, scope)
        two = line_views(s, scope, sewing_lines(s, scope))
        assert [v.line.code for v in one] == ["L1", "L2"]
        assert [(v.line.id, v.operators, v.active_operators, v.categories) for v in one] == [
            (v.line.id, v.operators, v.active_operators, v.categories) for v in two
        ]
        assert [(v.weekdays, v.holidays, v.overtime) for v in one] == [
            (v.weekdays, v.holidays, v.overtime) for v in two
        ]
