"""Scoring, hand-computed: weights 40 / 25 / 20 / 15 (engine.ranking's docstring)."""

from __future__ import annotations

import pytest

from loom.modules.matching.engine.categories import default_sam, same_category
from loom.modules.matching.engine.ranking import Facts, Need, as_dict, rank, score

#: 1,000 pieces × 20 min = 20,000 minutes needed; DHU at most 2.5 %
NEED = Need("shirts", 1000, 20.0, 2.5)


def test_a_factory_meeting_every_need_scores_100() -> None:
    # 25,000 ≥ 20,000 min; 3,000 ≥ 1,000 pieces; DHU 1.0 ≤ 2.5; level 4 of 4
    ranked = score(NEED, Facts(1, "A", 25_000, 3_000, 1.0, 4))
    assert ranked.score == 100.0
    assert ranked.feasible
    assert [f.points for f in ranked.factors] == [40.0, 25.0, 20.0, 15.0]


def test_partial_figures_score_in_proportion() -> None:
    # capacity 10,000 / 20,000 × 40 = 20; experience 400 / 1,000 × 25 = 10;
    # DHU 3.75 lies between 2.5 and 5.0: (5.0 − 3.75) / 2.5 × 20 = 10; level 2 / 4 × 15 = 7.5
    ranked = score(NEED, Facts(2, "B", 10_000, 400, 3.75, 2))
    assert [f.points for f in ranked.factors] == [20.0, 10.0, 10.0, 7.5]
    assert ranked.score == 47.5
    assert not ranked.feasible


def test_a_factor_not_shared_scores_zero_and_says_so() -> None:
    ranked = score(
        NEED,
        Facts(3, "C", 20_000, None, None, None, quality_shared=False, level_shared=False),
    )
    # exactly the minutes needed: feasible, 40 points; nothing else shared
    assert ranked.score == 40.0
    assert ranked.feasible
    states = {f.name: (f.state, f.points, f.value) for f in ranked.factors}
    assert states == {
        "capacity": ("shared", 40.0, 20_000),
        "experience": ("not_shared", 0.0, None),
        "quality": ("not_shared", 0.0, None),
        "digital_level": ("not_shared", 0.0, None),
    }


def test_shared_without_data_is_told_apart_from_not_shared() -> None:
    ranked = score(NEED, Facts(4, "D", 0, 0, None, None))
    assert {f.name: f.state for f in ranked.factors} == {
        "capacity": "shared",
        "experience": "shared",
        "quality": "no_data",
        "digital_level": "no_data",
    }
    assert ranked.score == 0.0


@pytest.mark.parametrize(
    ("dhu", "points"),
    [(0.0, 20.0), (2.5, 20.0), (3.0, 16.0), (5.0, 0.0), (9.0, 0.0)],
)
def test_quality_falls_linearly_to_none_at_twice_the_maximum(dhu: float, points: float) -> None:
    # 3.0: (5.0 − 3.0) / 2.5 × 20 = 16
    assert score(NEED, Facts(5, "E", 0, 0, dhu, 0)).factor("quality").points == points


def test_ranking_orders_by_score_then_capacity_then_name() -> None:
    rows = rank(
        NEED,
        [
            Facts(10, "Zeta", 20_000, 0, None, None),  # 40 + 0 + 0 + 0 = 40
            Facts(11, "Alpha", 10_000, 800, None, None),  # 20 + 20 = 40, less capacity
            Facts(12, "Beta", 20_000, 0, None, None),  # 40, same as Zeta: name decides
            Facts(13, "Gamma", 25_000, 1000, 2.0, 4),  # 100
        ],
    )
    assert [r.name for r in rows] == ["Gamma", "Beta", "Zeta", "Alpha"]
    stored = as_dict(rows[0], 1)
    assert stored["place"] == 1
    assert stored["score"] == 100.0
    assert [f["name"] for f in stored["factors"]] == [
        "capacity",
        "experience",
        "quality",
        "digital_level",
    ]


def test_category_defaults_and_names() -> None:
    # middle of scheduling's 12–25 min shirts range; Chinese names map to the same category
    assert default_sam("Shirts ") == 18.5
    assert default_sam("衬衫") == 18.5
    assert default_sam("hats") is None
    assert same_category(" Shirts", "shirts")
    assert not same_category("shirts", "shirt")
