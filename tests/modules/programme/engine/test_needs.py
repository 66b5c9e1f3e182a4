"""N+X: a need of at least the threshold share of a sector's pilots is N, anything less is X."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from loom.modules.programme.engine import (
    InvalidInput,
    NeedKind,
    builtin_plan,
    classify_needs,
)

PILOTS = {1, 2, 3, 4}
HALF = builtin_plan().n_share_threshold  # Decimal("0.5")


def test_exactly_half_is_n_and_one_pilot_fewer_is_x() -> None:
    result = classify_needs({"bundle_scan": {1, 2}, "cad_nesting": {3}}, PILOTS, HALF)
    scan, nesting = result["bundle_scan"], result["cad_nesting"]
    assert (scan.kind, scan.share, scan.pilots, scan.sector_pilots) == (
        NeedKind.N,
        Fraction(1, 2),
        2,
        4,
    )
    assert (nesting.kind, nesting.share) == (NeedKind.X, Fraction(1, 4))
    assert scan.threshold == Fraction(1, 2)
    assert scan.notes == ()


def test_an_odd_number_of_pilots_is_compared_exactly() -> None:
    five = {1, 2, 3, 4, 5}
    result = classify_needs({"a": {1, 2, 3}, "b": {1, 2}}, five, Fraction(1, 2))
    assert (result["a"].kind, result["a"].share) == (NeedKind.N, Fraction(3, 5))
    assert (result["b"].kind, result["b"].share) == (NeedKind.X, Fraction(2, 5))


def test_enterprises_outside_the_sector_are_not_counted() -> None:
    result = classify_needs({"a": {1, 98, 99}}, PILOTS, HALF)["a"]
    assert (result.kind, result.pilots) == (NeedKind.X, 1)
    assert [n.code for n in result.notes] == ["outside_sector"]
    assert result.notes[0].message_zh == "有2家提出该需求的企业不是本行业试点企业,未计入"


def test_a_sector_without_pilots_makes_everything_x_with_a_note() -> None:
    result = classify_needs({"a": set(), "b": {"enterprise-7"}}, set(), HALF)
    assert {c.kind for c in result.values()} == {NeedKind.X}
    assert result["a"].share is None
    assert [n.code for n in result["a"].notes] == ["no_sector_pilots"]
    assert [n.code for n in result["b"].notes] == ["outside_sector", "no_sector_pilots"]


@pytest.mark.parametrize("threshold", [0, Decimal("1.5"), -1, 0.5])
def test_a_threshold_must_be_an_exact_share(threshold: object) -> None:
    with pytest.raises(InvalidInput, match="threshold"):
        classify_needs({}, PILOTS, threshold)  # type: ignore[arg-type]


def test_a_threshold_of_one_needs_every_pilot() -> None:
    result = classify_needs({"a": PILOTS, "b": {1, 2, 3}}, PILOTS, 1)
    assert (result["a"].kind, result["b"].kind) == (NeedKind.N, NeedKind.X)
