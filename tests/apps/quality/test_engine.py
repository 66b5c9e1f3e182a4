"""DHU and Pareto engines, against sums done by hand."""

from __future__ import annotations

from decimal import Decimal

from loom.apps.quality.engine.dhu import (
    Checked,
    by_day,
    by_line,
    by_operation,
    by_operator,
    dhu,
    trend,
)
from loom.apps.quality.engine.pareto import pareto

RECORDS = [
    # line 1: 100 pieces, 5 defects (day 1) and 50 pieces, 4 defects (day 2)
    Checked(pieces=100, defects=5, line_id=1, day="2026-03-01", operator_id=7, operation_id=3),
    Checked(pieces=50, defects=4, line_id=1, day="2026-03-02", operator_id=8, operation_id=3),
    # line 2: 30 pieces, no defect, no operator (an end-of-line inspection)
    Checked(pieces=30, defects=0, line_id=2, day="2026-03-01"),
]


def test_dhu_is_defects_times_hundred_over_pieces() -> None:
    assert dhu(3, 10) == Decimal("30.00")
    assert dhu(1, 3) == Decimal("33.33")  # 100 / 3 = 33.333…
    assert dhu(2, 3) == Decimal("66.67")  # 200 / 3 = 66.666… rounds half up
    assert dhu(1, 8) == Decimal("12.50")
    assert dhu(5, 0) is None


def test_groups_sum_before_dividing() -> None:
    lines = {r.key: (r.pieces, r.defects, r.dhu) for r in by_line(RECORDS)}
    # line 1: (5 + 4) × 100 / (100 + 50) = 900 / 150 = 6.00, not the mean of 5.00 and 8.00
    assert lines == {1: (150, 9, Decimal("6.00")), 2: (30, 0, Decimal("0.00"))}
    days = [(r.key, r.dhu) for r in by_day(RECORDS)]
    # 03-01: 5 × 100 / 130 = 3.846… → 3.85; 03-02: 400 / 50 = 8.00
    assert days == [("2026-03-01", Decimal("3.85")), ("2026-03-02", Decimal("8.00"))]
    assert [(r.key, r.dhu) for r in by_operator(RECORDS)] == [
        (7, Decimal("5.00")),
        (8, Decimal("8.00")),
    ]
    assert [(r.key, r.pieces, r.dhu) for r in by_operation(RECORDS)] == [(3, 150, Decimal("6.00"))]


def test_trend_leaves_days_without_inspection_empty() -> None:
    got = trend(RECORDS, ["2026-03-01", "2026-03-02", "2026-03-03"])
    assert got == {
        1: [Decimal("5.00"), Decimal("8.00"), None],
        2: [Decimal("0.00"), None, None],
    }


def test_pareto_ranks_and_accumulates() -> None:
    rows = pareto([("SKIP", 5), ("THRD", 3), ("SKIP", 1), ("HOLE", 1), ("STAI", 0)])
    # SKIP 6, THRD 3, HOLE 1 of 10: shares 60.0, 30.0, 10.0; cumulative 60.0, 90.0, 100.0
    assert [(r.key, r.count, r.share, r.cumulative) for r in rows] == [
        ("SKIP", 6, Decimal("60.0"), Decimal("60.0")),
        ("THRD", 3, Decimal("30.0"), Decimal("90.0")),
        ("HOLE", 1, Decimal("10.0"), Decimal("100.0")),
    ]
    # thirds: 33.3 each, yet the running count makes the last cumulative exactly 100.0
    thirds = pareto([("A", 1), ("B", 1), ("C", 1)])
    assert [r.cumulative for r in thirds] == [Decimal("33.3"), Decimal("66.7"), Decimal("100.0")]
    assert pareto([]) == []
