"""Check a questionnaire against compiled rules and resolve every answer to options and points.

Well-formed questionnaires take the fast path (``fastpath.py``); anything it declines comes
here, where every problem is collected with its path and nothing is returned unless there are
none. Both paths must agree on every questionnaire they accept; the tests compare them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loom.modules.assessment.engine.compiled import (
    MULTI,
    RATE,
    SINGLE,
    CompiledIndicator,
    CompiledRules,
)
from loom.modules.assessment.engine.document import describe
from loom.modules.assessment.engine.errors import InvalidQuestionnaire, Problem
from loom.modules.assessment.engine.fastpath import Rate, Resolved, fast_resolve
from loom.modules.assessment.engine.rates import resolve_rate

#: the keys a questionnaire may carry; ``id`` is echoed back so batch results can be matched
QUESTIONNAIRE_KEYS = frozenset({"standard", "answers", "scenes", "id"})


def resolve(c: CompiledRules, questionnaire: Any, *, rates_as_options: bool = False) -> Resolved:
    """Return ``(options, points, rates, scene_levels)`` or raise ``InvalidQuestionnaire``.

    With ``rates_as_options`` a rate indicator is answered by its band's option letter instead
    of raw numbers, which is what a planner exploring hypothetical answers needs.
    """
    if not rates_as_options:
        resolved = fast_resolve(c, questionnaire)
        if resolved is not None:
            return resolved
    problems: list[Problem] = []
    if not isinstance(questionnaire, Mapping):
        raise InvalidQuestionnaire(
            [
                Problem(
                    "$",
                    "expected an object with standard, answers and scenes, "
                    f"got {describe(questionnaire)}",
                )
            ]
        )
    for key in questionnaire:
        if key not in QUESTIONNAIRE_KEYS:
            problems.append(
                Problem(str(key), "unknown key; expected standard, answers, scenes, id")
            )
    if "id" in questionnaire:
        ident = questionnaire["id"]
        if type(ident) is not str and type(ident) is not int:
            problems.append(
                Problem("id", f"expected a string or an integer, got {describe(ident)}")
            )
    standard = questionnaire.get("standard")
    if standard != c.standard:
        found = "missing" if standard is None else f"is {describe(standard)}"
        problems.append(
            Problem("standard", f"{found}; rule set {c.rules_version} grades {c.standard!r}")
        )
    answers = questionnaire.get("answers")
    if not isinstance(answers, Mapping):
        found = "missing" if answers is None else f"got {describe(answers)}"
        problems.append(
            Problem("answers", f"expected an object of answers by indicator id, {found}")
        )
        answers = {}
    scenes = questionnaire.get("scenes")
    if not isinstance(scenes, Mapping):
        found = "missing" if scenes is None else f"got {describe(scenes)}"
        problems.append(Problem("scenes", f"expected an object of levels by scene id, {found}"))
        scenes = {}

    options, points, rates = _resolve_answers(c, answers, problems, rates_as_options)
    levels = _resolve_scenes(c, scenes, problems)
    if problems:
        raise InvalidQuestionnaire(problems)
    return tuple(options), tuple(points), tuple(rates), tuple(levels)


def _resolve_answers(
    c: CompiledRules, answers: Mapping[Any, Any], problems: list[Problem], rates_as_options: bool
) -> tuple[list[tuple[str, ...]], list[int], list[Rate]]:
    options: list[tuple[str, ...]] = []
    points: list[int] = []
    rates: list[Rate] = []
    # raw values of rate fields, so a later indicator can share a figure given earlier
    shared: dict[tuple[str, str], tuple[int, int] | None] = {}
    found = 0
    for ind in c.indicators:
        value = answers.get(ind.id)
        chosen: tuple[str, ...] = ()
        if value is None:
            present = ind.id in answers
            found += present
            if ind.required:
                message = "required; got null" if present else "missing answer (required)"
                problems.append(Problem(f"answers.{ind.id}", message))
        else:
            found += 1
            kind = ind.kind
            if kind == SINGLE or (kind == RATE and rates_as_options):
                chosen = _single(ind, value, problems)
            elif kind == MULTI:
                chosen = _multi(ind, value, problems)
            else:
                rate = resolve_rate(ind, value, shared, problems)
                if rate is not None:
                    chosen = (rate[0],)
                    rates.append((ind.id, *rate[1]))
        options.append(chosen)
        table = ind.points
        points.append(sum(table[option] for option in chosen))
    if found != len(answers):
        for key in answers:
            if key not in c.indicator_by_id:
                problems.append(
                    Problem(
                        f"answers.{key}", f"unknown indicator; indicators are {c.indicator_names}"
                    )
                )
    return options, points, rates


def _single(ind: CompiledIndicator, value: Any, problems: list[Problem]) -> tuple[str, ...]:
    if isinstance(value, str) and value in ind.points:
        return (value,)
    if isinstance(value, str):
        message = f"option {value!r} does not exist; options are {ind.option_names}"
    else:
        message = f"expected one option letter such as 'B', got {describe(value)}"
    problems.append(Problem(f"answers.{ind.id}", message))
    return ()


def _multi(ind: CompiledIndicator, value: Any, problems: list[Problem]) -> tuple[str, ...]:
    path = f"answers.{ind.id}"
    if not isinstance(value, list | tuple):
        problems.append(
            Problem(
                path, f"expected a list of option letters such as ['B', 'C'], got {describe(value)}"
            )
        )
        return ()
    if not value:
        exclusive = ", ".join(sorted(ind.exclusive)) or "an option"
        problems.append(Problem(path, f"tick at least one option ({exclusive} when none applies)"))
        return ()
    table = ind.points
    ok = True
    for index, option in enumerate(value):
        if not isinstance(option, str) or option not in table:
            ok = False
            message = (
                f"option {option!r} does not exist; options are {ind.option_names}"
                if isinstance(option, str)
                else f"expected an option letter, got {describe(option)}"
            )
            problems.append(Problem(f"{path}[{index}]", message))
        elif option in value[:index]:
            ok = False
            problems.append(Problem(f"{path}[{index}]", f"option {option!r} is ticked twice"))
    if not ok:
        return ()
    if ind.exclusive and len(value) > 1:
        for option in value:
            if option in ind.exclusive:
                others = ", ".join(o for o in value if o != option)
                problems.append(
                    Problem(
                        path,
                        f"option {option} ({ind.texts[option]}) excludes every other option, "
                        f"but {others} also ticked",
                    )
                )
                return ()
    return tuple(value)


def _resolve_scenes(
    c: CompiledRules, scenes: Mapping[Any, Any], problems: list[Problem]
) -> list[int]:
    levels: list[int] = []
    found = 0
    top = c.scene_max_level
    for position, scene_id in enumerate(c.scene_ids):
        value = scenes.get(scene_id)
        if value is None:
            present = scene_id in scenes
            found += present
            if c.scene_required[position]:
                message = "required; got null" if present else "missing level (0 = not reached)"
                problems.append(Problem(f"scenes.{scene_id}", message))
            levels.append(0)
            continue
        found += 1
        if type(value) is not int:
            problems.append(
                Problem(
                    f"scenes.{scene_id}",
                    f"expected a whole number 0–{top[position]}, got {describe(value)}",
                )
            )
            value = 0
        elif not 0 <= value <= top[position]:
            problems.append(
                Problem(f"scenes.{scene_id}", f"level {value} is outside 0–{top[position]}")
            )
            value = 0
        levels.append(value)
    if found != len(scenes):
        for key in scenes:
            if key not in c.scene_position:
                problems.append(
                    Problem(f"scenes.{key}", f"unknown scene; scenes are {c.scene_names}")
                )
    return levels
