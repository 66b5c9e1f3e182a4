"""The generated fast path: the same answers as the thorough checker, and no rule-set text as code.

The resolver and the level grading are Python source written per compiled rule set
(engine/generated.py). Every questionnaire it accepts must resolve exactly as the thorough
checker resolves it, and anything the thorough checker rejects must be declined (``None``).
"""

from __future__ import annotations

import copy
import io
import random
import tokenize
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import pytest

from loom.modules.assessment.engine import (
    CompiledRules,
    InvalidQuestionnaire,
    builtin_ruleset_document,
    compile_rules,
    count_scenes,
    grade,
    load_ruleset,
    score,
)
from loom.modules.assessment.engine.compiled import MULTI, RATE, SINGLE, CompiledIndicator
from loom.modules.assessment.engine.fastpath import Resolved, fast_resolve
from loom.modules.assessment.engine.scoring import default_rules
from loom.modules.assessment.engine.validation import resolve
from loom.modules.assessment.planner.samples import sample_answers
from tests.modules.assessment import with_answers, with_scenes, zero_questionnaire

Questionnaire = dict[str, Any]


class Letter(str):
    """A str subclass: the fast path insists on exact types and leaves these to the checker."""

    __slots__ = ()


# ---------------------------------------------------------------- random questionnaires


def random_rate(ind: CompiledIndicator, rng: random.Random, figures: dict[Any, Any]) -> Any:
    """Return raw figures for a rate question, a shared figure left out or repeated."""
    numerator, denominator = ind.numerator, ind.denominator
    assert numerator is not None
    assert denominator is not None
    answer: dict[str, Any] = {}

    def given(field: Any, fresh: Any) -> Any:
        if field.source_key in figures:
            value = figures[field.source_key]
            if rng.random() < 0.5:
                answer[field.id] = value
        else:
            value = answer[field.id] = fresh
        figures[field.key] = value
        return value

    # 100 and 1000 make exact band edges (10%, 20% …) common
    bottom = given(denominator, rng.choice((100, 1000, rng.randint(1, 500))))
    top = rng.randint(0, int(bottom * (1.2 if rng.random() < 0.05 else 1)))
    if not numerator.integer and rng.random() < 0.4:
        top = rng.randint(0, int(bottom) * 10) / 10  # money with one decimal, as JSON floats
    given(numerator, top)
    return answer


def random_questionnaire(c: CompiledRules, rng: random.Random) -> Questionnaire:
    """Return a questionnaire for any compiled rules, valid unless a rate exceeds 100%."""
    answers: dict[str, Any] = {}
    figures: dict[Any, Any] = {}
    for ind in c.indicators:
        options = list(ind.points)
        if ind.kind == SINGLE:
            answers[ind.id] = rng.choice(options)
        elif ind.kind == MULTI:
            plain = [o for o in options if o not in ind.exclusive]
            ticked = rng.sample(plain, rng.randint(0, len(plain)))
            answers[ind.id] = ticked or sorted(ind.exclusive)[:1] or plain[:1]
        else:
            answers[ind.id] = random_rate(ind, rng, figures)
    scenes = {s: rng.randint(0, top) for s, top in zip(c.scene_ids, c.scene_max_level, strict=True)}
    q: Questionnaire = {"standard": c.standard, "answers": answers, "scenes": scenes}
    if rng.random() < 0.5:
        q["id"] = rng.choice((7, "batch-7"))
    return q


Mutation = Callable[[CompiledRules, Questionnaire, random.Random], None]


def _of_kind(c: CompiledRules, kind: int, rng: random.Random) -> CompiledIndicator:
    return rng.choice([i for i in c.indicators if i.kind == kind])


def _bad_scene(c: CompiledRules, q: Questionnaire, rng: random.Random) -> None:
    bad = (True, False, 1.0, 0.0, -1, 5, 2**70, "2", None, Decimal(2), Fraction(1))
    q["scenes"][rng.choice(c.scene_ids)] = rng.choice(bad)


