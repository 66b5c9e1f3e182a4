"""Regression: a one-job instance says it stopped at "zero" only when its cost is zero.

Found by tests/properties/test_scheduling.py: ``sequence`` reported ``stopped == "zero"`` (a
cost of zero, hence optimal) for one late job costing 1.
"""

from __future__ import annotations

from loom.apps.scheduling.solver.wt import Job, sequence


def test_one_late_job_is_not_reported_as_zero() -> None:
    # p = 1, w = 1, d = 0: completes at 1, one unit late, cost 1 x 1 = 1
    result = sequence([Job(1, 1, 0)])
    assert (result.sequence, result.total_weighted_tardiness, result.stopped) == ((0,), 1, "single")


def test_one_job_on_time_stops_at_zero() -> None:
    result = sequence([Job(3, 2, 5)])
    assert (result.total_weighted_tardiness, result.stopped) == (0, "zero")
