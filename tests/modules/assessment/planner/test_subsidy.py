"""Pilot subsidy arithmetic: min(50% of the investment, 500,000 CNY), exact to the fen."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from loom.modules.assessment.planner import SubsidyRule, cny, to_fen


@pytest.mark.parametrize(
    ("investment", "subsidy"),
    [
        (1_000_000, 500_000),  # exactly at the cap: 50% = 500,000
        (1_000_002, 500_000),  # 50% would be 500,001: capped
        (999_998, 499_999),  # just under the cap
        (400_000, 200_000),  # well under: half
        (0, 0),
    ],
)
def test_pilot_subsidy_at_the_cap_edges(investment: int, subsidy: int) -> None:
    rule = SubsidyRule()
    assert rule.subsidy_fen(to_fen(investment)) == to_fen(subsidy)
    assert rule.net_fen(to_fen(investment)) == to_fen(investment - subsidy)


def test_an_odd_fen_rounds_the_subsidy_down() -> None:
    # 0.03 CNY invested: half is 1.5 fen, paid as 1 fen
    assert SubsidyRule().subsidy_fen(3) == 1
    assert SubsidyRule().net_fen(3) == 2


def test_rate_and_cap_are_parameters() -> None:
    rule = SubsidyRule.of("0.3", 100_000)
    assert rule.rate == Fraction(3, 10)
    assert rule.subsidy_fen(to_fen(200_000)) == to_fen(60_000)
    assert rule.subsidy_fen(to_fen(400_000)) == to_fen(100_000)
    assert SubsidyRule.of(Decimal("0.5"), Decimal("500000")) == SubsidyRule()
    with pytest.raises(ValueError, match="outside"):
        SubsidyRule(Fraction(3, 2))
    with pytest.raises(ValueError, match="negative"):
        SubsidyRule(cap_fen=-1)


def test_money_conversions_are_exact() -> None:
    assert to_fen("12345.67") == 1_234_567
    assert to_fen(Decimal("0.1")) == 10
    with pytest.raises(ValueError, match="fen"):
        to_fen("0.001")
    assert cny(1_234_567) == 12345.67
    assert cny(500_000_00) == 500_000
    assert isinstance(cny(500_000_00), int)
