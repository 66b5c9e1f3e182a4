"""Cross-item checks that keep an edited rule set self-consistent before anyone is scored on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal

from loom.modules.assessment.engine.errors import Problem
from loom.modules.assessment.engine.model import Indicator, Option, RuleSet

_Fail = Callable[[str, str], None]


def check_consistency(rs: RuleSet) -> list[Problem]:
    """Return every inconsistency between the items of a structurally valid rule set."""
    problems: list[Problem] = []

    def fail(path: str, message: str) -> None:
        problems.append(Problem(path, message))

    expected_id = f"{rs.standard}.v{rs.version}"
    if rs.id != expected_id:
        fail("id", f"must be {expected_id!r} (standard and version), got {rs.id!r}")
    _duplicates(fail, "dimensions", (d.id for d in rs.dimensions), "dimension")
    seconds = [s for d in rs.dimensions for s in d.second_level]
    _duplicates(fail, "dimensions", (s.id for s in seconds), "second-level group")
    indicators = list(rs.indicators())
    scenes = list(rs.scenes())
    _duplicates(fail, "dimensions", (i.id for i in indicators), "indicator")
    _duplicates(fail, "scene_dimension", (s.id for s in scenes), "scene")
    _duplicates(fail, "scene_dimension", (g.id for g in rs.scene_dimension.groups), "group")
    for clash in sorted({i.id for i in indicators} & {s.id for s in scenes}):
        fail("scene_dimension", f"scene id {clash!r} is also an indicator id")

    total = Decimal(0)
    seen_rates: dict[str, Indicator] = {}
    for d in rs.dimensions:
        d_path = f"dimensions[{d.id}]"
        _sum_matches(fail, d_path, d.max_points, (s.max_points for s in d.second_level))
        total += d.max_points
        for s in d.second_level:
            s_path = f"{d_path}.second_level[{s.id}]"
            _sum_matches(fail, s_path, s.max_points, (i.max_points for i in s.indicators))
            for indicator in s.indicators:
                i_path = f"{s_path}.indicators[{indicator.id}]"
                for path, message in _indicator_problems(indicator, seen_rates):
                    fail(f"{i_path}{path}", message)
                if indicator.type == "rate":
                    seen_rates[indicator.id] = indicator
    if total != rs.max_score:
        fail("max_score", f"is {rs.max_score} but the dimensions add up to {total}")

    for scene in scenes:
        numbers = [level.level for level in scene.levels]
        if numbers != list(range(1, len(numbers) + 1)):
            fail(
                f"scene_dimension.scenes[{scene.id}].levels", f"must be 1, 2, … in order: {numbers}"
            )
    _level_rule_problems(rs, fail)
    return problems


def _duplicates(fail: _Fail, path: str, ids: Iterable[str], what: str) -> None:
    for item, count in Counter(ids).items():
        if count > 1:
            fail(path, f"{what} id {item!r} is used {count} times")


def _sum_matches(fail: _Fail, path: str, stated: Decimal, parts: Iterable[Decimal]) -> None:
    total = sum(parts, Decimal(0))
    if total != stated:
        fail(f"{path}.max_points", f"is {stated} but its parts add up to {total}")


def _indicator_problems(
    indicator: Indicator, seen_rates: dict[str, Indicator]
) -> Iterable[tuple[str, str]]:
    """Yield ``(sub-path, message)`` for one indicator."""
    counts = Counter(option.id for option in indicator.options)
    for option_id, count in counts.items():
        if count > 1:
            yield ".options", f"option id {option_id!r} is used {count} times"
    for option in indicator.options:
        o_path = f".options[{option.id}]"
        if option.exclusive and indicator.type != "multi":
            yield f"{o_path}.exclusive", "only multiple-choice options can be exclusive"
        if option.exclusive and option.points != 0:
            yield f"{o_path}.points", "an exclusive option (such as 无) must be worth 0 points"
        if (option.band is None) == (indicator.type == "rate"):
            need = "needs" if indicator.type == "rate" else "must not have"
            yield f"{o_path}.band", f"an option of a {indicator.type} indicator {need} a band"
    unverified = [option.id for option in indicator.options if not option.verified]
    if unverified and indicator.verified:
        yield ".verified", f"must be false while options {', '.join(unverified)} are unverified"
    points = [o.points for o in indicator.options if not o.exclusive]
    reachable = sum(points, Decimal(0)) if indicator.type == "multi" else max(points, default=0)
    if reachable != indicator.max_points:
        how = "the sum" if indicator.type == "multi" else "the best"
        yield ".max_points", f"is {indicator.max_points} but {how} of its options gives {reachable}"
    if (indicator.rate is None) == (indicator.type == "rate"):
        need = "needs" if indicator.type == "rate" else "must not have"
        yield ".rate", f"a {indicator.type} indicator {need} a rate specification"
    if indicator.rate is not None:
        yield from _rate_problems(indicator, seen_rates)
        if all(option.band is not None for option in indicator.options):
            yield from _band_problems(indicator.options)


def _rate_problems(
    indicator: Indicator, seen_rates: dict[str, Indicator]
) -> Iterable[tuple[str, str]]:
    assert indicator.rate is not None
    fields = (indicator.rate.numerator, indicator.rate.denominator)
    if fields[0].id == fields[1].id:
        yield ".rate", "numerator and denominator need different ids"
    for role, field in zip(("numerator", "denominator"), fields, strict=True):
        if field.shared_from is None:
            continue
        source = seen_rates.get(field.shared_from)
        source_fields = (
            ()
            if source is None or source.rate is None
            else (
                source.rate.numerator,
                source.rate.denominator,
            )
        )
        match = [f for f in source_fields if f.id == field.id and f.integer == field.integer]
        if not match:
            yield (
                f".rate.{role}.shared_from",
                f"must name an earlier rate indicator with a field {field.id!r} of the same kind",
            )


def _band_problems(options: tuple[Option, ...]) -> Iterable[tuple[str, str]]:
    """Bands must run upwards without gaps or overlaps, each edge belonging to exactly one band."""
    previous = None
    for option in options:
        band = option.band
        assert band is not None
        path = f".options[{option.id}].band"
        empty = band.low > band.high or (
            band.low == band.high and not (band.low_inclusive and band.high_inclusive)
        )
        if empty:
            yield path, "is empty"
        if previous is not None and band.low != previous.high:
            yield path, f"must start where the previous band ends ({previous.high}%)"
        elif previous is not None and band.low_inclusive == previous.high_inclusive:
            yield path, f"the edge {band.low}% must belong to exactly one of the two bands"
        previous = band


def _level_rule_problems(rs: RuleSet, fail: _Fail) -> None:
    rules = rs.level_rules.levels
    _duplicates(fail, "level_rules.levels", (rule.id for rule in rules), "level rule")
    numbers = [rule.level for rule in rules]
    if numbers != list(range(1, len(numbers) + 1)):
        fail("level_rules.levels", f"levels must be 1, 2, … in order: {numbers}")
    if any(not rule.verified for rule in rules) and rs.level_rules.verified:
        fail("level_rules.verified", "must be false while any level rule is unverified")
    scenes = list(rs.scenes())
    for rule in rules:
        path = f"level_rules.levels[{rule.id}]"
        if rule.min_score > rs.max_score:
            fail(f"{path}.min_score", f"{rule.min_score} is above the maximum score {rs.max_score}")
        able = [s for s in scenes if s.max_level >= rule.level]
        if rule.min_scenes_at_or_above_level > len(able):
            fail(
                f"{path}.min_scenes_at_or_above_level",
                f"only {len(able)} scenes can reach level {rule.level}",
            )
        constrained = sum(1 for s in able if s.constrained)
        if rule.min_constrained_scenes_at_or_above_level > constrained:
            fail(
                f"{path}.min_constrained_scenes_at_or_above_level",
                f"only {constrained} constrained scenes can reach level {rule.level}",
            )
