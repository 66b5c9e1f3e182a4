"""Every plan the engine returns passes the independent checker, on varied random problems."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from loom.apps.scheduling.solver.aps import dispatch_edd, repair, schedule, simulate
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.model import Calendar, Problem
from tests.apps.scheduling.solver.aps_cases import MON, line, order, problem


def _random_problem(seed: int) -> Problem:
    """Return 12 orders on 3 lines with holidays, overtime, a closing line, short horizons."""
    rng = random.Random(seed)
    categories = ("a", "b", "c")
    orders = [
        order(
            n + 1,
            rng.randint(50, 3_000),
            style=rng.choice(("S1", "S2", "S3", "S4")),
            category=rng.choice(categories),
            sam=rng.choice((4.5, 9.9, 23.7, 55.0)),
            due=MON + timedelta(days=rng.randint(-10, 25)),  # some overdue already
            release=MON + timedelta(days=rng.randint(-3, 12)),
            weight=rng.randint(1, 5),
        )
        for n in range(12)
    ]
    lines = []
    for n in range(3):
        days = [MON + timedelta(days=d) for d in range(40)]
        lines.append(
            line(
                n + 1,
                operators=rng.randint(3, 40),
                efficiency=rng.randint(40, 100),
                categories=frozenset(rng.sample(categories, rng.randint(1, 2))),
                calendar=Calendar(
                    minutes=rng.choice((300, 480, 600)),
                    holidays=frozenset(rng.sample(days, 4)),
                    overtime={d: rng.choice((30, 120, 480)) for d in rng.sample(days, 6)},
                    open_until=rng.choice((None, MON + timedelta(days=rng.randint(5, 30)))),
                ),
                current_style=rng.choice((None, "S1", "S2")),
            )
        )
    return problem(
        orders,
        lines,
        ramp=rng.choice(((), (50,), (60, 75, 90), (30, 40, 55, 70, 85))),
        changeover=rng.choice((0, 45, 200)),
        horizon_days=rng.choice((10, 20, 45)),
    )


@pytest.mark.parametrize("seed", range(12))
def test_every_plan_is_feasible(seed: int) -> None:
    p = _random_problem(seed)
    rng = random.Random(seed)
    ids = [o.id for o in p.orders]
    rng.shuffle(ids)
    given = {1: ids[:4], 2: ids[4:8], 3: ids[8:]}  # anything, capable or not
    plans = {
        "given": simulate(p, given),
        "edd": dispatch_edd(p),
        "repair": repair(p, given),
        "schedule": schedule(p, iterations=3_000, seed=seed),
    }
    for name, plan in plans.items():
        assert violations(p, plan) == [], name
    # the optimiser starts from EDD among others and keeps its best: never worse
    key = {n: (len(x.unplanned), x.weighted_tardiness, x.changeovers) for n, x in plans.items()}
    assert key["schedule"] <= key["edd"]
    # repair keeps what fits and only adds: never more unplanned than the given sequences
    assert key["repair"][0] <= key["given"][0]
