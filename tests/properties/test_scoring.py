"""Properties of the assessment scoring engine on generated questionnaires (docs/assessment.md).

The oracle below is written from the rule-set *document* (``RuleSet``: exact ``Decimal`` points,
band edges with their inclusivity, level thresholds), not from the compiled tables the engine
scores with, so a slip in compiling, in the generated fast path (decision 0007) or in the level
grading shows up as a disagreement.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loom.modules.assessment.engine import (
    CompiledRules,
    Indicator,
    RuleSet,
    ScoreResult,
    builtin_ruleset,
    builtin_ruleset_document,
    compile_rules,
    load_ruleset,
    score,
    score_many,
)
from loom.modules.assessment.engine.validation import resolve

#: the deterministic profile registered in conftest.py
PROFILE = settings.get_profile("loom-properties")

Questionnaire = dict[str, Any]

RULESET = builtin_ruleset()
RULES = compile_rules(RULESET)
INDICATORS: tuple[Indicator, ...] = tuple(RULESET.indicators())
SCENES = tuple(RULESET.scenes())


# ------------------------------------------------------------------ generated questionnaires


def _figure(integer: bool) -> st.SearchStrategy[Any]:
    """Return non-negative raw figures: whole counts, or money as int, float or Decimal."""
    if integer:
        return st.integers(0, 1000)
    tenths = st.integers(0, 10_000)
    return st.one_of(
        st.integers(0, 1000),
        tenths.map(lambda n: n / 10),  # a JSON float such as 0.1: read as one tenth
        tenths.map(lambda n: Decimal(n).scaleb(-1)),
    )


@st.composite
def rate_answer(draw: st.DrawFn, ind: Indicator, shared: dict[str, Any]) -> dict[str, Any]:
    """Return the raw figures of a rate question, a shared denominator left out or repeated."""
    spec = ind.rate
    assert spec is not None
    bottom_field, top_field = spec.denominator, spec.numerator
    answer: dict[str, Any] = {}
    if bottom_field.shared_from is not None and bottom_field.id in shared:
        bottom = shared[bottom_field.id]
        if draw(st.booleans()):
            answer[bottom_field.id] = bottom  # repeating it is allowed when it is the same
    else:
        # 100 and 1000 put exact band edges (10 %, 20 % …) within reach
        bottom = draw(st.one_of(st.sampled_from((100, 1000)), st.integers(1, 1000)))
        if not bottom_field.integer and draw(st.booleans()):
            bottom = Decimal(bottom)
        answer[bottom_field.id] = bottom
    shared[bottom_field.id] = bottom
    if top_field.integer:
        top: Any = draw(st.integers(0, int(bottom)))
    else:
        # no band covers more than 100 %, so the share is drawn within the denominator
        tenths = draw(st.integers(0, int(bottom) * 10))
        top = draw(st.sampled_from((Decimal(tenths).scaleb(-1), tenths / 10)))
    answer[top_field.id] = top
    return answer


@st.composite
def multi_answer(draw: st.DrawFn, ind: Indicator) -> list[str]:
    """Return the exclusive option alone, or a non-empty set of the others in any order."""
    exclusive = [o.id for o in ind.options if o.exclusive]
    others = [o.id for o in ind.options if not o.exclusive]
    if exclusive and draw(st.integers(0, 4)) == 0:
        return [draw(st.sampled_from(exclusive))]
    ticked = draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
    return ticked


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    """Return a valid questionnaire for the built-in 2024 rule set."""
    answers: dict[str, Any] = {}
    shared: dict[str, Any] = {}
    for ind in INDICATORS:
        if ind.type == "single":
            answers[ind.id] = draw(st.sampled_from([o.id for o in ind.options]))
        elif ind.type == "multi":
            answers[ind.id] = draw(multi_answer(ind))
        else:
            answers[ind.id] = draw(rate_answer(ind, shared))
    scenes = {s.id: draw(st.integers(0, s.max_level)) for s in SCENES}
    return {"standard": RULESET.standard, "answers": answers, "scenes": scenes}


# ------------------------------------------------------------------ the oracle


def _exact(value: Any) -> Fraction:
    # floats are read through their shortest repr, as the engine documents (0.1 is one tenth)
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def _in_band(ind: Indicator, percent: Fraction) -> Decimal:
    for option in ind.options:
        band = option.band
        assert band is not None
        low, high = Fraction(band.low), Fraction(band.high)
        above = percent >= low if band.low_inclusive else percent > low
        below = percent <= high if band.high_inclusive else percent < high
        if above and below:
            return option.points
    raise AssertionError(f"{ind.id}: {percent}% is in no band")


def expected_points(q: Questionnaire) -> dict[str, Decimal]:
    """Return each indicator's points as the rule-set document defines them."""
    points: dict[str, Decimal] = {}
    figures: dict[str, Any] = {}
    for ind in INDICATORS:
        answer = q["answers"][ind.id]
        by_id = {o.id: o.points for o in ind.options}
        if ind.type == "single":
            points[ind.id] = by_id[answer]
        elif ind.type == "multi":
            points[ind.id] = sum((by_id[letter] for letter in answer), Decimal(0))
        else:
            assert ind.rate is not None
            figures.update(answer)
            top = _exact(figures[ind.rate.numerator.id])
            bottom = _exact(figures[ind.rate.denominator.id])
            points[ind.id] = _in_band(ind, 100 * top / bottom)
    return points


