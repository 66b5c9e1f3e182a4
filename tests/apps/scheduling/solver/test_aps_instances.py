"""The benchmark's instance generator produces the shapes it promises, repeatably."""

from __future__ import annotations

from datetime import timedelta

from loom.apps.scheduling.solver.aps import dispatch_edd
from loom.apps.scheduling.solver.aps.instances import CATEGORIES, NATIONAL_DAY, generate


def test_generated_problem_has_the_promised_ranges() -> None:
    p = generate(5)
    assert (len(p.orders), len(p.lines)) == (200, 12)
    for line in p.lines:
        assert 1 <= len(line.categories) <= 3
        assert 20 <= line.operators <= 45
        assert 70 <= line.efficiency_pct <= 95
        assert line.calendar.holidays >= NATIONAL_DAY
    for category in CATEGORIES:
        assert sum(category in line.categories for line in p.lines) >= 2
        styles = {o.style for o in p.orders if o.category == category}
        assert len(styles) <= 20
    for o in p.orders:
        assert 300 <= o.quantity <= 5_000
        assert 1 <= o.weight <= 5
        assert 80_000 <= o.sam_e4 <= 600_000
        assert p.start <= o.release < o.due
    # work over nominal capacity of the eight weeks, as asked (load=1.0): within 10 %
    days = [p.start + timedelta(days=d) for d in range(56)]
    capacity = sum(
        sum(line.calendar.minutes_on(d) for d in days) * line.operators * line.efficiency_pct / 100
        for line in p.lines
    )
    work = sum(o.quantity * o.sam_e4 / 10_000 for o in p.orders)
    assert 0.9 <= work / capacity <= 1.1


def test_generation_is_repeatable_and_edd_is_late_on_many_orders() -> None:
    assert generate(5) == generate(5)
    assert generate(5) != generate(6)
    plan = dispatch_edd(generate(5))
    late = sum(a.tardy_days > 0 for a in plan.allocations)
    assert plan.unplanned == ()
    assert late >= 40
