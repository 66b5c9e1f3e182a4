"""Where an enterprise stands, and where it would stand after a set of upgrades (pure Python).

The CP-SAT model in ``model.py`` encodes exactly these rules; this plain version grades a given
plan, explains it option by option, and lets the tests check the solver against brute force.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from loom.modules.assessment.engine import (
    CompiledRules,
    Indicator,
    Rules,
    ScoreResult,
    count_scenes,
    grade,
    score_selection,
)
from loom.modules.assessment.planner.catalogue import Upgrade


@dataclass(frozen=True, slots=True)
class Baseline:
    """An enterprise's current answers as option ids per indicator and levels per scene."""

    rules: CompiledRules
    #: indicator id -> option ids answered now (the band letter for rate questions)
    options: Mapping[str, tuple[str, ...]]
    #: scene id -> level now (0 = not reached)
    scenes: Mapping[str, int]

    @classmethod
    def from_result(cls, result: ScoreResult) -> Baseline:
        """Return the baseline of a scored questionnaire."""
        rules = result.rules
        return cls(
            rules,
            MappingProxyType({k: tuple(v) for k, v in result.indicator_options.items()}),
            MappingProxyType(dict(zip(rules.scene_ids, result.scene_levels, strict=True))),
        )

    @classmethod
    def from_selection(
        cls,
        options: Mapping[str, str | Sequence[str]],
        scenes: Mapping[str, int],
        rules: Rules = None,
    ) -> Baseline:
        """Return the baseline of option letters and scene levels (checked by the engine)."""
        return cls.from_result(score_selection(options, scenes, rules))


@dataclass(frozen=True, slots=True)
class State:
    """Answers, scaled points, scene levels, scene counts and the level after some upgrades."""

    options: Mapping[str, tuple[str, ...]]
    #: points per indicator, scaled by ``rules.scale``
    points: Mapping[str, int]
    total: int
    scenes: Mapping[str, int]
    #: scenes at or above each level 0…max, in all and among the constrained ones
    all_counts: tuple[int, ...]
    constrained_counts: tuple[int, ...]
    level: int


def indicators_by_id(rules: CompiledRules) -> dict[str, Indicator]:
    """Return the rule set's indicators keyed by id."""
    return {indicator.id: indicator for indicator in rules.ruleset.indicators()}


def option_points(rules: CompiledRules, indicator_id: str, options: Iterable[str]) -> int:
    """Return the scaled points of a set of options of one indicator."""
    return sum(rules.points(indicator_id, option) for option in options)


def merge(
    rules: CompiledRules,
    indicator: Indicator,
    current: tuple[str, ...],
    raised: Iterable[tuple[str, ...]],
) -> tuple[str, ...]:
    """Return an indicator's answer after upgrades: the union of ticks, or the best option."""
    if indicator.type == "multi":
        ticked = set(current).union(*raised)
        exclusive = {o.id for o in indicator.options if o.exclusive}
        if ticked - exclusive:
            # "无" cannot stand beside a real tick, so an upgrade replaces it
            ticked -= exclusive
        return tuple(o.id for o in indicator.options if o.id in ticked)
    best = current
    best_points = option_points(rules, indicator.id, current)
    for target in raised:
        earned = option_points(rules, indicator.id, target)
        # strictly better only: an upgrade never replaces an answer worth as much
        if earned > best_points:
            best, best_points = target, earned
    return best


def apply(baseline: Baseline, upgrades: Iterable[Upgrade]) -> State:
    """Return the state after taking these upgrades on top of the baseline."""
    rules = baseline.rules
    chosen = list(upgrades)
    indicators = indicators_by_id(rules)
    options: dict[str, tuple[str, ...]] = {}
    points: dict[str, int] = {}
    for indicator_id, current in baseline.options.items():
        raised = [u.indicators[indicator_id] for u in chosen if indicator_id in u.indicators]
        answer = merge(rules, indicators[indicator_id], current, raised) if raised else current
        options[indicator_id] = answer
        points[indicator_id] = option_points(rules, indicator_id, answer)
    scenes = dict(baseline.scenes)
    for upgrade in chosen:
        for scene_id, level in upgrade.scenes.items():
            scenes[scene_id] = max(scenes[scene_id], level)
    levels = [scenes[scene_id] for scene_id in rules.scene_ids]
    all_counts, constrained_counts = count_scenes(rules, levels)
    total = sum(points.values())
    return State(
        options=options,
        points=points,
        total=total,
        scenes=scenes,
        all_counts=tuple(all_counts),
        constrained_counts=tuple(constrained_counts),
        level=grade(rules, total, all_counts, constrained_counts),
    )


@dataclass(frozen=True, slots=True)
class Gap:
    """How far a state is from one level's rule; zeros mean the condition holds."""

    level: int
    points_short: int
    scenes_short: int
    constrained_short: int

    @property
    def met(self) -> bool:
        """Return whether every condition of the level holds."""
        return not (self.points_short or self.scenes_short or self.constrained_short)

    def describe(self, scale: int) -> str:
        """Return the missing conditions in words, e.g. '1.5 points and 1 constrained scene'."""
        parts = []
        if self.points_short:
            parts.append(f"{_number(self.points_short, scale)} points")
        for count, noun in (
            (self.scenes_short, "scene"),
            (self.constrained_short, "constrained scene"),
        ):
            if count:
                parts.append(f"{count} {noun}{'s' if count > 1 else ''} at level {self.level}+")
        return " and ".join(parts) if parts else "nothing"

    def to_dict(self, scale: int) -> dict[str, float | int]:
        """Return ``{points_short, scenes_short, constrained_scenes_short}`` in points."""
        return {
            "points_short": self.points_short / scale,
            "scenes_short": self.scenes_short,
            "constrained_scenes_short": self.constrained_short,
        }


def gap(rules: CompiledRules, state: State, level: int) -> Gap:
    """Return what the state lacks for the rule of one level."""
    rule = next(r for r in rules.levels if r.level == level)
    return Gap(
        level=level,
        points_short=max(0, rule.min_score - state.total),
        scenes_short=max(0, rule.min_scenes - state.all_counts[level]),
        constrained_short=max(0, rule.min_constrained - state.constrained_counts[level]),
    )


def _number(scaled: int, scale: int) -> str:
    return f"{scaled / scale:g}"
