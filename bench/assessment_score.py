"""Assessment scoring: questionnaires per second through score_many, against a bare walk.

The pool holds seeded random questionnaires in the ``answers.json`` shape, rate questions given
as raw numbers, as ``loom assess score-batch`` reads them. Every one must score without error
and grade exactly as its intended option letters do (``score_selection``), or the run fails.
"""

from __future__ import annotations

import gc
import random
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from bench.core import Case, Check, Config, Note, Report
from bench.core import measure as measure_cases
from loom.modules.assessment.engine import (
    CompiledRules,
    InvalidQuestionnaire,
    ScoreResult,
    builtin_ruleset,
    compile_rules,
    score,
    score_many,
    score_selection,
)
from loom.modules.assessment.engine.compiled import RATE, CompiledIndicator
from loom.modules.assessment.engine.fastpath import fast_resolve
from loom.modules.assessment.planner.samples import random_selection

NAME = "assessment_score"
BACKEND = "-"
SEED = 2024
TARGET_PER_SECOND = 50_000

Questionnaire = dict[str, Any]


def _numerator_range(ind: CompiledIndicator, letter: str, denominator: int) -> tuple[int, int]:
    """Return the whole numerators n for which n / denominator falls in the band ``letter``."""
    band = next(b for b in ind.bands if b.option == letter)
    # n / d >= (or >) low_num / low_den, and n / d <= (or <) high_num / high_den, in integers
    low, remainder = divmod(band.low_num * denominator, band.low_den)
    if remainder or not band.low_inclusive:
        low += 1
    high, remainder = divmod(band.high_num * denominator, band.high_den)
    if not remainder and not band.high_inclusive:
        high -= 1
    if low > high:
        raise ValueError(f"{ind.id} band {letter} holds no n/{denominator}")
    return low, high


def _rate_answer(
    ind: CompiledIndicator, letter: str, rng: random.Random, figures: dict[str, int]
) -> dict[str, Any]:
    """Return raw numbers whose rate falls in band ``letter`` (shared figures kept consistent)."""
    numerator, denominator = ind.numerator, ind.denominator
    assert numerator is not None
    assert denominator is not None
    answer: dict[str, Any] = {}
    shared = denominator.shared_from is not None and denominator.id in figures
    if shared:
        bottom = figures[denominator.id]
        if rng.random() < 0.5:  # the form may repeat the shared figure or leave it out
            answer[denominator.id] = bottom
    else:
        bottom = rng.randint(20, 500)
        figures[denominator.id] = bottom
        answer[denominator.id] = bottom
    if numerator.integer or rng.random() < 0.6:
        low, high = _numerator_range(ind, letter, bottom)
        answer[numerator.id] = rng.randint(low, high)
    else:
        # money in 万元 with one decimal, as a JSON float: the slower exact-decimal path
        low, high = _numerator_range(ind, letter, bottom * 10)
        tenths = rng.randint(low, high)
        answer[numerator.id] = tenths // 10 if tenths % 10 == 0 else tenths / 10
    return answer


def random_questionnaire(c: CompiledRules, rng: random.Random, ident: int) -> Questionnaire:
    """Return a valid questionnaire of a random SME, with raw numbers for rate questions."""
    options, scenes = random_selection(c, rng)
    answers: dict[str, Any] = {}
    figures: dict[str, int] = {}
    for ind in c.indicators:
        chosen = options[ind.id]
        if ind.kind == RATE:
            assert isinstance(chosen, str)
            answers[ind.id] = _rate_answer(ind, chosen, rng, figures)
        else:
            answers[ind.id] = chosen
    return {"id": ident, "standard": c.standard, "answers": answers, "scenes": scenes}


def _intended(c: CompiledRules, q: Questionnaire) -> dict[str, str | list[str]]:
    """Return the option letters a questionnaire stands for (rates banded independently)."""
    letters: dict[str, str | list[str]] = {}
    figures: dict[str, Fraction] = {}
    for ind in c.indicators:
        value = q["answers"][ind.id]
        if ind.kind != RATE:
            letters[ind.id] = value
            continue
        assert ind.numerator is not None
        assert ind.denominator is not None
        for field in (ind.numerator, ind.denominator):
            if field.id in value:
                figures[field.id] = Fraction(Decimal(repr(value[field.id])))
        rate = figures[ind.numerator.id] / figures[ind.denominator.id]
        letters[ind.id] = next(
            b.option
            for b in ind.bands
            if (
                rate >= Fraction(b.low_num, b.low_den)
                if b.low_inclusive
                else rate > Fraction(b.low_num, b.low_den)
            )
            and (
                rate <= Fraction(b.high_num, b.high_den)
                if b.high_inclusive
                else rate < Fraction(b.high_num, b.high_den)
            )
        )
    return letters


def build_pool(c: CompiledRules, size: int, seed: int) -> list[Questionnaire]:
    """Return ``size`` seeded random questionnaires."""
    rng = random.Random(seed)
    return [random_questionnaire(c, rng, n) for n in range(size)]


