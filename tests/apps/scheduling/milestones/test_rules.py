"""The date rules on plain values, each expected date worked out by hand in a comment."""

from __future__ import annotations

from datetime import date

import pytest

from loom.apps.scheduling.service.milestones_rules import (
    DEFAULT_OFFSETS,
    forecasts,
    judge,
    offset_problems,
    severity,
    targets,
)

DUE = date(2026, 12, 31)


def test_targets_are_the_due_date_plus_the_template_offsets() -> None:
    # 12-31 − 21 = 12-10, − 14 = 12-17, − 12 = 12-19, − 5 = 12-26, − 3 = 12-28, − 0 = 12-31
    assert targets(DUE, DEFAULT_OFFSETS) == {
        "fabric": date(2026, 12, 10),
        "cutting": date(2026, 12, 17),
        "sewing_start": date(2026, 12, 19),
        "sewing_finish": date(2026, 12, 26),
        "finishing": date(2026, 12, 28),
        "shipping": date(2026, 12, 31),
    }
    # across a month and a year: 2027-01-05 − 21 days = 2026-12-15
    assert targets(date(2027, 1, 5), DEFAULT_OFFSETS)["fabric"] == date(2026, 12, 15)


def test_without_an_adopted_plan_there_is_no_forecast() -> None:
    assert set(forecasts(targets(DUE, DEFAULT_OFFSETS), None).values()) == {None}


def test_the_forecast_moves_each_side_with_the_planned_sewing_window() -> None:
    planned = (date(2026, 12, 22), date(2026, 12, 24))
    got = forecasts(targets(DUE, DEFAULT_OFFSETS), planned)
    # sewing start planned 12-22 against target 12-19: +3 days for fabric, cutting, start;
    # sewing finish planned 12-24 against 12-26: −2 days for finishing and shipping
    assert got == {
        "fabric": date(2026, 12, 13),  # 12-10 + 3
        "cutting": date(2026, 12, 20),  # 12-17 + 3
        "sewing_start": date(2026, 12, 22),
        "sewing_finish": date(2026, 12, 24),
        "finishing": date(2026, 12, 26),  # 12-28 − 2
        "shipping": date(2026, 12, 29),  # 12-31 − 2
    }


def test_the_forecast_shifts_a_hand_set_target() -> None:
    moved = targets(DUE, DEFAULT_OFFSETS) | {"fabric": date(2026, 12, 1)}
    got = forecasts(moved, (date(2026, 12, 21), date(2026, 12, 30)))
    # +2 days on sewing start: the hand-set 12-01 becomes 12-03; +4 on finish: 12-31 → 01-04
    assert got["fabric"] == date(2026, 12, 3)
    assert got["shipping"] == date(2027, 1, 4)


TODAY = date(2026, 12, 17)


def test_a_target_of_today_is_not_late_yet_and_one_of_yesterday_is() -> None:
    on_time = judge(TODAY, None, None, TODAY)
    assert (on_time.status, on_time.days_late, on_time.severity, on_time.is_alert) == (
        "on_track",
        0,
        "",
        False,
    )
    late = judge(date(2026, 12, 16), None, None, TODAY)
    assert (late.status, late.days_late, late.severity, late.is_alert) == (
        "overdue",
        1,
        "minor",
        True,
    )


def test_a_forecast_later_than_the_target_is_an_alert_before_the_target_passes() -> None:
    ahead = judge(date(2026, 12, 20), date(2026, 12, 25), None, TODAY)
    # 12-25 − 12-20 = 5 days: major
    assert (ahead.status, ahead.days_late, ahead.severity) == ("at_risk", 5, "major")
    same = judge(date(2026, 12, 20), date(2026, 12, 20), None, TODAY)
    assert same.status == "on_track"
    earlier = judge(date(2026, 12, 20), date(2026, 12, 18), None, TODAY)
    assert earlier.status == "on_track"


def test_an_overdue_stage_counts_the_larger_lateness() -> None:
    # target 12-14: 3 days past on 12-17; forecast 12-24 is 10 days after it: 10, critical
    both = judge(date(2026, 12, 14), date(2026, 12, 24), None, TODAY)
    assert (both.status, both.days_late, both.severity) == ("overdue", 10, "critical")
    # a forecast before today does not shorten the 3 days already lost
    past = judge(date(2026, 12, 14), date(2026, 12, 15), None, TODAY)
    assert (past.status, past.days_late) == ("overdue", 3)


def test_a_stage_with_an_actual_date_is_never_an_alert() -> None:
    on_time = judge(date(2026, 12, 10), None, date(2026, 12, 10), TODAY)
    assert (on_time.status, on_time.days_late, on_time.is_alert) == ("done", 0, False)
    late = judge(date(2026, 12, 10), None, date(2026, 12, 12), TODAY)
    assert (late.status, late.days_late, late.severity, late.is_alert) == (
        "done_late",
        2,
        "",
        False,
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, ""), (1, "minor"), (3, "minor"), (4, "major"), (7, "major"), (8, "critical")],
)
def test_severity_thresholds(days: int, expected: str) -> None:
    assert severity(days) == expected


def test_offset_problems_name_each_bad_stage() -> None:
    assert offset_problems(DEFAULT_OFFSETS) == []
    bad = dict(DEFAULT_OFFSETS) | {"cutting": -22, "finishing": 61}
    del bad["shipping"]
    found = {p.field: p.template for p in offset_problems(bad)}
    # cutting −22 comes before fabric −21; finishing is above 60; shipping is missing
    assert found == {
        "cutting": "cannot come before the previous stage (%(days)s days)",
        "finishing": "a whole number of days from %(min)s to %(max)s",
        "shipping": "must not be empty",
    }
    # equal offsets are allowed: two stages may fall on the same day
    assert offset_problems(dict(DEFAULT_OFFSETS) | {"cutting": -21}) == []
