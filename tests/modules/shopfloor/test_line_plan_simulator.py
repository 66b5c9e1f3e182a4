"""The simulated floor follows a published line plan, so the demo does not fill the quarantine."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from loom.modules.masterdata.models import Workstation
from loom.modules.shopfloor.engine.simulation import SimOperation, SimOperator, crews, simulate
from loom.modules.shopfloor.models import Quarantined
from loom.modules.shopfloor.service.simulator import load_factory, payloads
from loom.testing.factory import Factory
from tests.modules.shopfloor.test_line_plan_scans import planned_plant

#: Monday 2026-03-02, 00:00 in Shanghai (the ingest accepts it: in the past, after 2000)
MONDAY = datetime(2026, 3, 2, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_simulator_scans_only_what_the_plan_assigns(factory: Factory) -> None:
    p = planned_plant(factory)
    sample = p.plant.sample
    line = sample.lines[0]
    # a scanner at every station of line 1, so that every scan there is checked
    with p.plant.session() as s:
        for n in range(2, len(p.codes) + 1):
            s.add(
                Workstation(
                    org_id=p.plant.org.id,
                    line_id=line,
                    code=f"WS-{n:02d}",
                    seq=n,
                    device_code=f"L1-{n:02d}",
                )
            )
    with p.plant.session() as s:
        loaded = load_factory(s, p.scope())
    # the plan gives the k-th operation to the k-th operator of line 1
    planned = {op: (p.codes[k],) for k, op in enumerate(sample.operations)}
    assert loaded.plans == {(line, sample.style_id): planned}
    scans = list(simulate(loaded, MONDAY, random.Random(3)))
    on_line = [s for s in scans if s.operator in p.codes]
    # 40 bundles through 9 operations on line 1, each done once
    assert sum(1 for s in on_line if s.kind == "done") == 40 * 9
    assert all(planned[s.operation] == (s.operator,) for s in on_line)

    # ingest agrees: nothing of the run is quarantined
    secret = factory.runtime.settings.secret_key
    events = list(payloads(scans, secret, p.plant.org.id, seed=3))
    answer = p.plant.post(events)
    assert (answer["accepted"], answer["quarantined"]) == (len(events), 0)

    # the same floor balanced by the simulator's own rule breaks the plan: the check bites
    free = dataclasses.replace(loaded, plans={})
    unplanned = [s for s in simulate(free, MONDAY, random.Random(3)) if s.operator in p.codes]
    assert any(planned[s.operation] != (s.operator,) for s in unplanned)


def test_an_operation_the_plan_leaves_open_goes_to_the_least_loaded() -> None:
    ops = [SimOperation(1, 1.0, "overlock", 1), SimOperation(2, 0.5, "overlock", 1)]
    skills = {"overlock": (3, 100)}
    a, b, c = (SimOperator(code, 1, f"d-{code}", skills) for code in "ABC")
    # operation 2's planned operator is absent; A is loaded with operation 1, B and C idle
    crew = crews([a, b, c], ops, {1: ("A",), 2: ("Z",)})
    assert [o.code for o in crew[1]] == ["A"]
    assert [o.code for o in crew[2]] == ["B"]  # B before C by code at equal (zero) load
    # without a plan the simulator balances on its own (both operations, every operator busy)
    assert {o.code for group in crews([a, b, c], ops, None).values() for o in group} == {
        "A",
        "B",
        "C",
    }


def test_the_quarantine_stays_empty_without_workstations(factory: Factory) -> None:
    """Scans from scanners no workstation holds are not checked (the plan knows no line)."""
    p = planned_plant(factory)
    with p.plant.session() as s:
        s.execute(Workstation.__table__.delete())
        loaded = load_factory(s, p.scope())
    free = dataclasses.replace(loaded, plans={})
    scans = [s for s in simulate(free, MONDAY, random.Random(4)) if s.kind == "done"][:200]
    secret = factory.runtime.settings.secret_key
    answer = p.plant.post(list(payloads(scans, secret, p.plant.org.id, seed=4)))
    assert answer["quarantined"] == 0
    with p.plant.session() as s:
        assert s.scalars(select(Quarantined)).all() == []
