"""The figures' arithmetic on hand-made numbers: WIP, progress, efficiency, exact decimals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

from loom.modules.shopfloor.engine.figures import (
    Step,
    day_window,
    efficiency,
    final_operation,
    grouped_e4,
    local_label,
    local_time,
    month_window,
    percent,
    plain_e4,
    progress,
    wip_by_operation,
)

# 1 → (2, 3) → 4: two branches after the first operation, joined at the last
ROUTING = [Step(1, 1), Step(2, 2, (1,)), Step(3, 3, (1,)), Step(4, 4, (2, 3))]


def test_wip_takes_the_scarcest_predecessor_and_the_cut_pieces_at_the_start() -> None:
    done = {1: 60, 2: 45, 3: 25, 4: 20}
    # 80 cut − 60; 60 − 45; 60 − 25; min(45, 25) − 20
    assert wip_by_operation(ROUTING, done, 80) == {1: 20, 2: 15, 3: 35, 4: 5}


def test_wip_never_goes_below_zero_and_ignores_stale_predecessors() -> None:
    # more done at 2 than arrived from 1 (a scan out of order) is not negative WIP
    assert wip_by_operation(ROUTING, {1: 10, 2: 12}, 10) == {1: 0, 2: 0, 3: 10, 4: 0}
    stale = [Step(7, 1), Step(8, 2, (7, 99))]  # 99 left the routing
    assert wip_by_operation(stale, {7: 5}, 9) == {7: 4, 8: 5}
    assert wip_by_operation([], {1: 3}, 9) == {}


def test_final_operation_and_progress() -> None:
    assert final_operation(ROUTING) == 4
    assert final_operation([Step(5, 9), Step(6, 2)]) == 5  # highest seq, not list order
    assert final_operation([]) is None
    assert progress(20, 100) == Fraction(1, 5)
    assert progress(3, 0) == 0


def test_efficiency_counts_sixty_minutes_per_operator_hour() -> None:
    # 175 earned minutes over 5 operator-hours (300 attended minutes)
    assert efficiency(1_750_000, 5) == Fraction(175, 300)
    assert percent(efficiency(1_750_000, 5)) == "58.3"
    assert efficiency(1, 0) is None
    assert percent(None) is None


def test_percent_rounds_half_up_exactly() -> None:
    assert percent(Fraction(1, 8)) == "12.5"
    assert percent(Fraction(1, 8), 0) == "13"  # 12.5 → 13, not banker's 12
    assert percent(Fraction(2, 3)) == "66.7"
    assert percent(Fraction(0)) == "0.0"
    assert percent(Fraction(-1, 8), 0) == "-13"


def test_money_and_minutes_format_from_integers() -> None:
    assert plain_e4(123_350) == "12.335"
    assert plain_e4(120_000) == "12.00"
    assert plain_e4(350, 4) == "0.0350"
    assert plain_e4(0) == "0.00"
    assert grouped_e4(12_345_678_900) == "1,234,567.89"
    assert grouped_e4(12_345_678_901) == "1,234,567.8901"


def test_local_days_and_hours_are_beijing_time() -> None:
    start, end = day_window(date(2026, 3, 10))
    assert start == datetime(2026, 3, 9, 16, tzinfo=UTC)
    assert end == datetime(2026, 3, 10, 16, tzinfo=UTC)
    assert local_label(datetime(2026, 3, 10, 0, tzinfo=UTC)) == "08:00"
    assert month_window(date(2026, 12, 1)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert month_window(date(2026, 3, 1)) == (date(2026, 3, 1), date(2026, 4, 1))


def test_local_time_is_beijing_time() -> None:
    assert local_time(datetime(2026, 3, 9, 16, 5, tzinfo=UTC)) == "2026-03-10 00:05"
    assert local_time(None) == "—"
