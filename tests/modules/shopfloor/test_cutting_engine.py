"""The pure cutting maths: suggested lays and bundles, against plans worked out by hand."""

from __future__ import annotations

import pytest

from loom.modules.shopfloor.engine.cutting import (
    MAX_LAYS,
    BundleCut,
    PlannedLay,
    PlanTooLong,
    bundles_of,
    coverage,
    plan_colour,
    plan_order,
)


def test_one_lay_covers_a_graded_order_exactly() -> None:
    # S 100, M 200, L 100 with 100 plies max: height 100 gives S1 M2 L1 = 4 garments per ply,
    # 400 pieces, everything in one lay
    lays = plan_colour("白", {"S": 100, "M": 200, "L": 100}, max_plies=100, max_marker=6)
    assert lays == [PlannedLay("白", 100, {"S": 1, "M": 2, "L": 1})]


def test_greedy_steps_worked_by_hand() -> None:
    # S 50, M 120, L 80; 60 plies, 4 garments per marker.
    # step 1: heights 60 (M, L capped) and 50 (S). h=60 → M2 L1 = 180; h=50 → S1 M2 L1 = 200.
    #         50 wins; left M 20, L 30.
    # step 2: h=30 → L1 = 30; h=20 → M1 L1 = 40. 20 wins; left L 10.
    # step 3: h=10 → L1. Three lays, exactly 250 pieces.
    lays = plan_colour("白", {"S": 50, "M": 120, "L": 80}, max_plies=60, max_marker=4)
    assert lays == [
        PlannedLay("白", 50, {"S": 1, "M": 2, "L": 1}),
        PlannedLay("白", 20, {"M": 1, "L": 1}),
        PlannedLay("白", 10, {"L": 1}),
    ]
    assert coverage(lays) == {"白": {"S": 50, "M": 120, "L": 80}}


def test_a_minimum_of_plies_overcuts_the_remainder_as_little_as_possible() -> None:
    # as above with at least 15 plies per lay: steps 1 and 2 are the same; L 10 is below 15,
    # so the last lay has 15 plies of L1 and overcuts 15 − 10 = 5 pieces
    lays = plan_colour("白", {"S": 50, "M": 120, "L": 80}, max_plies=60, max_marker=4, min_plies=15)
    assert lays[-1] == PlannedLay("白", 15, {"L": 1})
    assert coverage(lays) == {"白": {"S": 50, "M": 120, "L": 85}}


def test_a_remainder_of_several_sizes_shares_one_minimum_lay() -> None:
    # S 3, M 7 with at least 10 plies: nothing reaches 10, so one lay of 10 plies S1 M1,
    # overcut (10 − 3) + (10 − 7) = 10 pieces
    lays = plan_colour("蓝", {"S": 3, "M": 7}, max_plies=50, max_marker=4, min_plies=10)
    assert lays == [PlannedLay("蓝", 10, {"S": 1, "M": 1})]


def test_the_marker_limit_drops_the_later_size_first() -> None:
    # four sizes of 10 with 3 garments per marker: h=10 gives ratio 1 each = 4 > 3, so XL
    # (the later of the tied sizes) gives one up; XL then gets its own lay
    lays = plan_colour("白", {"S": 10, "M": 10, "L": 10, "XL": 10}, max_plies=10, max_marker=3)
    assert lays == [
        PlannedLay("白", 10, {"S": 1, "M": 1, "L": 1}),
        PlannedLay("白", 10, {"XL": 1}),
    ]


def test_the_ply_limit_splits_a_big_order_into_equal_lays() -> None:
    # M 300 with 100 plies and 2 garments per marker: h=100 → M2 (marker full) = 200 pieces;
    # then M 100 → h=100, M1. Two lays.
    lays = plan_colour("白", {"M": 300}, max_plies=100, max_marker=2)
    assert lays == [PlannedLay("白", 100, {"M": 2}), PlannedLay("白", 100, {"M": 1})]


def test_an_order_is_planned_colour_by_colour_and_zero_cells_are_ignored() -> None:
    lays = plan_order({"白": {"S": 20, "M": 0}, "蓝": {"M": 40}}, max_plies=60, max_marker=4)
    assert lays == [PlannedLay("白", 20, {"S": 1}), PlannedLay("蓝", 40, {"M": 1})]
    assert plan_order({"白": {"S": 0}}, max_plies=10, max_marker=2) == []


def test_unrealistic_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="min_plies"):
        plan_colour("白", {"S": 1}, max_plies=5, max_marker=1, min_plies=6)
    with pytest.raises(PlanTooLong):
        # 1 ply × 1 garment per lay: 1,000 pieces need 1,000 lays, more than MAX_LAYS
        plan_colour("白", {"S": MAX_LAYS * 2}, max_plies=1, max_marker=1)


def test_bundles_follow_ply_ranges_per_garment_of_the_marker() -> None:
    # 50 plies, S1 M2, bundles of 20: each stack is plies 1–20, 21–40, 41–50;
    # S has one stack, M two → 3 + 6 = 9 bundles, 50 + 100 pieces
    found = bundles_of(50, {"S": 1, "M": 2}, 20)
    assert found[:3] == [BundleCut("S", 1, 20), BundleCut("S", 21, 40), BundleCut("S", 41, 50)]
    assert [b.size for b in found] == ["S"] * 3 + ["M"] * 6
    assert [b.qty for b in found] == [20, 20, 10] * 3
    assert bundles_of(20, {"M": 1}, 20) == [BundleCut("M", 1, 20)]  # plies 1–20 → one bundle of 20
    with pytest.raises(ValueError, match="bundle_size"):
        bundles_of(20, {"M": 1}, 0)
