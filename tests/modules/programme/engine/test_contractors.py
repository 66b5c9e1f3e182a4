"""General contractors: group-weighted scores, consortium conflicts, one contractor per sector."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from loom.modules.programme.engine import (
    Bid,
    ConsortiumConflict,
    ContractorCandidate,
    ContractorScore,
    InvalidScores,
    builtin_plan,
    check_consortia,
    choose_general_contractor,
    rank_contractors,
    score_contractor_application,
)

CRITERIA = ("technology_products", "sector_experience", "service_staff", "ecosystem_resources")
EQUAL = dict.fromkeys(CRITERIA, 25)
GROUPS = {
    "experts": Decimal("0.5"),
    "associations": Decimal("0.25"),
    "pilot_enterprises": Decimal("0.25"),
}


def sheet(*scores: int) -> dict[str, int]:
    """Return one evaluator's sheet, scores in the order of CRITERIA."""
    return dict(zip(CRITERIA, scores, strict=True))


def flat(score: int) -> dict[str, int]:
    return sheet(score, score, score, score)


SHEETS = {
    # e1: 80; e2: 25 x (90 + 70 + 80 + 60) / 100 = 75; experts: (80 + 75) / 2 = 77.5
    "experts": {"e1": flat(80), "e2": sheet(90, 70, 80, 60)},
    # associations: 60
    "associations": {"a1": flat(60)},
    # pilot enterprises: (100 + 80) / 2 = 90
    "pilot_enterprises": {"p1": flat(100), "p2": flat(80)},
}


def test_groups_are_weighted_not_pooled() -> None:
    score = score_contractor_application(SHEETS, EQUAL, GROUPS)
    assert dict(score.by_group) == {
        "experts": Fraction(155, 2),
        "associations": 60,
        "pilot_enterprises": 90,
    }
    # 0.5 x 77.5 + 0.25 x 60 + 0.25 x 90 = 38.75 + 15 + 22.5 = 76.25
    assert score.total == Fraction(7625, 100)
    assert score.display == Decimal("76.25")
    # pooling the five sheets would give (80 + 75 + 60 + 100 + 80) / 5 = 79
    assert score.total != 79
    # sector_experience: 0.5 x (80 + 70) / 2 + 0.25 x 60 + 0.25 x (100 + 80) / 2 = 37.5 + 15 + 22.5
    assert score.criterion("sector_experience") == 75
    assert dict(score.evaluators) == {"experts": 2, "associations": 1, "pilot_enterprises": 2}


def test_other_group_weights_change_the_score() -> None:
    thirds = dict.fromkeys(GROUPS, Fraction(1, 3))
    # (77.5 + 60 + 90) / 3 = 75.8333...
    score = score_contractor_application(SHEETS, EQUAL, thirds)
    assert score.total == Fraction(455, 6)
    assert score.display == Decimal("75.83")


def test_the_plans_default_weights() -> None:
    plan = builtin_plan()
    score = score_contractor_application(SHEETS, plan.criterion_weights(), plan.group_weights())
    assert score.total == Fraction(7625, 100)


def test_a_group_of_weight_zero_may_stay_silent() -> None:
    weights = {"experts": 1, "associations": 0, "pilot_enterprises": 0}
    score = score_contractor_application({"experts": SHEETS["experts"]}, EQUAL, weights)
    assert score.total == Fraction(155, 2)


def test_missing_and_unknown_groups_and_bad_weights_are_named() -> None:
    with pytest.raises(InvalidScores) as caught:
        score_contractor_application(
            {"experts": {"e1": flat(80)}, "media": {"m": flat(1)}},
            {**EQUAL, "service_staff": 30},
            {**GROUPS, "experts": Decimal("0.4")},
        )
    assert [p.path for p in caught.value.problems] == [
        "criterion_weights",
        "group_weights",
        "sheets.media",
        "sheets.associations",
        "sheets.pilot_enterprises",
    ]


