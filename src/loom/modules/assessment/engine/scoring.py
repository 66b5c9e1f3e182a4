"""Score questionnaires: indicator points, dimension and total score, scene counts, level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from loom.modules.assessment.engine.compiled import MULTI, CompiledRules
from loom.modules.assessment.engine.errors import InvalidQuestionnaire
from loom.modules.assessment.engine.outcome import ScoreResult
from loom.modules.assessment.engine.ruleset import RuleSet, builtin_ruleset
from loom.modules.assessment.engine.validation import resolve

#: what the scoring functions accept as rules; ``None`` means the latest built-in rule set
Rules = CompiledRules | RuleSet | None


@cache
def default_rules() -> CompiledRules:
    """Return the latest built-in rule set, compiled once per process."""
    return CompiledRules(builtin_ruleset())


def compiled(rules: Rules) -> CompiledRules:
    """Return compiled rules; compiling costs far more than scoring, so reuse the result."""
    if rules is None:
        return default_rules()
    if isinstance(rules, CompiledRules):
        return rules
    return CompiledRules(rules)


def score(questionnaire: Mapping[str, Any], rules: Rules = None) -> ScoreResult:
    """Score one questionnaire ``{standard, answers, scenes}``; raise ``InvalidQuestionnaire``.

    The error lists every problem found; no partial result is ever returned.
    """
    c = compiled(rules)
    resolved = resolve(c, questionnaire)
    return ScoreResult(c, resolved, questionnaire.get("id"))


def score_many(
    questionnaires: Iterable[Mapping[str, Any]], rules: Rules = None
) -> list[ScoreResult | InvalidQuestionnaire]:
    """Score many questionnaires with one rule set; a bad one yields its error, in place."""
    c = compiled(rules)
    # the generated fast path first, without resolve()'s extra calls: this loop is the benchmark
    fast_resolve = c.generated.resolve
    outcomes: list[ScoreResult | InvalidQuestionnaire] = []
    append = outcomes.append
    for questionnaire in questionnaires:
        resolved = fast_resolve(questionnaire)
        if resolved is None:
            try:
                resolved = resolve(c, questionnaire)
            except InvalidQuestionnaire as error:
                append(error)
                continue
        append(ScoreResult(c, resolved, questionnaire.get("id")))
    return outcomes


def score_selection(
    options: Mapping[str, str | Sequence[str]], scenes: Mapping[str, int], rules: Rules = None
) -> ScoreResult:
    """Score chosen option letters directly, rate indicators included (by band letter).

    ``options`` maps indicator ids to option ids, shaped like ``ScoreResult.indicator_options``
    (a one-element list is fine for single-answer questions). For planners exploring what an
    enterprise would score after an upgrade; input is checked like a questionnaire's.
    """
    c = compiled(rules)
    answers: dict[str, Any] = {}
    for key, value in options.items():
        indicator = c.indicator_by_id.get(key)
        if isinstance(value, list | tuple):
            # accept indicator_options' shape: a one-element list for single-answer questions
            one = indicator is not None and indicator.kind != MULTI and len(value) == 1
            answers[key] = value[0] if one else list(value)
        else:
            answers[key] = value
    questionnaire = {"standard": c.standard, "answers": answers, "scenes": scenes}
    return ScoreResult(c, resolve(c, questionnaire, rates_as_options=True))