def expected_levels(total: Decimal, scenes: dict[str, int], ruleset: RuleSet) -> set[int]:
    """Return every level whose three conditions hold (thresholds inclusive)."""
    met = set()
    for rule in ruleset.level_rules.levels:
        at = [s for s in ruleset.scenes() if scenes[s.id] >= rule.level]
        constrained = [s for s in at if s.constrained]
        if (
            total >= rule.min_score
            and len(at) >= rule.min_scenes_at_or_above_level
            and len(constrained) >= rule.min_constrained_scenes_at_or_above_level
        ):
            met.add(rule.level)
    return met


def _decimal_total(result: ScoreResult, rules: CompiledRules) -> Decimal:
    return Decimal(result.total) / rules.scale


# ------------------------------------------------------------------ properties


@settings(PROFILE, max_examples=150)
@given(questionnaires())
def test_score_matches_the_rule_set_and_stays_within_bounds(q: Questionnaire) -> None:
    """Points per indicator, the total, the dimensions and the level agree with the oracle."""
    result = score(q, RULES)
    points = expected_points(q)
    assert {k: Decimal(repr(v)) for k, v in result.indicator_points.items()} == points
    total = sum(points.values(), Decimal(0))
    assert _decimal_total(result, RULES) == total
    assert 0 <= total <= RULESET.max_score
    dimensions = result.dimension_scores
    for dimension in RULESET.dimensions:
        assert 0 <= dimensions[dimension.id] <= dimension.max_points
    met = expected_levels(total, q["scenes"], RULESET)
    assert result.level == max(met, default=0)
    # the built-in thresholds nest (each level asks at least as much as the one below), so
    # the levels that hold are exactly 1..level
    assert met == set(range(1, result.level + 1))
    report = result.to_dict()
    assert {c["level"] for c in report["levels"] if c["met"]} == met
    assert {int(k) for k, short in report["unmet"].items() if not short} == met


@settings(PROFILE, max_examples=150)
@given(questionnaires())
def test_generated_fast_path_equals_the_thorough_checker(q: Questionnaire) -> None:
    """The generated ``resolve`` accepts a valid questionnaire exactly as ``validation`` does."""
    reference = resolve(RULES, q)
    fast = RULES.generated.resolve(q)
    assert fast == reference
    (batch,) = score_many([q], RULES)
    assert isinstance(batch, ScoreResult)
    assert batch.to_dict() == score(q, RULES).to_dict()


