"""Indicator points: single choice, multiple choice with the exclusive 无, every rate band edge."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from loom.modules.assessment.engine import InvalidQuestionnaire, score
from tests.modules.assessment import with_answers, zero_questionnaire


def points(indicator: str, answer: Any) -> float:
    """Score the zero questionnaire with one answer changed and return that indicator's points."""
    result = score(with_answers(zero_questionnaire(), **{indicator: answer}))
    return result.indicator_points[indicator]


# (indicator, option, points) for every option of every single-choice indicator, copied from
# the standard's option lists: B5 steps of 2.5 (25% of 10), M1 steps of 1.5 (20% of 7.5),
# R1/R2 0 / 3.5 / 7 (0, 50, 100% of 7), R3/R4 0 / 1.5 / 3 (of 3).
SINGLE_OPTIONS = [
    ("B5", "A", 0.0),  # 无
    ("B5", "B", 2.5),  # 单个业务环节
    ("B5", "C", 5.0),  # 多个业务环节（2个及以上）
    ("B5", "D", 7.5),  # 绝大部分业务环节（大于80%）
    ("B5", "E", 10.0),  # 全覆盖
    ("M1", "A", 0.0),
    ("M1", "B", 1.5),
    ("M1", "C", 3.0),
    ("M1", "D", 4.5),
    ("M1", "E", 6.0),
    ("M1", "F", 7.5),
    ("R1", "A", 0.0),  # 增加: energy per 100 CNY went up
    ("R1", "B", 3.5),  # 持平
    ("R1", "C", 7.0),  # 降低
    ("R2", "A", 0.0),  # 降低: pass rate went down
    ("R2", "B", 3.5),
    ("R2", "C", 7.0),  # 增加
    ("R3", "A", 0.0),
    ("R3", "B", 1.5),
    ("R3", "C", 3.0),
    ("R4", "A", 0.0),  # 增加: cost per 100 CNY went up
    ("R4", "B", 1.5),
    ("R4", "C", 3.0),  # 降低
]


@pytest.mark.parametrize(("indicator", "option", "expected"), SINGLE_OPTIONS)
def test_single_choice_scores_the_chosen_option(
    indicator: str, option: str, expected: float
) -> None:
    assert points(indicator, option) == expected


# one ticked option alone: B1 2 (25% of 8), B4 0.7 (7% of 10) except 人力资源 O 0.9 (9%),
# B6/B7 1.25 (25% of 5), M2 1.875 (25% of 7.5), M3 1.5 (20% of 7.5)
MULTI_SINGLE_TICKS = [
    *[("B1", o, 2.0) for o in "BCDE"],
    *[("B4", o, 0.7) for o in "BCDEFGHIJKLMN"],
    ("B4", "O", 0.9),
    *[("B6", o, 1.25) for o in "BCDE"],
    *[("B7", o, 1.25) for o in "BCDE"],
    *[("M2", o, 1.875) for o in "BCDE"],
    *[("M3", o, 1.5) for o in "BCDEF"],
]


@pytest.mark.parametrize(("indicator", "option", "expected"), MULTI_SINGLE_TICKS)
def test_each_multiple_choice_option_alone(indicator: str, option: str, expected: float) -> None:
    assert points(indicator, [option]) == expected


@pytest.mark.parametrize("indicator", ["B1", "B4", "B6", "B7", "M2", "M3"])
def test_wu_alone_is_zero(indicator: str) -> None:
    # option A is 无 in every multiple-choice indicator of the table
    assert points(indicator, ["A"]) == 0.0


def test_multiple_choice_sums_ticked_options_exactly() -> None:
    # B1: B + D = 2 + 2; M2: B + C + E = 3 x 1.875 = 5.625
    assert points("B1", ["B", "D"]) == 4.0
    assert points("M2", ["B", "C", "E"]) == 5.625
    # B4 all 14 links: 13 x 0.7 + 0.9 = 10 exactly (binary floats would give 9.999999999999998)
    assert points("B4", list("BCDEFGHIJKLMNO")) == 10.0
    # three times 0.7 is 2.1, not 2.0999999999999996
    assert points("B4", ["B", "C", "D"]) == 2.1


def test_multiple_choice_order_does_not_matter() -> None:
    assert points("M3", ["F", "B", "D"]) == points("M3", ["B", "D", "F"]) == 4.5


@pytest.mark.parametrize("ticks", [["A", "B"], ["C", "A"], ["B", "A", "D"]])
def test_wu_with_another_option_is_an_error(ticks: list[str]) -> None:
    with pytest.raises(InvalidQuestionnaire) as caught:
        score(with_answers(zero_questionnaire(), B1=ticks))
    [problem] = caught.value.problems
    assert problem.path == "answers.B1"
    assert "excludes every other option" in problem.message


