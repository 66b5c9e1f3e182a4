"""The OEE engine on hand-computed shifts: messy reports never push a figure out of [0, 1]."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from loom.apps.equipment.engine.oee import (
    Counts,
    breakdown,
    combine,
    machine_oee,
    pareto,
)
from loom.apps.equipment.engine.shifts import ShiftPlan, shift_window
from loom.apps.equipment.engine.timeline import (
    DOWN,
    PLANNED_STOP,
    RUNNING,
    UNKNOWN,
    Span,
    StateReport,
    timeline,
)

DAY = date(2026, 3, 2)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
END = START + timedelta(hours=8)


def at(minutes: float) -> datetime:
    """Return the shift's start plus ``minutes``."""
    return START + timedelta(minutes=minutes)


def run(minute: float) -> StateReport:
    """Return a running report."""
    return StateReport(at(minute), RUNNING)


def down(minute: float, reason: str) -> StateReport:
    """Return a down report."""
    return StateReport(at(minute), DOWN, reason)


def minutes(value: float) -> float:
    """Return seconds as minutes."""
    return value / 60


def test_a_simple_shift_by_hand() -> None:
    # running 0-60, down (needle) 60-90, running 90-480; counts every 20 min keep it alive
    reports = [run(0), down(60, "needle"), run(90)]
    life = [at(m) for m in range(20, 480, 20)]
    segments = timeline(START, END, reports, life=life)
    time_ = breakdown(segments)
    assert (minutes(time_.running), minutes(time_.down), minutes(time_.unknown)) == (450, 30, 0)
    # 900 pieces, 30 rejects at 25 s each: 22,500 s of ideal time in 450 min = 27,000 s running
    result = machine_oee(segments, Counts(good=870, reject=30), 25.0)
    assert result.availability == pytest.approx(450 / 480)
    assert result.performance == pytest.approx(22_500 / 27_000)
    assert result.quality == pytest.approx(870 / 900)
    # 0.9375 × 0.8333… × 0.9666… = 0.755208…
    assert result.oee == pytest.approx(0.9375 * (22_500 / 27_000) * (870 / 900))
    assert not result.performance_capped


def test_out_of_order_and_duplicated_reports_give_the_same_timeline() -> None:
    ordered = [run(0), down(100, "thread"), run(130), down(300, "needle"), run(320)]
    messy = [ordered[3], ordered[0], ordered[4], ordered[1], ordered[0], ordered[2], ordered[3]]
    life = [at(m) for m in range(10, 480, 10)]
    assert timeline(START, END, messy, life=life) == timeline(START, END, ordered, life=life)
    result = machine_oee(timeline(START, END, messy, life=life), Counts(100, 0), None)
    # down 30 + 20 = 50 min of 480
    assert result.availability == pytest.approx(430 / 480)
    assert result.performance is None
    assert result.oee is None


def test_two_states_at_one_instant_resolve_to_the_more_severe() -> None:
    reports = [run(0), StateReport(at(0), DOWN, "jam"), run(30)]
    segments = timeline(START, at(60), reports, life=[at(45)])
    assert [(s.state, minutes(s.seconds)) for s in segments] == [(DOWN, 30), (RUNNING, 30)]


def test_overlapping_downtime_is_counted_once() -> None:
    # reported down 60-120 (needle); a hand-recorded breakdown 90-150 overlaps it by 30 min
    reports = [run(0), down(60, "needle"), run(120)]
    life = [at(m) for m in range(0, 480, 15)]
    extra = [Span(at(90), at(150), DOWN, "motor")]
    segments = timeline(START, END, reports, life=life, extra=extra)
    time_ = breakdown(segments)
    # down is the union 60-150 = 90 min, not 60 + 60 = 120
    assert minutes(time_.down) == 90
    assert minutes(time_.running) == 390
    assert time_.window == 480 * 60
    # the stoppage that began first names the overlap; the rest of the motor span follows it
    assert [(s.reason, minutes(s.seconds), s.count) for s in pareto(segments)] == [
        ("needle", 60, 1),
        ("motor", 30, 1),
    ]
    result = machine_oee(segments, Counts(1000, 0), 20.0)
    assert result.availability == pytest.approx(390 / 480)


