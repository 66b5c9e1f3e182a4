"""Register differences, multipliers, rollovers, replacements, periods and their daily spread."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from loom.apps.energy.engine.consumption import spread_by_day
from loom.apps.energy.engine.readings import (
    DROPPED,
    LOCAL_TZ,
    Interval,
    Reading,
    check_register,
    period_intervals,
    register_intervals,
)

E4 = 10_000


def at(day: int, hour: int = 0) -> datetime:
    """Return 2025-03-<day> <hour>:00 China time."""
    return datetime(2025, 3, day, hour, tzinfo=LOCAL_TZ)


def r(day: int, value: str, hour: int = 0, **more: object) -> Reading:
    return Reading(at=at(day, hour), value_e4=int(Decimal(value) * E4), **more)  # type: ignore[arg-type]


def test_consumption_is_the_difference_times_the_multiplier() -> None:
    # (1 100 − 1 000) × 40 = 4 000 and (1 250 − 1 100) × 40 = 6 000 (CT ratio 200/5 = 40)
    readings = [r(2, "1000", multiplier_e4=40 * E4), r(3, "1100", multiplier_e4=40 * E4)]
    readings.append(r(4, "1250", multiplier_e4=40 * E4))
    found, skipped = register_intervals(list(reversed(readings)), None)
    assert [i.amount for i in found] == [Decimal(4000), Decimal(6000)]
    assert skipped == 0


def test_a_rollover_adds_what_was_left_before_the_dial_restarted() -> None:
    # a six-digit dial: 999 900 → 1 000 000 is 100, then 0 → 50 is 50: 150 in all
    found, _ = register_intervals([r(2, "999900"), r(3, "50", event="rollover")], 1_000_000 * E4)
    assert [i.amount for i in found] == [Decimal(150)]


def test_a_replacement_counts_the_old_meter_to_its_final_figure() -> None:
    # old meter 5 000 → its final 5 120 (120), new meter starts at 3 and reads 33 (30)
    replaced = r(3, "3", event="replaced", old_final_e4=5120 * E4)
    found, _ = register_intervals([r(2, "5000"), replaced, r(4, "33")], None)
    assert [i.amount for i in found] == [Decimal(120), Decimal(30)]


def test_a_drop_left_in_stored_data_is_skipped_and_counted() -> None:
    found, skipped = register_intervals([r(2, "500"), r(3, "400"), r(4, "450")], None)
    assert [i.amount for i in found] == [Decimal(50)]
    assert skipped == 1


def test_a_lower_figure_is_refused_unless_marked() -> None:
    refusal = check_register(r(3, "400"), r(2, "500"), None, None)
    assert refusal is not None
    assert refusal.field == "value"
    assert refusal.template == DROPPED
    # a rollover needs the dial's maximum…
    marked = check_register(r(3, "400", event="rollover"), r(2, "500"), None, None)
    assert marked is not None
    assert marked.field == "event"
    # …and with it the same figure is accepted as a rollover
    assert check_register(r(3, "400", event="rollover"), r(2, "500"), None, 1000 * E4) is None
    # a "rollover" that is not lower is no rollover
    higher = check_register(r(3, "600", event="rollover"), r(2, "500"), None, 1000 * E4)
    assert higher is not None
    assert higher.field == "event"


def test_a_reading_must_fit_below_the_next_one_and_below_the_maximum() -> None:
    between = check_register(r(3, "700"), r(2, "500"), r(4, "600"), None)
    assert between is not None
    assert between.field == "value"
    assert check_register(r(3, "550"), r(2, "500"), r(4, "600"), None) is None
    over = check_register(r(3, "1000"), r(2, "500"), None, 1000 * E4)
    assert over is not None
    assert over.field == "value"


def test_a_replacement_needs_the_old_final_figure_not_below_the_previous() -> None:
    missing = check_register(r(3, "3", event="replaced"), r(2, "500"), None, None)
    assert missing is not None
    assert missing.field == "old_final"
    low = check_register(
        r(3, "3", event="replaced", old_final_e4=400 * E4), r(2, "500"), None, None
    )
    assert low is not None
    assert low.field == "old_final"


def test_an_interval_spreads_over_days_by_its_hours() -> None:
    # 240 kWh from 2 March 08:00 to 3 March 08:00: 16 h on the 2nd (160), 8 h on the 3rd (80)
    days = spread_by_day([Interval(at(2, 8), at(3, 8), Decimal(240))])
    assert days == {date(2025, 3, 2): Decimal(160), date(2025, 3, 3): Decimal(80)}


def test_a_period_spreads_evenly_over_its_days() -> None:
    # a bill of 310 m³ for 1–31 March: 10 m³ a day
    start = at(1)
    bill = Reading(at=start + timedelta(days=31), value_e4=310 * E4, start=start)
    days = spread_by_day(period_intervals([bill]))
    assert len(days) == 31
    assert set(days.values()) == {Decimal(10)}
