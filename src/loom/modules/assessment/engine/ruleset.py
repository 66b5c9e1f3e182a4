"""Typed, immutable model of a versioned assessment rule set, and where to get one."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from loom.modules.assessment.engine.errors import Problem, RuleSetError

IndicatorType = Literal["single", "multi", "rate"]

#: the rule-set document format this code reads (``"schema"`` in the file)
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Band:
    """A published percentage band such as ``(10%,20%]``; edges are percent, inclusive as written."""

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


def read_ruleset_document(path: str | Path) -> dict[str, Any]:
    """Read a rule-set JSON file, keeping every decimal exact."""
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle, parse_float=Decimal)
    if not isinstance(document, dict):
        raise RuleSetError([Problem("$", "a rule set must be a JSON object")])
    return document


def load_ruleset(source: str | Path | Mapping[str, Any]) -> RuleSet:
    """Validate a rule-set document (a path to JSON, or an already parsed mapping) and return it."""
    # imported here because the parser builds the classes defined above
    from loom.modules.assessment.engine.ruleset_parse import parse_ruleset

    document = source if isinstance(source, Mapping) else read_ruleset_document(source)
    return parse_ruleset(document)


def _builtin_files() -> dict[str, resources.abc.Traversable]:
    folder = resources.files("loom.modules.assessment.rules")
    return {
        entry.name.removesuffix(".json"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def builtin_versions() -> list[str]:
    """Return the ids of the rule sets shipped with Loom, oldest version first."""
    return [rs.id for rs in sorted(_all_builtin(), key=lambda rs: (rs.standard, rs.version))]


@cache
def _all_builtin() -> tuple[RuleSet, ...]:
    loaded = []
    for entry in _builtin_files().values():
        with resources.as_file(entry) as path:
            loaded.append(load_ruleset(path))
    return tuple(loaded)


def builtin_ruleset(version: str | None = None, standard: str = "2024-manufacturing") -> RuleSet:
    """Return a shipped rule set: the latest of ``standard``, or the one named by ``version``.

    ``version`` is a full id (``"2024-manufacturing.v1"``) or a version of ``standard``
    (``"v1"`` or ``"1"``).
    """
    candidates = [rs for rs in _all_builtin() if rs.standard == standard or rs.id == version]
    if version is None:
        matching = [rs for rs in candidates if rs.standard == standard]
    else:
        wanted = version.removeprefix("v")
        matching = [
            rs
            for rs in candidates
            if rs.id == version or (rs.standard == standard and str(rs.version) == wanted)
        ]
    if not matching:
        known = ", ".join(builtin_versions()) or "none"
        label = version if version is not None else standard
        raise LookupError(f"no built-in rule set {label!r}; shipped rule sets: {known}")
    return max(matching, key=lambda rs: rs.version)