def _bad_single(c: CompiledRules, q: Questionnaire, rng: random.Random) -> None:
    ind = _of_kind(c, SINGLE, rng)
    q["answers"][ind.id] = rng.choice((1, None, ["A"], "Z", "", Letter(next(iter(ind.points)))))


def _bad_multi(c: CompiledRules, q: Questionnaire, rng: random.Random) -> None:
    ind = _of_kind(c, MULTI, rng)
    plain = [o for o in ind.points if o not in ind.exclusive]
    one = plain[0]
    q["answers"][ind.id] = rng.choice(
        ([], [*ind.exclusive, one], [one, one], [[one]], (one,), one, ["Z"], [None], [Letter(one)])
    )


BAD_FIGURES = (
    *(True, False, 2.5, 2.0, -1, -0.5, -0.0, 0, None, "12"),
    *(Decimal("1.5"), Decimal("NaN"), float("nan"), float("inf"), Fraction(1, 3), 1e300, 10**400),
)


def _bad_rate(c: CompiledRules, q: Questionnaire, rng: random.Random) -> None:
    ind = _of_kind(c, RATE, rng)
    value = q["answers"][ind.id]
    field = rng.choice([f for f in (ind.numerator, ind.denominator) if f is not None])
    choice = rng.randrange(4)
    if choice == 0:
        value[field.id] = rng.choice(BAD_FIGURES)
    elif choice == 1:
        value["extra"] = 1
    elif choice == 2:
        value.pop(field.id, None)
    else:
        q["answers"][ind.id] = rng.choice((30, "C", [1, 2], MappingProxyType(dict(value))))


def _bad_shape(c: CompiledRules, q: Questionnaire, rng: random.Random) -> None:
    choice = rng.randrange(8)
    if choice == 0:
        q["extra"] = 1
    elif choice == 1:
        q["id"] = rng.choice((1.5, True, ["x"], None))
    elif choice == 2:
        q["standard"] = "2022-manufacturing"
    elif choice == 3:
        del q["answers"][rng.choice(c.indicator_ids)]
    elif choice == 4:
        q["answers"]["X9"] = "A"
    elif choice == 5:
        del q["scenes"][rng.choice(c.scene_ids)]
    elif choice == 6:
        q["scenes"]["S99"] = 1
    else:
        q[rng.choice(("answers", "scenes"))] = []


MUTATIONS: tuple[Mutation, ...] = (_bad_scene, _bad_single, _bad_multi, _bad_rate, _bad_shape)


def thorough(c: CompiledRules, q: Any) -> Resolved | None:
    """Return what the thorough checker resolves (a read-only mapping skips the fast path)."""
    try:
        return resolve(c, MappingProxyType(q) if type(q) is dict else q)
    except InvalidQuestionnaire:
        return None


def assert_agrees(c: CompiledRules, q: Any, *, valid: bool) -> Resolved | None:
    """Check the generated path against the thorough one, and its grading against grade()."""
    fast = c.generated.resolve(q)
    expected = thorough(c, q)
    if valid or fast is not None:
        assert fast == expected, q
    if fast is not None:
        all_counts, constrained_counts = count_scenes(c, fast[3])
        total = sum(fast[1])
        assert c.generated.standing(fast[3], total) == (
            tuple(all_counts),
            tuple(constrained_counts),
            grade(c, total, all_counts, constrained_counts),
        )
    return fast


def run_differential(c: CompiledRules, count: int, seed: int) -> tuple[int, int]:
    """Check ``count`` questionnaires, half mutated; return (accepted, declined) counts."""
    rng = random.Random(seed)
    accepted = declined = 0
    for _ in range(count):
        q = random_questionnaire(c, rng)
        mutated = rng.random() < 0.5
        if mutated:
            rng.choice(MUTATIONS)(c, q, rng)
        fast = assert_agrees(c, q, valid=not mutated)
        accepted += fast is not None
        declined += fast is None
    return accepted, declined


# ---------------------------------------------------------------- (a) differential