def test_downtime_overlapping_a_break_is_planned_not_lost() -> None:
    # down 230-270 while lunch is 240-300 (a planned stop): only 230-240 is downtime
    reports = [run(0), down(230, "bobbin"), run(270)]
    life = [at(m) for m in range(0, 540, 10)]
    lunch = Span(at(240), at(300), PLANNED_STOP, "break")
    segments = timeline(START, at(540), reports, life=life, extra=[lunch])
    time_ = breakdown(segments)
    assert (minutes(time_.planned_stop), minutes(time_.down)) == (60, 10)
    # planned production time 540 - 60 = 480, running 470
    assert minutes(time_.planned) == 480
    assert machine_oee(segments, Counts(10, 0), 1.0).availability == pytest.approx(470 / 480)


def test_missing_data_is_unknown_time_not_running_nor_down() -> None:
    # running at 0 with signs of life until 60; silence until a count at 200; then running on
    reports = [run(0)]
    life = [at(30), at(60), *(at(m) for m in range(200, 480, 20))]
    segments = timeline(START, END, reports, life=life, max_silence=timedelta(minutes=30))
    time_ = breakdown(segments)
    # trusted until 60 + 30 = 90; unknown 90-200; running again from 200 to the end
    assert minutes(time_.unknown) == 110
    assert minutes(time_.running) == 90 + 280
    assert minutes(time_.down) == 0
    result = machine_oee(segments, Counts(100, 0), 60.0)
    # availability is judged on known time only: 370 / 370
    assert result.availability == 1.0
    assert "unknown_time" in result.notes


def test_before_the_first_report_the_state_is_unknown() -> None:
    segments = timeline(START, END, [run(120)], life=[at(m) for m in range(120, 480, 20)])
    assert segments[0].state == UNKNOWN
    assert minutes(segments[0].seconds) == 120


def test_a_report_before_the_window_carries_into_it() -> None:
    # down since 07:50 (10 min before the shift), running from 08:20
    reports = [down(-10, "setup"), run(20)]
    segments = timeline(START, at(60), reports, life=[at(0), at(40)])
    assert [(s.state, minutes(s.seconds)) for s in segments] == [(DOWN, 20), (RUNNING, 40)]


def test_an_interval_crossing_the_shift_end_is_cut_at_the_boundary() -> None:
    # down from 460 to 520: the shift (0-480) holds 20 min of it, the next shift the rest
    reports = [run(0), down(460, "oil"), run(520)]
    life = [at(m) for m in range(0, 600, 10)]
    first = breakdown(timeline(START, END, reports, life=life))
    second = breakdown(timeline(END, at(960), reports, life=life))
    assert minutes(first.down) == 20
    assert minutes(second.down) == 40
    assert first.window + second.window == 960 * 60


def test_zero_planned_time_leaves_every_figure_unknown() -> None:
    # a whole shift of planned stop: nothing to judge, and nothing divides by zero
    segments = timeline(
        START, END, [StateReport(at(0), PLANNED_STOP)], life=[at(m) for m in range(0, 480, 20)]
    )
    result = machine_oee(segments, Counts(0, 0), 30.0)
    assert breakdown(segments).planned == 0
    assert (result.availability, result.performance, result.quality, result.oee) == (
        None,
        None,
        None,
        None,
    )
    # an empty window (a line with 0 shift minutes) likewise
    assert timeline(START, START, [run(0)]) == []
    empty = machine_oee([], Counts(), 30.0)
    assert empty.availability is None
    assert empty.oee is None


