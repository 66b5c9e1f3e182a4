"""Switching rules of GB/T 2828.1 §9.3 and discontinuation (§9.4), transition by transition."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from loom.apps.quality.engine.aql import (
    SwitchState,
    accepted_one_step_tighter,
    initial_state,
    next_state,
    plan,
    record_lot,
    resume,
    score_after,
)

A, R = True, False  # a lot accepted, a lot not accepted


def run(
    results: Iterable[bool], state: SwitchState | None = None, /, **options: object
) -> SwitchState:
    current = state or initial_state()
    for accepted in results:
        current = next_state(current, accepted, **options)  # type: ignore[arg-type]
    return current


def test_start_is_normal_with_score_zero() -> None:
    state = initial_state()
    assert (state.inspection, state.switching_score, state.discontinued) == ("normal", 0, False)


@pytest.mark.parametrize(
    ("results", "inspection"),
    [
        ([R, R], "tightened"),  # 2 of 2
        ([R, A, R], "tightened"),  # 2 of 3
        ([R, A, A, A, R], "tightened"),  # 2 of 5: the widest window that switches
        ([R, A, A, A, A, R], "normal"),  # 2 of 6: the rejections are 6 lots apart
        ([A, A, R, A, A, A, A, R, A], "normal"),  # never 2 within 5 consecutive lots
        ([R], "normal"),
    ],
)
def test_normal_to_tightened_two_of_five(results: list[bool], inspection: str) -> None:
    assert run(results).inspection == inspection


def test_tightened_to_normal_after_five_consecutive_accepted() -> None:
    tightened = run([R, R])
    assert run([A] * 4, tightened).inspection == "tightened"
    back = run([A] * 5, tightened)
    assert back == initial_state()  # normal again, score and window from zero
    # a rejection restarts the run: 4 accepted, 1 not, then 4 more are not enough
    assert run([A, A, A, A, R, A, A, A, A], tightened).inspection == "tightened"
    assert run([A, A, A, A, R, A, A, A, A, A], tightened).inspection == "normal"


def test_discontinue_after_five_lots_not_accepted_on_tightened() -> None:
    tightened = run([R, R])
    # the count is cumulative, not consecutive: accepted lots in between do not reset it
    four = run([R, A, R, A, R, A, R], tightened)
    assert (four.tightened_rejections, four.discontinued) == (4, False)
    five = run([R], four)
    assert (five.inspection, five.discontinued) == ("tightened", True)
    with pytest.raises(ValueError, match="inspection is discontinued"):
        next_state(five, True)
    resumed = resume(five)
    assert (resumed.inspection, resumed.discontinued, resumed.tightened_rejections) == (
        "tightened",
        False,
        0,
    )
    with pytest.raises(ValueError, match="inspection is not discontinued"):
        resume(resumed)


def test_score_for_acceptance_numbers_0_and_1() -> None:
    # +2 for each lot accepted: 14 lots give 28, the 15th reaches 30 and switches to reduced
    fourteen = run([A] * 14)
    assert (fourteen.inspection, fourteen.switching_score) == ("normal", 28)
    assert run([A], fourteen).inspection == "reduced"
    # a lot not accepted resets the score to 0 (one rejection alone does not tighten)
    assert run([R], fourteen).switching_score == 0


def test_score_for_acceptance_number_2_or_more() -> None:
    tighter = {"acceptance_number": 5, "accepted_one_step_tighter": True}
    # +3 when the lot also passes one step tighter: 9 lots give 27, the 10th reaches 30
    nine = run([A] * 9, **tighter)
    assert (nine.inspection, nine.switching_score) == ("normal", 27)
    assert run([A], nine, **tighter).inspection == "reduced"
    # accepted at its AQL but not one step tighter: reset to 0
    loose = {"acceptance_number": 5, "accepted_one_step_tighter": False}
    assert run([A], nine, **loose).switching_score == 0


def test_score_after_rules_and_its_required_argument() -> None:
    assert score_after(10, True, 0, None) == 12
    assert score_after(10, True, 1, None) == 12
    assert score_after(10, False, 1, None) == 0
    assert score_after(10, True, 2, True) == 13
    assert score_after(10, True, 2, False) == 0
    assert score_after(10, False, 2, True) == 0  # not accepted at all
    with pytest.raises(ValueError, match="accepted_one_step_tighter is required"):
        score_after(10, True, 2, None)


def test_reduced_needs_steady_production_and_the_authority() -> None:
    fourteen = run([A] * 14)
    unsteady = run([A], fourteen, production_steady=False)
    assert (unsteady.inspection, unsteady.switching_score) == ("normal", 30)
    refused = run([A], fourteen, authority_approves_reduced=False)
    assert (refused.inspection, refused.switching_score) == ("normal", 30)
    # once both hold again, the next accepted lot switches (score 32 >= 30)
    assert run([A], unsteady).inspection == "reduced"


@pytest.mark.parametrize(
    ("accepted", "options", "inspection"),
    [
        (True, {}, "reduced"),
        (False, {}, "normal"),  # a lot not accepted
        (True, {"production_steady": False}, "normal"),  # production irregular or delayed
        (True, {"authority_approves_reduced": False}, "normal"),  # other conditions
    ],
)
def test_reduced_to_normal(accepted: bool, options: dict[str, bool], inspection: str) -> None:
    reduced = run([A] * 15)
    assert reduced.inspection == "reduced"
    after = next_state(reduced, accepted, **options)
    assert after.inspection == inspection
    if inspection == "normal":
        assert after == initial_state()  # the score starts again from zero


def test_one_step_tighter_reads_the_normal_table() -> None:
    # lot 2000, level II, AQL 2.5 -> K, n 125, Ac 7; one step tighter (1.5) in row K: Ac 5
    major = plan(2000, "II", "2.5")
    assert accepted_one_step_tighter(major, "2.5", 5) is True
    assert accepted_one_step_tighter(major, "2.5", 6) is False
    # Ac 0 or 1: the rule does not ask (2-A at K, 0.40: 1 2)
    assert accepted_one_step_tighter(plan(2000, "II", "0.40"), "0.40", 0) is None
    with pytest.raises(ValueError, match="counts normal plans only, not tightened"):
        accepted_one_step_tighter(plan(2000, "II", "2.5", "tightened"), "2.5", 0)


def test_one_step_tighter_after_an_up_arrow_uses_the_plan_row() -> None:
    # lot 5000, level II -> L; 2-A at L, 10: ↑ to K, Ac 21; one step tighter in row K (6.5): 14
    chosen = plan(5000, "II", "10")
    assert (chosen.plan_letter, chosen.accept) == ("K", 21)
    assert accepted_one_step_tighter(chosen, "10", 14) is True
    assert accepted_one_step_tighter(chosen, "10", 15) is False


def test_record_lot_scores_with_the_plan() -> None:
    major = plan(2000, "II", "2.5")  # Ac 7, one step tighter Ac 5
    accepted, state = record_lot(initial_state(), major, "2.5", 5)
    assert (accepted, state.switching_score) == (True, 3)
    accepted, state = record_lot(state, major, "2.5", 6)  # accepted, not one step tighter
    assert (accepted, state.switching_score) == (True, 0)
    accepted, state = record_lot(state, major, "2.5", 8)  # Re 8: not accepted
    assert (accepted, state.recent_normal) == (False, (True, True, False))


def test_state_read_back_from_json_keeps_a_tuple() -> None:
    state = SwitchState(inspection="normal", recent_normal=[True, False])  # type: ignore[arg-type]
    assert state.recent_normal == (True, False)
    assert next_state(state, False).inspection == "tightened"
    with pytest.raises(ValueError, match="inspection must be one of"):
        SwitchState(inspection="skip-lot")
