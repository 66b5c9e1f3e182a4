"""The funder split: whole fen that add up exactly, by the largest-remainder method."""

from __future__ import annotations

from fractions import Fraction

import pytest

from loom.modules.subsidy.engine import split_fen


def test_333333_33_split_5_3_2_adds_up_to_the_fen() -> None:
    # 33,333,333 fen in tenths: central 5 → 16,666,666.5, city 3 → 9,999,999.9,
    # district 2 → 6,666,666.6. Rounded down: 16,666,666 + 9,999,999 + 6,666,666 = 33,333,331,
    # so 2 fen are left; they go to the two largest remainders, city (.9) then district (.6).
    assert split_fen(33_333_333, [5, 3, 2]) == [16_666_666, 10_000_000, 6_666_667]
    # rounding each share half-up instead would pay 16,666,667 + 10,000,000 + 6,666,667,
    # one fen more than the award: the reason for the method


def test_equal_remainders_go_to_the_funder_listed_first() -> None:
    # 5 fen as 5:3:2 → 2.5, 1.5, 1.0; floors 2 + 1 + 1 = 4, 1 fen left; central and city both
    # lost .5, so central (listed first) gets it
    assert split_fen(5, [5, 3, 2]) == [3, 1, 1]
    # 1 fen as 1:1 → .5 each: the first funder
    assert split_fen(1, [1, 1]) == [1, 0]
    # 1 fen as 5:3:2 → .5, .3, .2: the largest remainder, central
    assert split_fen(1, [5, 3, 2]) == [1, 0, 0]


def test_simple_splits() -> None:
    assert split_fen(50_000_000, [5, 3, 2]) == [25_000_000, 15_000_000, 10_000_000]
    assert split_fen(20_000_000, [1]) == [20_000_000]
    assert split_fen(0, [5, 3, 2]) == [0, 0, 0]
    assert split_fen(2, [1, 1, 1]) == [1, 1, 0]


@pytest.mark.parametrize("parts", [[5, 3, 2], [1, 1, 1], [7, 2], [1], [3, 0, 1]])
def test_every_split_adds_up_and_stays_within_a_fen_of_exact(parts: list[int]) -> None:
    total = sum(parts)
    for amount in range(0, 2_001):
        pieces = split_fen(amount, parts)
        assert sum(pieces) == amount
        for piece, part in zip(pieces, parts, strict=True):
            assert abs(piece - Fraction(amount * part, total)) < 1


@pytest.mark.parametrize(("amount", "parts"), [(-1, [1]), (10, []), (10, [0, 0]), (10, [2, -1])])
def test_unusable_splits_are_refused(amount: int, parts: list[int]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the input
        split_fen(amount, parts)