def check_pool(c: CompiledRules, pool: Sequence[Questionnaire]) -> tuple[bool, str]:
    """Score the pool and compare every result with its option letters scored directly."""
    outcomes = score_many(pool, c)
    errors = [o for o in outcomes if isinstance(o, InvalidQuestionnaire)]
    if errors:
        return False, f"{len(errors)} of {len(pool)} rejected, first: {errors[0]}"
    mismatched = 0
    levels: Counter[int] = Counter()
    for q, outcome in zip(pool, outcomes, strict=True):
        assert isinstance(outcome, ScoreResult)
        expected = score_selection(_intended(c, q), q["scenes"], c)
        single = score(q, c)
        got = (outcome.total, outcome.level, outcome.id)
        if got != (expected.total, expected.level, q["id"]) or got != (
            single.total,
            single.level,
            single.id,
        ):
            mismatched += 1
        levels[outcome.level] += 1
    if mismatched:
        return False, f"{mismatched} of {len(pool)} scored differently from their letters"
    spread = ", ".join(f"level {k}: {v}" for k, v in sorted(levels.items()))
    return True, f"all {len(pool)} scored, each as its option letters do ({spread})"


def cycling(
    pool: Sequence[Questionnaire], work: Callable[[Sequence[Questionnaire]], int]
) -> Callable[[int], int]:
    """Return a workload that hands ``work`` consecutive slices of the pool, wrapping round."""
    position = 0

    def run(n: int) -> int:
        nonlocal position
        done = 0
        while done < n:
            end = min(len(pool), position + n - done)
            done += work(pool[position:end])
            position = end % len(pool)
        return done

    return run


def bare_walk(c: CompiledRules) -> Callable[[Sequence[Questionnaire]], int]:
    """Return the baseline: read every answer and scene, summing one points lookup per tick.

    Rate answers are read (their figures added up) but not banded; no checking, no level.
    """
    tables = {ind.id: dict(ind.points) for ind in c.indicators}

    def walk(chunk: Sequence[Questionnaire]) -> int:
        sink = 0
        for q in chunk:
            total = 0
            for key, value in q["answers"].items():
                table = tables[key]
                if type(value) is str:
                    total += table[value]
                elif type(value) is list:
                    for letter in value:
                        total += table[letter]
                else:
                    for figure in value.values():
                        total += figure
            sink += total + sum(q["scenes"].values())
        if sink < 0:
            raise RuntimeError("impossible total")
        return len(chunk)

    return walk


def batch_scorer(c: CompiledRules) -> Callable[[Sequence[Questionnaire]], int]:
    """Return the workload: one ``score_many`` call per slice, every outcome a result."""

    def scorer(chunk: Sequence[Questionnaire]) -> int:
        outcomes = score_many(chunk, c)
        for outcome in outcomes:
            if type(outcome) is not ScoreResult:
                raise RuntimeError(f"score_many rejected a pool questionnaire: {outcome}")
        return len(outcomes)

    return scorer


def batch_scorer_without_gc(c: CompiledRules) -> Callable[[Sequence[Questionnaire]], int]:
    """Return ``score_many`` with the cyclic garbage collector paused: what collections cost.

    ``score_many`` keeps every result until it returns, and each result is an object the
    collector tracks, so a long batch triggers collections that walk the results so far.
    """
    scorer = batch_scorer(c)

    def paused(chunk: Sequence[Questionnaire]) -> int:
        gc.disable()
        try:
            return scorer(chunk)
        finally:
            gc.enable()

    return paused


def single_scorer(c: CompiledRules) -> Callable[[Sequence[Questionnaire]], int]:
    """Return the workload: one ``score()`` call per questionnaire."""

    def scorer(chunk: Sequence[Questionnaire]) -> int:
        for q in chunk:
            score(q, c)
        return len(chunk)

    return scorer


def run(config: Config, report: Report) -> None:
    """Check the pool, then time the bare walk, score_many and score() over it."""
    c = compile_rules(builtin_ruleset())
    size = config.pick(10_000, 2_000)
    pool = build_pool(c, size, SEED)
    ok, detail = check_pool(c, pool)
    report.checks.append(Check(NAME, BACKEND, "pool scores without error, as intended", ok, detail))
    if not ok:
        return
    fast = sum(fast_resolve(c, q) is not None for q in pool)
    report.notes.append(
        Note(
            NAME, BACKEND, f"pool: {size:,} questionnaires (seed {SEED}), {fast:,} on the fast path"
        )
    )
    cases = [
        Case(
            "bare walk: read answers, sum a lookup per tick (baseline)",
            cycling(pool, bare_walk(c)),
            warmup=size,
        ),
        Case(f"score_many over a pool of {size:,}", cycling(pool, batch_scorer(c)), warmup=size),
        Case("score(), one call per questionnaire", cycling(pool, single_scorer(c)), warmup=size),
        Case(
            "score_many, cyclic GC paused during the call",
            cycling(pool, batch_scorer_without_gc(c)),
            warmup=size,
        ),
    ]
    rows = measure_cases(NAME, BACKEND, cases, config, unit="questionnaires")
    report.rows += rows
    many = rows[1]
    verdict = "met" if many.rate >= TARGET_PER_SECOND else "NOT met"
    report.notes.append(
        Note(
            NAME,
            BACKEND,
            f"score_many: {many.rate:,.0f}/s in one thread against the target of "
            f"{TARGET_PER_SECOND:,}/s: {verdict} "
            f"({many.rate / TARGET_PER_SECOND:.2f}x the target); "
            f"per-round rates {min(1 / s for s in many.seconds_per_op):,.0f}-"
            f"{max(1 / s for s in many.seconds_per_op):,.0f}/s",
        )
    )
