"""Target states at their boundaries: met, on track, at risk (Loom's pro-rata rule), missed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from loom.modules.programme.engine import (
    InvalidInput,
    Target,
    TargetState,
    builtin_plan,
    target_status,
)

START = date(2024, 1, 1)
#: ten things in 100 days: the pro-rata value is one per ten days
TEN = Target(
    id="ten",
    title="十个",
    metric="products_launched",
    comparator=">=",
    value=Decimal(10),
    unit="count",
    deadline=START + timedelta(days=100),
    sector=None,
    batch=None,
    source="",
)


def state(target: Target, actual: object, today: date) -> TargetState:
    return target_status(target, actual, today, START).state  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("actual", "day", "expected"),
    [
        (5, 50, TargetState.ON_TRACK),  # exactly the pro-rata 10 x 50/100 = 5
        (4, 50, TargetState.AT_RISK),  # one below it
        (Fraction(49, 10), 49, TargetState.ON_TRACK),  # 10 x 49/100 = 4.9
        (0, 0, TargetState.ON_TRACK),  # nothing is expected on the first day
        (0, -30, TargetState.ON_TRACK),  # nor before the programme starts
        (10, 1, TargetState.MET),
        (11, 200, TargetState.MET),
        (9, 100, TargetState.AT_RISK),  # the deadline day itself is still open
        (9, 101, TargetState.MISSED),  # the day after it is not
        (10, 101, TargetState.MET),
        (None, 50, TargetState.NO_DATA),
    ],
)
def test_a_count_target_at_its_boundaries(actual: object, day: int, expected: TargetState) -> None:
    assert state(TEN, actual, START + timedelta(days=day)) is expected


def test_the_status_carries_its_numbers() -> None:
    status = target_status(TEN, 4, START + timedelta(days=50), START)
    assert status.required == 10
    assert status.elapsed == Fraction(1, 2)
    assert status.expected_now == 5
    assert status.days_left == 50
    assert status.progress == Fraction(2, 5)


def test_an_exact_target_is_met_only_by_its_value() -> None:
    exact = replace(TEN, comparator="==")
    assert state(exact, 10, START + timedelta(days=50)) is TargetState.MET
    assert state(exact, 11, START + timedelta(days=50)) is TargetState.AT_RISK
    assert state(exact, 11, START + timedelta(days=101)) is TargetState.MISSED


def test_a_percent_target_takes_an_exact_share() -> None:
    plan = builtin_plan()
    share = plan.target("level2-share")  # 90% by 2025-12-31
    start = plan.programme_start
    assert target_status(share, Fraction(9, 10), date(2025, 12, 31), start).state is TargetState.MET
    # 26 of 29 is 89.66%: not met; missed the day after the deadline
    assert (
        target_status(share, Fraction(26, 29), date(2026, 1, 1), start).state is TargetState.MISSED
    )
    assert (
        target_status(share, Fraction(26, 29), date(2025, 12, 31), start).state
        is TargetState.AT_RISK
    )
    assert target_status(share, Decimal("0.9"), date(2026, 1, 1), start).state is TargetState.MET


def test_the_plans_pilot_target_prorated_from_september_2023() -> None:
    plan = builtin_plan()
    all_pilots = plan.target("all-pilots")  # 55 by 2025-12-31
    status = target_status(all_pilots, 31, date(2024, 12, 31), plan.programme_start)
    # 2023-09-01 to 2024-12-31 is 487 days of the 852 to 2025-12-31: 55 x 487/852 = 31.44
    assert status.elapsed == Fraction(487, 852)
    assert status.expected_now == Fraction(55 * 487, 852)
    assert status.state is TargetState.AT_RISK
    assert (
        target_status(all_pilots, 32, date(2024, 12, 31), plan.programme_start).state
        is TargetState.ON_TRACK
    )


@pytest.mark.parametrize("actual", [-1, 0.5, "3", True])
def test_an_actual_value_must_be_an_exact_number(actual: object) -> None:
    with pytest.raises(InvalidInput, match="actual"):
        target_status(TEN, actual, START, START)  # type: ignore[arg-type]
