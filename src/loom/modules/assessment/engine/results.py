"""The shape of a scoring result: plain, JSON-ready dictionaries described as typed dicts."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class SceneCount(TypedDict):
    """How many scenes are at or above one level, in all and among the constrained ones."""

    all: int
    constrained: int


class Condition(TypedDict):
    """One condition of a level rule: what is required, what the enterprise has, how far short."""

    required: float
    actual: float
    met: bool
    short: float


class LevelCheck(TypedDict):
    """Every condition of one level, whether the level holds, and whether its rule is verified."""

    level: int
    rule: str
    met: bool
    verified: bool
    score: Condition
    scenes: Condition
    constrained_scenes: Condition


class Shortfall(TypedDict, total=False):
    """What is missing for one level; a key is present only for a condition that does not hold."""

    points_short: float
    scenes_short: int
    constrained_scenes_short: int


class ScoreDict(TypedDict):
    """A scored questionnaire as plain JSON-ready data (``ScoreResult.to_dict()``)."""

    id: NotRequired[str | int]
    standard: str
    rules_version: str
    score: float
    max_score: float
    dimension_scores: dict[str, float]
    second_level_scores: dict[str, float]
    indicator_points: dict[str, float]
    indicator_options: dict[str, list[str]]
    rates: dict[str, float]
    scene_counts: dict[str, SceneCount]
    level: int
    levels: list[LevelCheck]
    unmet: dict[str, Shortfall]
    unverified_rules_used: list[str]