# Rate indicators B2, B3 and M4 share the published bands [0-10%], (10%,20%], (20%,40%],
# (40%,60%], (60%,100%] and pay 0 / 25 / 50 / 75 / 100% of their maximum:
# B2 and B3 0 / 1.5 / 3 / 4.5 / 6 points, M4 0 / 1.875 / 3.75 / 5.625 / 7.5 points.
# With 10,000 devices, n devices is n/100 percent: 1,000 is exactly 10%, 1,001 is 10.01%.
BAND_EDGES = [
    (0, "A", 0),  # 0% is inside [0-10%]
    (1000, "A", 0),  # exactly 10%: the closed end of [0-10%]
    (1001, "B", 1),  # 10.01%: the open start of (10%,20%]
    (2000, "B", 1),  # exactly 20%
    (2001, "C", 2),
    (4000, "C", 2),  # exactly 40%
    (4001, "D", 3),
    (6000, "D", 3),  # exactly 60%
    (6001, "E", 4),
    (10000, "E", 4),  # 100%
]
DEVICE_POINTS = [0.0, 1.5, 3.0, 4.5, 6.0]
INVESTMENT_POINTS = [0.0, 1.875, 3.75, 5.625, 7.5]


@pytest.mark.parametrize(("count", "option", "step"), BAND_EDGES)
def test_b2_device_digitalisation_band_edges(count: int, option: str, step: int) -> None:
    result = score(
        with_answers(
            zero_questionnaire(), B2={"production_devices": 10000, "digital_devices": count}
        )
    )
    assert result.indicator_options["B2"] == [option]
    assert result.indicator_points["B2"] == DEVICE_POINTS[step]
    assert result.rates["B2"] == count / 100


@pytest.mark.parametrize(("count", "option", "step"), BAND_EDGES)
def test_b3_device_networking_band_edges(count: int, option: str, step: int) -> None:
    # B3's total comes from B2's production_devices, as on the standard's form
    q = with_answers(
        zero_questionnaire(),
        B2={"production_devices": 10000, "digital_devices": 0},
        B3={"networked_devices": count},
    )
    result = score(q)
    assert result.indicator_options["B3"] == [option]
    assert result.indicator_points["B3"] == DEVICE_POINTS[step]


@pytest.mark.parametrize(("count", "option", "step"), BAND_EDGES)
def test_m4_investment_band_edges_with_decimal_money(count: int, option: str, step: int) -> None:
    # 10,000 hundredths of 10,000 CNY against 100.00 (万元): investment n/100 of revenue 100
    investment = Decimal(count) / Decimal(100)
    q = with_answers(
        zero_questionnaire(), M4={"digital_investment": investment, "revenue": Decimal("100.00")}
    )
    result = score(q)
    assert result.indicator_options["M4"] == [option]
    assert result.indicator_points["M4"] == INVESTMENT_POINTS[step]


@pytest.mark.parametrize(
    ("investment", "revenue", "option"),
    [
        (0.1, 1, "A"),  # 0.1 * 100 is 10.000000000000002 in floats; exactly 10% -> [0-10%]
        (0.3, 3, "A"),  # 0.3 / 3 is 0.09999999999999999 in floats; exactly 10%
        (0.2, 1, "B"),  # exactly 20% -> (10%,20%]
        (Fraction(1, 3), 1, "C"),  # 33.3…% -> (20%,40%]
        (Decimal("0.1001"), 1, "B"),  # 10.01%
    ],
)
def test_rates_are_tested_exactly_not_in_binary_floating_point(
    investment: Any, revenue: Any, option: str
) -> None:
    q = with_answers(
        zero_questionnaire(), M4={"digital_investment": investment, "revenue": revenue}
    )
    assert score(q).indicator_options["M4"] == [option]


def test_b3_may_repeat_the_shared_total_if_it_agrees() -> None:
    q = with_answers(
        zero_questionnaire(),
        B2={"production_devices": 50, "digital_devices": 0},
        B3={"networked_devices": 25, "production_devices": 50},  # 50% in (40%,60%] = 4.5
    )
    assert score(q).indicator_points["B3"] == 4.5


def test_whole_valued_decimal_counts_are_accepted() -> None:
    # JSON 100.0 arrives as Decimal("100.0"); it is still a whole number of devices
    q = with_answers(
        zero_questionnaire(),
        B2={"production_devices": Decimal("100.0"), "digital_devices": Decimal("15.0")},
    )
    assert score(q).indicator_points["B2"] == 1.5  # 15% in (10%,20%]


def test_m4_above_the_top_band_is_reported_not_clamped() -> None:
    # investment above revenue is arithmetically possible but no published band covers it
    q = with_answers(zero_questionnaire(), M4={"digital_investment": 1200, "revenue": 1000})
    with pytest.raises(InvalidQuestionnaire) as caught:
        score(q)
    [problem] = caught.value.problems
    assert problem.path == "answers.M4"
    assert "120%" in problem.message
    assert "(60%,100%]" in problem.message