def _raised(q: Questionnaire, ind: Indicator, data: st.DataObject) -> Questionnaire | None:
    """Return ``q`` with one answer raised (worth at least as many points), or None."""
    raised = copy.deepcopy(q)
    answer = raised["answers"][ind.id]
    points = {o.id: o.points for o in ind.options}
    if ind.type == "single":
        better = [o for o, p in points.items() if p >= points[answer]]
        raised["answers"][ind.id] = data.draw(st.sampled_from(better))
    elif ind.type == "multi":
        free = [o.id for o in ind.options if not o.exclusive and o.id not in answer]
        if not free:
            return None
        ticked = [
            letter for letter in answer if letter not in {o.id for o in ind.options if o.exclusive}
        ]
        raised["answers"][ind.id] = [*ticked, data.draw(st.sampled_from(free))]
    else:
        assert ind.rate is not None
        top_id = ind.rate.numerator.id
        figures: dict[str, Any] = {}
        for earlier in INDICATORS:
            figures.update(raised["answers"][earlier.id] if earlier.type == "rate" else {})
            if earlier.id == ind.id:
                break
        bottom = int(_exact(figures[ind.rate.denominator.id]))
        top = _exact(answer[top_id])
        raised["answers"][ind.id][top_id] = data.draw(st.integers(int(top) + (top % 1 > 0), bottom))
    return raised


@settings(PROFILE, max_examples=120)
@given(questionnaires(), st.data())
def test_raising_an_answer_or_a_scene_never_lowers_score_or_level(
    q: Questionnaire, data: st.DataObject
) -> None:
    """Monotone: a better option, one more tick, a higher rate or scene level never costs."""
    before = score(q, RULES)
    ind = data.draw(st.sampled_from(INDICATORS))
    raised = _raised(q, ind, data)
    if raised is not None:
        after = score(raised, RULES)
        assert after.total >= before.total
        assert after.level >= before.level
    scene = data.draw(st.sampled_from(SCENES))
    higher = copy.deepcopy(q)
    higher["scenes"][scene.id] = data.draw(st.integers(q["scenes"][scene.id], scene.max_level))
    after = score(higher, RULES)
    assert after.total == before.total  # scenes are not scored in points
    assert after.level >= before.level


@st.composite
def level_rule_sets(draw: st.DrawFn) -> CompiledRules:
    """Return the 2024 rule set with generated level thresholds (not necessarily nested)."""
    document = copy.deepcopy(builtin_ruleset_document())
    constrained = sum(1 for s in SCENES if s.constrained)
    for rule in document["level_rules"]["levels"]:
        rule["min_score"] = draw(st.integers(0, 200)) / 2  # 0, 0.5 … 100
        scenes = draw(st.integers(0, len(SCENES)))
        rule["min_scenes_at_or_above_level"] = scenes
        rule["min_constrained_scenes_at_or_above_level"] = draw(
            st.integers(0, min(scenes, constrained))
        )
    return compile_rules(load_ruleset(document))


@settings(PROFILE, max_examples=40)
@given(level_rule_sets(), st.lists(questionnaires(), min_size=1, max_size=5))
def test_generated_level_grading_follows_any_thresholds(
    rules: CompiledRules, batch: list[Questionnaire]
) -> None:
    """The generated ``standing`` picks the highest level whose conditions hold, nested or not."""
    for q, result in zip(batch, score_many(batch, rules), strict=True):
        assert isinstance(result, ScoreResult)
        total = _decimal_total(result, rules)
        assert total == sum(expected_points(q).values(), Decimal(0))
        met = expected_levels(total, q["scenes"], rules.ruleset)
        assert result.level == max(met, default=0)
        report = result.to_dict()
        assert {c["level"] for c in report["levels"] if c["met"]} == met
