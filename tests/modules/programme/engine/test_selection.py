"""Pilot selection: exact scores from expert sheets, a deterministic ranking, batch quotas."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from loom.modules.programme.engine import (
    InvalidInput,
    InvalidScores,
    PilotCandidate,
    PilotScore,
    builtin_plan,
    rank,
    rounded,
    score_pilot_application,
    select_into_batch,
)

PRINCIPLES = ("leader_will", "stable_operations", "management_base", "digital_base", "replicable")
UNEQUAL = dict(zip(PRINCIPLES, (30, 20, 20, 20, 10), strict=True))
EQUAL = dict.fromkeys(PRINCIPLES, 20)


def sheet(*scores: int) -> dict[str, int]:
    """Return one expert's sheet, scores in the order of PRINCIPLES."""
    return dict(zip(PRINCIPLES, scores, strict=True))


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def uniform(score: int, digital_base: int | None = None) -> PilotScore:
    """Return the score of one expert giving ``score`` everywhere (``digital_base`` aside)."""
    scores = dict.fromkeys(PRINCIPLES, score)
    if digital_base is not None:
        scores["digital_base"] = digital_base
    return score_pilot_application({"expert": scores}, EQUAL)


def test_three_experts_with_unequal_weights() -> None:
    score = score_pilot_application(
        {
            # 30x80 + 20x70 + 20x60 + 20x90 + 10x50 = 7300 -> 73
            "expert-a": sheet(80, 70, 60, 90, 50),
            # 30x90 + 20x80 + 20x70 + 20x60 + 10x100 = 7900 -> 79
            "expert-b": sheet(90, 80, 70, 60, 100),
            # 30x70 + 20x65 + 20x75 + 20x85 + 10x56 = 7160 -> 71.6
            "expert-c": sheet(70, 65, 75, 85, 56),
        },
        UNEQUAL,
    )
    assert dict(score.by_expert) == {
        "expert-a": 73,
        "expert-b": 79,
        "expert-c": Fraction(716, 10),
    }
    # (73 + 79 + 71.6) / 3 = 223.6 / 3 = 74.5333...
    assert score.total == Fraction(2236, 30)
    assert score.display == Decimal("74.53")
    assert score.experts == 3
    # the mean raw score per principle: digital_base (90 + 60 + 85) / 3
    assert score.principle("digital_base") == Fraction(235, 3)


def test_the_plans_default_weights_and_a_ten_point_scale() -> None:
    plan = builtin_plan()
    score = score_pilot_application(
        {"a": sheet(8, 7, 6, 9, 5), "b": sheet(9, 8, 7, 6, 10)},
        plan.pilot_weights(),
        max_score=10,
    )
    # equal weights of 20: a = 20x(8+7+6+9+5)/10 = 70, b = 20x40/10 = 80; mean 75
    assert score.total == 75


def test_decimal_scores_stay_exact_and_display_rounds_half_up() -> None:
    half = score_pilot_application({"a": dict.fromkeys(PRINCIPLES, Decimal("74.125"))}, EQUAL)
    assert half.total == Fraction(74125, 1000)
    assert half.display == Decimal("74.13")
    assert rounded(Fraction(-1, 8)) == Decimal("-0.13")


@pytest.mark.parametrize(
    ("sheets", "weights", "paths"),
    [
        ({}, EQUAL, ["sheets"]),
        ({"a": {**sheet(1, 2, 3, 4, 5), "charm": 9}}, EQUAL, ["sheets.a.charm"]),
        ({"a": dict.fromkeys(PRINCIPLES[:4], 50)}, EQUAL, ["sheets.a.replicable"]),
        (
            {"a": sheet(101, 0, 0, 0, 0), "b": sheet(-1, 0, 0, 0, 0)},
            EQUAL,
            ["sheets.a.leader_will", "sheets.b.leader_will"],
        ),
        ({"a": {**sheet(1, 2, 3, 4, 5), "replicable": True}}, EQUAL, ["sheets.a.replicable"]),
        ({"a": {**sheet(1, 2, 3, 4, 5), "replicable": 5.5}}, EQUAL, ["sheets.a.replicable"]),
        ({"a": sheet(1, 2, 3, 4, 5)}, {**EQUAL, "replicable": 21}, ["weights"]),
        ({"a": sheet(1, 2, 3, 4, 5)}, {**EQUAL, "replicable": 0.2}, ["weights.replicable"]),
    ],
)
def test_sheets_that_cannot_be_scored_name_every_bad_value(
    sheets: dict[str, dict[str, object]], weights: dict[str, object], paths: list[str]
) -> None:
    with pytest.raises(InvalidScores) as caught:
        score_pilot_application(sheets, weights)
    assert [p.path for p in caught.value.problems] == paths