def candidate(bid: Bid, total: int, experience: int, day: int) -> ContractorCandidate:
    """Return a bid scored ``total`` overall with ``experience`` on sector_experience."""
    score = ContractorScore(
        total=Fraction(total),
        by_group={},
        by_criterion={"sector_experience": Fraction(experience)},
        evaluators={},
    )
    return ContractorCandidate(bid, datetime(2024, 4, day, tzinfo=UTC), score)


def test_contractors_rank_by_score_then_sector_experience_then_time_then_id() -> None:
    ranked = rank_contractors(
        [
            candidate(Bid(1, "apparel", 10), 80, 70, 2),
            candidate(Bid(2, "apparel", 11), 80, 90, 3),
            candidate(Bid(3, "apparel", 12), 80, 70, 1),
            candidate(Bid(4, "apparel", 13), 80, 70, 1),
            candidate(Bid(5, "apparel", 14), 81, 0, 9),
        ]
    )
    assert [(r.id, r.decided_by) for r in ranked] == [
        (5, None),
        (2, "score"),
        (3, "sector_experience"),
        (4, "id"),
        (1, "applied_at"),
    ]


def test_one_general_contractor_per_sector() -> None:
    ranked = rank_contractors(
        [
            candidate(Bid(1, "apparel", 10, frozenset({11, 12})), 88, 80, 1),
            candidate(Bid(2, "apparel", 20), 90, 80, 1),
            candidate(Bid(3, "apparel", 30), 70, 80, 1),
            candidate(Bid(4, "nev_parts", 11), 60, 80, 1),
        ]
    )
    choice = choose_general_contractor(ranked, "apparel")
    assert choice.chosen is not None
    assert choice.chosen.id == 2
    assert [(d.ranked.id, d.chosen, [p.code for p in d.reasons]) for d in choice.decisions] == [
        (2, True, []),
        (1, False, ["not_first"]),
        (3, False, ["not_first"]),
    ]
    assert choice.decisions[2].reasons[0].message_zh == "行业排名第3;每个行业只确定一家总承包商"
    # org 11 is a member in apparel and the lead in NEV parts: different sectors, no conflict
    assert choose_general_contractor(ranked, "nev_parts").chosen == ranked[3]


def test_a_minimum_score_may_leave_a_sector_without_a_contractor() -> None:
    ranked = rank_contractors([candidate(Bid(1, "apparel", 10), 59, 80, 1)])
    choice = choose_general_contractor(ranked, "apparel", min_score=60)
    assert choice.chosen is None
    assert [p.code for p in choice.decisions[0].reasons] == ["below_min_score"]


def test_consortium_conflicts_are_all_reported() -> None:
    bids = [
        Bid(1, "apparel", 10, frozenset({11})),
        Bid(2, "apparel", 10, frozenset({12})),  # org 10 leads a second apparel bid
        Bid(3, "apparel", 20, frozenset({11})),  # org 11 is in two competing apparel bids
        Bid(4, "nev_parts", 10),  # another sector: allowed
        Bid(5, "home_appliances", 30, frozenset({30})),
        Bid(5, "home_appliances", 31),
    ]
    found = [(p.code, dict(p.params)) for p in check_consortia(bids)]
    assert found == [
        ("lead_is_member", {"bid": 5, "org": 30}),
        ("duplicate_bid", {"bid": 5}),
        ("leads_two_bids", {"org": 10, "sector": "apparel", "bids": "1, 2"}),
        ("in_two_bids", {"org": 11, "sector": "apparel", "bids": "1, 3"}),
    ]
    assert [p.code for p in check_consortia(bids[3:5])] == ["lead_is_member"]


def test_choosing_in_a_sector_with_conflicting_bids_is_refused() -> None:
    ranked = rank_contractors(
        [
            candidate(Bid(1, "apparel", 10, frozenset({11})), 90, 80, 1),
            candidate(Bid(2, "apparel", 20, frozenset({11})), 80, 80, 1),
        ]
    )
    with pytest.raises(ConsortiumConflict) as caught:
        choose_general_contractor(ranked, "apparel")
    assert [p.code for p in caught.value.problems] == ["in_two_bids"]
    assert "organisation 11 takes part in competing bids" in str(caught.value)