def test_performance_is_capped_and_the_cap_reported() -> None:
    segments = timeline(START, at(60), [run(0)], life=[at(20), at(40)])
    # 200 pieces × 30 s = 6,000 s of ideal time in 3,600 s of running: 167 % capped at 100 %
    result = machine_oee(segments, Counts(200, 0), 30.0)
    assert result.performance == 1.0
    assert result.performance_capped
    assert result.oee == 1.0
    assert "performance_capped" in result.notes


def test_running_without_output_is_zero_not_unknown() -> None:
    segments = timeline(START, at(60), [run(0)], life=[at(20), at(40)])
    result = machine_oee(segments, Counts(0, 0), 30.0)
    assert (result.performance, result.quality, result.oee) == (0.0, None, 0.0)


def test_a_line_sums_before_dividing() -> None:
    # machine A: running 60 of 60 min, 100 pieces × 30 s; machine B: running 30 of 60, no ideal
    a = machine_oee(timeline(START, at(60), [run(0)], life=[at(20), at(40)]), Counts(100, 0), 30.0)
    b_reports = [run(0), down(30, "needle")]
    b = machine_oee(timeline(START, at(60), b_reports, life=[at(20), at(50)]), Counts(50, 50), None)
    line = combine([a, b])
    assert line.availability == pytest.approx(90 / 120)
    # performance only over machines with an ideal: 3,000 s ÷ 3,600 s
    assert line.performance == pytest.approx(3_000 / 3_600)
    # quality over all counts: 150 good of 200
    assert line.quality == pytest.approx(150 / 200)
    assert line.oee == pytest.approx(0.75 * (3_000 / 3_600) * 0.75)


def test_random_messy_streams_keep_every_figure_within_bounds() -> None:
    states = [RUNNING, "idle", DOWN, PLANNED_STOP]
    rng = random.Random(7)
    for _ in range(300):
        reports = [
            StateReport(at(rng.uniform(-60, 540)), rng.choice(states), rng.choice(["a", "b"]))
            for _ in range(rng.randint(0, 30))
        ]
        life = [at(rng.uniform(-60, 540)) for _ in range(rng.randint(0, 30))]
        extra = [
            Span(at(s), at(s + rng.uniform(-5, 90)), rng.choice(states), "x")
            for s in (rng.uniform(-60, 540) for _ in range(rng.randint(0, 5)))
        ]
        segments = timeline(START, END, reports, life=life, extra=extra)
        # the segments tile the window exactly, without overlap
        assert segments[0].start == START
        assert segments[-1].end == END
        assert all(x.end == y.start for x, y in itertools.pairwise(segments))
        good, reject = rng.randint(0, 2000), rng.randint(0, 100)
        result = machine_oee(segments, Counts(good, reject), rng.uniform(1, 60))
        for value in (result.availability, result.performance, result.quality, result.oee):
            assert value is None or 0.0 <= value <= 1.0


def test_a_shift_window_is_stretched_by_its_breaks() -> None:
    tz = UTC
    plan = ShiftPlan(time(8, 0), 480, ((time(12, 0), time(13, 0)), (time(18, 0), time(18, 30))))
    window = shift_window(DAY, plan, tz)
    # 4 h until lunch, lunch 1 h, 4 h after: 08:00-17:00; the 18:00 break is outside
    assert (window.start.hour, window.end.hour, window.end.minute) == (8, 17, 0)
    assert [(b.start.hour, b.end.hour) for b in window.breaks] == [(12, 13)]
    night = shift_window(DAY, ShiftPlan(time(22, 0), 480, ((time(2, 0), time(2, 30)),)), tz)
    # 22:00 + 8 h + 30 min break = 06:30 the next day; the break is on the next day
    assert night.end == datetime(2026, 3, 3, 6, 30, tzinfo=tz)
    assert night.breaks[0].start == datetime(2026, 3, 3, 2, 0, tzinfo=tz)
    assert shift_window(DAY, ShiftPlan(time(8, 0), 0), tz).end == window.start
