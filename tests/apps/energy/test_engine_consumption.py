"""Days, per-piece figures, energy per 100 CNY of revenue and R1's option, by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loom.apps.energy.engine.coefficients import Coefficients
from loom.apps.energy.engine.consumption import (
    Change,
    MeterSeries,
    day_figures,
    factory_series,
    line_series,
    months,
    period_intensity,
)

D1, D2 = date(2025, 3, 2), date(2025, 3, 3)
MAIN = MeterSeries(1, "electricity", None, True, {D1: Decimal(4000), D2: Decimal(6000)})
GAS = MeterSeries(2, "natural_gas", None, True, {D1: Decimal(100)})
SUB = MeterSeries(3, "electricity", 7, False, {D1: Decimal(160), D2: Decimal(80)})
WATER = MeterSeries(4, "water", None, True, {D1: Decimal(50)})


def test_factory_days_add_main_meters_and_divide_by_pieces() -> None:
    series = factory_series([MAIN, GAS, SUB, WATER])
    days = day_figures(series, {D1: 800, D2: 1200}, D1, D2, Coefficients())
    # D1: 4 000 kWh × 0.1229 = 491.6 + 100 m³ × 1.2143 = 121.43 → 613.03 kgce; water not counted
    assert days[0].kgce == Decimal("613.0300")
    assert days[0].amounts == {
        "electricity": Decimal(4000),
        "natural_gas": Decimal(100),
        "water": Decimal(50),
    }
    # 613.03 / 800 = 0.7662875 kgce and 4 000 / 800 = 5 kWh per piece
    assert days[0].kgce_per_piece == Decimal("0.7662875")
    assert days[0].per_piece("electricity") == Decimal(5)
    # D2: 6 000 × 0.1229 = 737.4 kgce / 1 200 pieces = 0.6145
    assert days[1].kgce_per_piece == Decimal("0.6145")


def test_a_line_uses_its_own_meters_and_a_day_without_pieces_has_no_ratio() -> None:
    days = day_figures(line_series([MAIN, SUB], 7), {D1: 800}, D1, D2, Coefficients())
    assert days[0].per_piece("electricity") == Decimal("0.2")  # 160 / 800
    assert days[1].pieces == 0
    assert days[1].kgce_per_piece is None


def test_counting_water_adds_it() -> None:
    days = day_figures([WATER], {}, D1, D1, Coefficients(include_water=True))
    assert days[0].kgce == Decimal("4.2850")  # 50 t × 0.0857


def test_months_run_across_the_year_end() -> None:
    assert months(date(2024, 11, 1), date(2025, 2, 1)) == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_energy_per_100_cny_and_r1_option() -> None:
    kgce = {date(2025, 1, 15): Decimal("1214.3"), date(2025, 3, 2): Decimal("2200.44")}
    revenue = {date(2025, 1, 1): Decimal(1_000_000), date(2025, 3, 1): Decimal(2_000_000)}
    before = period_intensity(kgce, revenue, date(2025, 1, 1), date(2025, 1, 1))
    after = period_intensity(kgce, revenue, date(2025, 3, 1), date(2025, 3, 1))
    # 1 214.3 kgce / (1 000 000 / 100) = 0.12143; 2 200.44 / 20 000 = 0.110022
    assert before.kgce_per_100_cny == Decimal("0.12143")
    assert after.kgce_per_100_cny == Decimal("0.110022")
    assert (before.days, before.days_with_data) == (31, 1)
    change = Change(before, after)
    # 0.110022 / 0.12143 − 1 = −0.09395 → down by more than 1 %: option C (降低)
    assert change.ratio is not None
    assert round(change.ratio, 5) == Decimal("-0.09395")
    assert change.option == "C"
    assert Change(after, before).option == "A"
    flat = period_intensity(
        {date(2025, 3, 2): Decimal("2450")}, revenue, date(2025, 3, 1), date(2025, 3, 1)
    )
    # 2 450 / 20 000 = 0.1225, 0.1225 / 0.12143 − 1 = +0.88 %: within ±1 %, option B (持平)
    assert Change(before, flat).option == "B"


def test_missing_revenue_leaves_r1_open() -> None:
    kgce = {date(2025, 2, 3): Decimal(10)}
    period = period_intensity(kgce, {}, date(2025, 2, 1), date(2025, 2, 1))
    assert period.missing_revenue == (date(2025, 2, 1),)
    assert period.kgce_per_100_cny is None
    assert Change(period, period).option is None