def test_generated_path_resolves_exactly_as_the_thorough_checker() -> None:
    accepted, declined = run_differential(default_rules(), 4000, seed=20241126)
    # both outcomes are exercised in quantity
    assert accepted > 1500
    assert declined > 1000


def test_the_sample_enterprise_by_hand() -> None:
    c = default_rules()
    resolved = c.generated.resolve(sample_answers())
    assert resolved is not None
    options, points, rates, levels = resolved
    assert options[0] == ("B",)
    assert options[3] == ("D", "N", "O")
    # 2 + 1.5 + 0 + (0.7 + 0.7 + 0.9) + 5 + 1.25 + 0 + 3 + 1.875 + 3 + 1.875 + 3.5 + 3.5 + 1.5 + 0
    assert sum(points) == 30_300
    # B2 18 of 120 devices, B3 6 of B2's 120, M4 6 of 40 (万元): exact, not reduced
    assert rates == (("B2", 18, 120), ("B3", 6, 120), ("M4", 6, 40))
    # 15 scenes at 1 or more, 5 at 2 (S03, S13 of them constrained), S10 (constrained) at 0:
    # level 2 needs 6 scenes at 2+, level 1 holds (30.3 >= 20, 15 >= 6, 9 >= 3)
    assert c.generated.standing(levels, 30_300) == ((16, 15, 5, 0, 0, 0), (10, 9, 2, 0, 0, 0), 1)


# ---------------------------------------------------------------- (b) adversarial input


def changed_answers(**changed: Any) -> Questionnaire:
    return with_answers(zero_questionnaire(), **changed)


def changed_scenes(**changed: Any) -> Questionnaire:
    return with_scenes(zero_questionnaire(), **changed)


def money(investment: Any, revenue: Any = 10) -> Questionnaire:
    return changed_answers(M4={"digital_investment": investment, "revenue": revenue})


def _missing_scene() -> Questionnaire:
    q = zero_questionnaire()
    del q["scenes"]["S16"]
    return q


ADVERSARIAL: dict[str, tuple[Questionnaire, str]] = {
    "scene True": (changed_scenes(S01=True), "scenes.S01"),
    "scene 1.0": (changed_scenes(S01=1.0), "scenes.S01"),
    "scene -1": (changed_scenes(S01=-1), "scenes.S01"),
    "scene 5": (changed_scenes(S01=5), "scenes.S01"),
    "scene '2'": (changed_scenes(S01="2"), "scenes.S01"),
    "extra scene": (changed_scenes(S17=1), "scenes.S17"),
    "missing scene": (_missing_scene(), "scenes.S16"),
    "bool count": (
        changed_answers(B2={"production_devices": 10, "digital_devices": True}),
        "answers.B2.digital_devices",
    ),
    "float count": (
        changed_answers(B2={"production_devices": 10, "digital_devices": 2.5}),
        "answers.B2.digital_devices",
    ),
    "float shared count": (
        changed_answers(B3={"networked_devices": 1, "production_devices": 1.5}),
        "answers.B3.production_devices",
    ),
    "extra rate key": (
        changed_answers(M4={"digital_investment": 1, "revenue": 10, "profit": 2}),
        "answers.M4.profit",
    ),
    "negative money": (money(-0.5), "answers.M4.digital_investment"),
    "infinite money": (money(float("inf")), "answers.M4.digital_investment"),
    "not-a-number money": (money(float("nan")), "answers.M4.digital_investment"),
    # M4 may exceed 100%, but not its top band; and the rate is too big for a float
    "huge money": (money(10**400, 22), "answers.M4"),
    "unhashable tick": (changed_answers(B1=[["B"]]), "answers.B1[0]"),
    "无 and another": (changed_answers(B1=["A", "B"]), "answers.B1"),
    "ticked twice": (changed_answers(B4=["B", "B"]), "answers.B4[1]"),
}