def test_ties_are_broken_by_digital_base_then_time_then_id() -> None:
    candidates = [
        PilotCandidate(5, "apparel", at(2), uniform(80)),  # 80, digital base 80, later
        PilotCandidate(4, "apparel", at(1), uniform(80)),  # 80, digital base 80, earlier
        PilotCandidate(3, "apparel", at(1), uniform(80)),  # the same but a lower id
        # 20 x (75 + 75 + 75 + 95 + 80) / 100 = 80, digital base 95
        PilotCandidate(
            9, "apparel", at(9), score_pilot_application({"e": sheet(75, 75, 75, 95, 80)}, EQUAL)
        ),
        PilotCandidate(1, "apparel", at(1), uniform(79)),
        PilotCandidate(2, "nev_parts", at(1), uniform(50)),
    ]
    ranked = rank(candidates)
    assert [(r.id, r.decided_by) for r in ranked if r.sector == "apparel"] == [
        (9, None),
        (3, "digital_base"),
        (4, "id"),
        (5, "applied_at"),
        (1, "score"),
    ]
    assert [r.position for r in ranked] == [1, 2, 3, 4, 5, 6]
    assert [(r.id, r.sector_position) for r in ranked if r.sector == "nev_parts"] == [(2, 1)]
    # the order never depends on the input order
    assert [r.id for r in rank(reversed(candidates))] == [r.id for r in ranked]


def test_rank_refuses_repeated_ids() -> None:
    with pytest.raises(InvalidInput, match="more than once"):
        rank([PilotCandidate(1, "apparel", at(1), uniform(1))] * 2)


def test_selection_fills_each_sectors_remaining_places_and_explains_the_rest() -> None:
    ranked = rank(
        [
            PilotCandidate(1, "apparel", at(1), uniform(90)),
            PilotCandidate(2, "apparel", at(1), uniform(85)),
            PilotCandidate(3, "apparel", at(1), uniform(70)),
            PilotCandidate(4, "home_appliances", at(1), uniform(60)),
            PilotCandidate(5, "home_appliances", at(1), uniform(50)),
            PilotCandidate(6, "nev_parts", at(1), uniform(95)),
            PilotCandidate(7, "other", at(1), uniform(99)),
        ]
    )
    selection = select_into_batch(
        ranked,
        {"apparel": 2, "home_appliances": 1, "nev_parts": 0},
        {"apparel": 1},  # one apparel pilot is already in the batch: one place left
        min_score=55,
        sector_names=builtin_plan().sector_names(),
    )
    assert selection.selected_ids() == [1, 4]
    reasons = {d.ranked.id: [p.code for p in d.reasons] for d in selection.not_selected}
    assert reasons == {
        7: ["no_quota"],
        6: ["no_quota"],
        2: ["quota_full"],
        3: ["quota_full"],
        5: ["below_min_score", "quota_full"],
    }
    assert dict(selection.remaining) == {"apparel": 0, "home_appliances": 0, "nev_parts": 0}
    full = next(d for d in selection.decisions if d.ranked.id == 2).reasons[0]
    assert full.message == "the batch's 2 places for the sector apparel are taken"
    assert full.message_zh == "本批次运动休闲服装行业2个名额已满"
    low = next(d for d in selection.decisions if d.ranked.id == 5).reasons[0]
    assert low.message == "score 50.00 is below the minimum of 55"


def test_the_plans_first_batch_takes_23_apparel_pilots() -> None:
    batch = builtin_plan().batch("batch-1")
    ranked = rank(PilotCandidate(i, "apparel", at(1), uniform(100 - i)) for i in range(1, 31))
    selection = select_into_batch(ranked, batch.quotas, {})
    assert selection.selected_ids() == list(range(1, 24))
    assert len(selection.not_selected) == 7
    assert selection.remaining["apparel"] == 0
    assert selection.remaining["home_appliances"] == 1


def test_more_already_selected_than_the_quota_leaves_no_place() -> None:
    ranked = rank([PilotCandidate(1, "apparel", at(1), uniform(90))])
    selection = select_into_batch(ranked, {"apparel": 2}, {"apparel": 3})
    assert [p.code for p in selection.decisions[0].reasons] == ["quota_full"]
    assert selection.remaining["apparel"] == 0
