"""Typed, immutable model of a versioned assessment rule set (field names = document keys)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

IndicatorType = Literal["single", "multi", "rate"]

#: the rule-set document format this code reads (``"schema"`` in the file)
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Band:
    """A published band such as ``(10%,20%]``; edges in percent, inclusive as written."""

    low: Decimal
    low_inclusive: bool
    high: Decimal
    high_inclusive: bool


@dataclass(frozen=True, slots=True)
class AlternativeText:
    """Another wording of an option seen in a secondary source."""

    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option of an indicator (``"A"``, ``"B"`` …) with its points."""

    id: str
    text: str
    points: Decimal
    weight_pct_of_indicator: Decimal
    exclusive: bool
    verified: bool
    band: Band | None
    alternative_texts: tuple[AlternativeText, ...]


@dataclass(frozen=True, slots=True)
class RateField:
    """A raw number the respondent enters for a rate question."""

    id: str
    text: str | None
    label: str
    unit: str
    integer: bool
    shared_from: str | None


@dataclass(frozen=True, slots=True)
class RateSpec:
    """How a rate question turns raw numbers into a percentage: numerator / denominator x 100%."""

    numerator: RateField
    denominator: RateField
    numerator_may_exceed_denominator: bool


@dataclass(frozen=True, slots=True)
class VerifiedPart:
    """Whether one named part of an item was confirmed by more than one source."""

    part: str
    verified: bool


@dataclass(frozen=True, slots=True)
class Indicator:
    """A scored third-level indicator (B1 … R4) with its question and options."""

    id: str
    name: str
    question: str
    type: IndicatorType
    max_points: Decimal
    weight_pct_of_second: Decimal
    required: bool
    options: tuple[Option, ...]
    rate: RateSpec | None
    definition: str | None
    form_fields: tuple[str, ...]
    scoring_rule: str | None
    verified: bool
    verified_parts: tuple[VerifiedPart, ...]
    notes: str | None

    def option(self, option_id: str) -> Option:
        """Return the option with this id, or raise ``KeyError``."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"{self.id} has no option {option_id!r}")


@dataclass(frozen=True, slots=True)
class SecondLevel:
    """A second-level group of indicators (设备系统, 数据采集 …)."""

    id: str
    name: str
    max_points: Decimal
    weight_pct_of_dimension: Decimal
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    """A scored first-level dimension (数字化基础, 数字化管理, 数字化成效)."""

    id: str
    name: str
    max_points: Decimal
    weight_pct_of_total: Decimal
    second_level: tuple[SecondLevel, ...]


@dataclass(frozen=True, slots=True)
class SceneLevel:
    """The published description of one level (1-4) of a business scene."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Scene:
    """A business scene (S01 … S16) rated by level rather than by points."""

    id: str
    name: str
    question: str
    required: bool
    constrained: bool
    constrained_verified: bool
    levels: tuple[SceneLevel, ...]
    verified: bool
    notes: str | None

    @property
    def max_level(self) -> int:
        """Return the highest level this scene can be rated at."""
        return max(level.level for level in self.levels)


@dataclass(frozen=True, slots=True)
class SceneGroup:
    """A group of scenes (产品生命周期数字化 …)."""

    id: str
    name: str
    scenes: tuple[Scene, ...]


@dataclass(frozen=True, slots=True)
class SceneDimension:
    """The scene-rated dimension (数字化经营)."""

    id: str
    name: str
    note: str | None
    groups: tuple[SceneGroup, ...]


@dataclass(frozen=True, slots=True)
class LevelRule:
    """The conditions of one digital level: a score threshold and scene counts, all inclusive."""

    id: str
    level: int
    min_score: Decimal
    min_scenes_at_or_above_level: int
    min_constrained_scenes_at_or_above_level: int
    verified: bool


@dataclass(frozen=True, slots=True)
class LevelRules:
    """The level rules with where they come from."""

    rule: str
    score: str
    source: str
    conflicting_source: str | None
    verified: bool
    levels: tuple[LevelRule, ...]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the rule set's facts come from and how far they were checked."""

    doc_no: str
    issued: str
    notice_verified: bool
    sources: tuple[str, ...]
    official_text_url: str | None
    official_text_read: bool
    method: str
    method_verified: bool
    derived_from: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One published version of the rules of a standard (``2024-manufacturing.v1`` …)."""

    schema: int
    id: str
    standard: str
    version: int
    published: str
    supersedes: str | None
    title: str
    table: str
    provenance: Provenance
    max_score: Decimal
    dimensions: tuple[Dimension, ...]
    scene_dimension: SceneDimension
    level_rules: LevelRules

    def indicators(self) -> Iterator[Indicator]:
        """Yield every scored indicator in document order."""
        for dimension in self.dimensions:
            for second in dimension.second_level:
                yield from second.indicators

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id, or raise ``KeyError``."""
        for indicator in self.indicators():
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(f"{self.id} has no indicator {indicator_id!r}")

    def scenes(self) -> Iterator[Scene]:
        """Yield every scene in document order."""
        for group in self.scene_dimension.groups:
            yield from group.scenes

    def scene(self, scene_id: str) -> Scene:
        """Return the scene with this id, or raise ``KeyError``."""
        for scene in self.scenes():
            if scene.id == scene_id:
                return scene
        raise KeyError(f"{self.id} has no scene {scene_id!r}")