@pytest.mark.parametrize("case", sorted(ADVERSARIAL))
def test_adversarial_input_is_declined_and_reported(case: str) -> None:
    q, path = ADVERSARIAL[case]
    c = default_rules()
    assert c.generated.resolve(q) is None
    assert fast_resolve(c, q) is None
    with pytest.raises(InvalidQuestionnaire) as caught:
        score(q, c)
    assert path in {p.path for p in caught.value.problems}


def test_a_shared_figure_repeated_or_left_out_resolves_alike() -> None:
    c = default_rules()
    left_out = c.generated.resolve(zero_questionnaire())
    repeated = c.generated.resolve(
        changed_answers(B3={"networked_devices": 0, "production_devices": 100})
    )
    assert left_out is not None
    assert left_out == repeated
    assert left_out[2][1] == ("B3", 0, 100)


# ---------------------------------------------------------------- (c) rule-set text is data


MARK = "⚑"


def hostile_document() -> dict[str, Any]:
    """Return the shipped rule set with every id full of quotes, newlines and code."""

    def hostile(text: str) -> str:
        return f"{text}{MARK}'\"\n) or __import__('os') #\\"

    document = copy.deepcopy(builtin_ruleset_document())
    document["standard"] = hostile(document["standard"])
    document["id"] = f"{document['standard']}.v{document['version']}"
    for dimension in document["dimensions"]:
        for second in dimension["second_level"]:
            for indicator in second["indicators"]:
                indicator["id"] = hostile(indicator["id"])
                for option in indicator["options"]:
                    option["id"] = hostile(option["id"])
                rate = indicator.get("rate") or {}
                for field in (rate.get("numerator"), rate.get("denominator")):
                    if field is None:
                        continue
                    field["id"] = hostile(field["id"])
                    if field.get("shared_from"):
                        field["shared_from"] = hostile(field["shared_from"])
    for group in document["scene_dimension"]["groups"]:
        for scene in group["scenes"]:
            scene["id"] = hostile(scene["id"])
    return document


def test_rule_set_strings_never_become_source_text() -> None:
    for c in (default_rules(), compile_rules(load_ruleset(hostile_document()))):
        source = c.generated.source
        assert MARK not in source
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        strings = {t.string for t in tokens if t.type == tokenize.STRING}
        assert strings == {'"standard"', '"answers"', '"scenes"', '"id"'}


def test_a_hostile_rule_set_scores_like_its_thorough_checker() -> None:
    c = compile_rules(load_ruleset(hostile_document()))
    assert MARK in c.indicator_ids[0]
    accepted, _ = run_differential(c, 600, seed=7)
    assert accepted > 200


# ---------------------------------------------------------------- rule sets the path declines


def _optional_indicator(document: dict[str, Any]) -> None:
    document["dimensions"][0]["second_level"][0]["indicators"][0]["required"] = False


def _optional_scene(document: dict[str, Any]) -> None:
    document["scene_dimension"]["groups"][0]["scenes"][1]["required"] = False


def _fractional_band_edge(document: dict[str, Any]) -> None:
    b2 = next(
        i
        for d in document["dimensions"]
        for s in d["second_level"]
        for i in s["indicators"]
        if i["id"] == "B2"
    )
    b2["options"][0]["band"]["high"] = b2["options"][1]["band"]["low"] = Decimal("10.5")


@pytest.mark.parametrize("edit", [_optional_indicator, _optional_scene, _fractional_band_edge])
def test_rule_sets_beyond_the_fast_path_leave_everything_to_the_checker(
    edit: Callable[[dict[str, Any]], None],
) -> None:
    document = builtin_ruleset_document()
    edit(document)
    c = compile_rules(load_ruleset(document))
    assert "return None" in c.generated.source.split("def standing")[0].splitlines()[1]
    rng = random.Random(3)
    for _ in range(200):
        q = random_questionnaire(c, rng)
        assert c.generated.resolve(q) is None
        expected = thorough(c, q)
        if expected is not None:
            result = score(q, c)  # the thorough path, graded by the generated standing
            all_counts, constrained_counts = count_scenes(c, expected[3])
            assert result.level == grade(c, sum(expected[1]), all_counts, constrained_counts)
