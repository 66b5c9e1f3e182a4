"""Turn a rule-set document into a ``RuleSet``, reporting every structural problem at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, cast

from loom.modules.assessment.engine.document import DocumentReader
from loom.modules.assessment.engine.errors import RuleSetError
from loom.modules.assessment.engine.model import (
    SCHEMA_VERSION,
    AlternativeText,
    Band,
    Dimension,
    Indicator,
    IndicatorType,
    LevelRule,
    LevelRules,
    Option,
    Provenance,
    RateField,
    RateSpec,
    RuleSet,
    Scene,
    SceneDimension,
    SceneGroup,
    SceneLevel,
    SecondLevel,
    VerifiedPart,
)
from loom.modules.assessment.engine.ruleset_checks import check_consistency


def _keys(cls: type) -> frozenset[str]:
    # the document's keys are the dataclass's field names, so the two cannot drift apart
    return frozenset(field.name for field in fields(cls))


_TOP = _keys(RuleSet)
_PROVENANCE = _keys(Provenance)
_DIMENSION = _keys(Dimension)
_SECOND = _keys(SecondLevel)
_INDICATOR = _keys(Indicator)
_OPTION = _keys(Option)
_BAND = _keys(Band)
_RATE = _keys(RateSpec)
_FIELD = _keys(RateField)
_SCENE_DIMENSION = _keys(SceneDimension)
_GROUP = _keys(SceneGroup)
_SCENE = _keys(Scene)
_LEVEL_RULES = _keys(LevelRules)
_LEVEL_RULE = _keys(LevelRule)
_VERIFIED_PART = _keys(VerifiedPart)
_ALTERNATIVE_TEXT = _keys(AlternativeText)
_SCENE_LEVEL = _keys(SceneLevel)
_TYPES = ("single", "multi", "rate")


def parse_ruleset(document: Mapping[str, Any]) -> RuleSet:
    """Build and check a ``RuleSet``; raise ``RuleSetError`` listing every problem found."""
    r = DocumentReader()
    top = r.obj(document, "", _TOP)
    schema = r.integer(top, "schema", "", minimum=1)
    if "schema" in top and schema != SCHEMA_VERSION:
        r.fail("schema", f"this Loom reads rule-set schema {SCHEMA_VERSION}, not {schema}")
    ruleset = RuleSet(
        schema=schema,
        id=r.text(top, "id", ""),
        standard=r.text(top, "standard", ""),
        version=r.integer(top, "version", "", minimum=1),
        published=r.date(top, "published", ""),
        supersedes=r.optional_text(top, "supersedes", ""),
        title=r.text(top, "title", ""),
        table=r.text(top, "table", ""),
        provenance=_provenance(r, top.get("provenance"), "provenance"),
        max_score=r.decimal(top, "max_score", ""),
        dimensions=tuple(
            _dimension(r, item, path) for path, item in r.items(top, "dimensions", "")
        ),
        scene_dimension=_scene_dimension(r, top.get("scene_dimension"), "scene_dimension"),
        level_rules=_level_rules(r, top.get("level_rules"), "level_rules"),
    )
    if not r.problems:
        # cross-item checks only make sense once every item parsed cleanly
        r.problems.extend(check_consistency(ruleset))
    if r.problems:
        raise RuleSetError(r.problems)
    return ruleset


def _provenance(r: DocumentReader, value: Any, path: str) -> Provenance:
    o = r.obj(value, path, _PROVENANCE)
    return Provenance(
        doc_no=r.text(o, "doc_no", path),
        issued=r.date(o, "issued", path),
        notice_verified=r.flag(o, "notice_verified", path),
        sources=r.texts(o, "sources", path),
        official_text_url=r.optional_text(o, "official_text_url", path),
        official_text_read=r.flag(o, "official_text_read", path),
        method=r.text(o, "method", path),
        method_verified=r.flag(o, "method_verified", path),
        derived_from=r.text(o, "derived_from", path),
        notes=r.texts(o, "notes", path),
    )


def _dimension(r: DocumentReader, value: Any, path: str) -> Dimension:
    o = r.obj(value, path, _DIMENSION)
    return Dimension(
        id=r.text(o, "id", path),
        name=r.text(o, "name", path),
        max_points=r.decimal(o, "max_points", path),
        weight_pct_of_total=r.decimal(o, "weight_pct_of_total", path),
        second_level=tuple(_second(r, item, p) for p, item in r.items(o, "second_level", path)),
    )


def _second(r: DocumentReader, value: Any, path: str) -> SecondLevel:
    o = r.obj(value, path, _SECOND)
    return SecondLevel(
        id=r.text(o, "id", path),
        name=r.text(o, "name", path),
        max_points=r.decimal(o, "max_points", path),
        weight_pct_of_dimension=r.decimal(o, "weight_pct_of_dimension", path),
        indicators=tuple(_indicator(r, item, p) for p, item in r.items(o, "indicators", path)),
    )


def _indicator(r: DocumentReader, value: Any, path: str) -> Indicator:
    o = r.obj(value, path, _INDICATOR)
    kind = r.text(o, "type", path)
    if kind and kind not in _TYPES:
        r.fail(f"{path}.type", f"expected one of {list(_TYPES)}, got {kind!r}")
    rate_value = o.get("rate")
    return Indicator(
        id=r.text(o, "id", path),
        name=r.text(o, "name", path),
        question=r.text(o, "question", path),
        type=cast(IndicatorType, kind),
        max_points=r.decimal(o, "max_points", path),
        weight_pct_of_second=r.decimal(o, "weight_pct_of_second", path),
        required=r.flag(o, "required", path, default=True),
        options=tuple(_option(r, item, p) for p, item in r.items(o, "options", path)),
        rate=None if rate_value is None else _rate(r, rate_value, f"{path}.rate"),
        definition=r.optional_text(o, "definition", path),
        form_fields=r.texts(o, "form_fields", path),
        scoring_rule=r.optional_text(o, "scoring_rule", path),
        verified=r.flag(o, "verified", path),
        verified_parts=tuple(
            _verified_part(r, item, p)
            for p, item in r.items(o, "verified_parts", path, optional=True)
        ),
        notes=r.optional_text(o, "notes", path),
    )


def _option(r: DocumentReader, value: Any, path: str) -> Option:
    o = r.obj(value, path, _OPTION)
    band_value = o.get("band")
    return Option(
        id=r.text(o, "id", path),
        text=r.text(o, "text", path),
        points=r.decimal(o, "points", path),
        weight_pct_of_indicator=r.decimal(o, "weight_pct_of_indicator", path),
        exclusive=r.flag(o, "exclusive", path, default=False),
        verified=r.flag(o, "verified", path, default=True),
        band=None if band_value is None else _band(r, band_value, f"{path}.band"),
        alternative_texts=tuple(
            _alternative_text(r, item, p)
            for p, item in r.items(o, "alternative_texts", path, optional=True)
        ),
    )


def _verified_part(r: DocumentReader, value: Any, path: str) -> VerifiedPart:
    o = r.obj(value, path, _VERIFIED_PART)
    return VerifiedPart(part=r.text(o, "part", path), verified=r.flag(o, "verified", path))


def _alternative_text(r: DocumentReader, value: Any, path: str) -> AlternativeText:
    o = r.obj(value, path, _ALTERNATIVE_TEXT)
    return AlternativeText(text=r.text(o, "text", path), source=r.text(o, "source", path))


def _band(r: DocumentReader, value: Any, path: str) -> Band:
    o = r.obj(value, path, _BAND)
    return Band(
        low=r.decimal(o, "low", path),
        low_inclusive=r.flag(o, "low_inclusive", path),
        high=r.decimal(o, "high", path),
        high_inclusive=r.flag(o, "high_inclusive", path),
    )


def _rate(r: DocumentReader, value: Any, path: str) -> RateSpec:
    o = r.obj(value, path, _RATE)
    return RateSpec(
        numerator=_field(r, o.get("numerator"), f"{path}.numerator"),
        denominator=_field(r, o.get("denominator"), f"{path}.denominator"),
        numerator_may_exceed_denominator=r.flag(o, "numerator_may_exceed_denominator", path),
    )


def _field(r: DocumentReader, value: Any, path: str) -> RateField:
    o = r.obj(value, path, _FIELD)
    return RateField(
        id=r.text(o, "id", path),
        text=r.optional_text(o, "text", path),
        label=r.text(o, "label", path),
        unit=r.text(o, "unit", path),
        integer=r.flag(o, "integer", path),
        shared_from=r.optional_text(o, "shared_from", path),
    )


def _scene_dimension(r: DocumentReader, value: Any, path: str) -> SceneDimension:
    o = r.obj(value, path, _SCENE_DIMENSION)
    return SceneDimension(
        id=r.text(o, "id", path),
        name=r.text(o, "name", path),
        note=r.optional_text(o, "note", path),
        groups=tuple(_group(r, item, p) for p, item in r.items(o, "groups", path)),
    )


def _group(r: DocumentReader, value: Any, path: str) -> SceneGroup:
    o = r.obj(value, path, _GROUP)
    return SceneGroup(
        id=r.text(o, "id", path),
        name=r.text(o, "name", path),
        scenes=tuple(_scene(r, item, p) for p, item in r.items(o, "scenes", path)),
    )


def _scene(r: DocumentReader, value: Any, path: str) -> Scene:
    o = r.obj(value, path, _SCENE)
    levels = []
    for p, item in r.items(o, "levels", path):
        level = r.obj(item, p, _SCENE_LEVEL)
        levels.append(SceneLevel(r.integer(level, "level", p, 1), r.text(level, "text", p)))
    return Scene(
        id=r.text(o, "id", path),
        name=r.text(o, "name", path),
        question=r.text(o, "question", path),
        required=r.flag(o, "required", path, default=True),
        constrained=r.flag(o, "constrained", path),
        constrained_verified=r.flag(o, "constrained_verified", path, default=True),
        levels=tuple(levels),
        verified=r.flag(o, "verified", path),
        notes=r.optional_text(o, "notes", path),
    )


def _level_rules(r: DocumentReader, value: Any, path: str) -> LevelRules:
    o = r.obj(value, path, _LEVEL_RULES)
    rules = []
    for p, item in r.items(o, "levels", path):
        rule = r.obj(item, p, _LEVEL_RULE)
        rules.append(
            LevelRule(
                id=r.text(rule, "id", p),
                level=r.integer(rule, "level", p, 1),
                min_score=r.decimal(rule, "min_score", p),
                min_scenes_at_or_above_level=r.integer(rule, "min_scenes_at_or_above_level", p),
                min_constrained_scenes_at_or_above_level=r.integer(
                    rule, "min_constrained_scenes_at_or_above_level", p
                ),
                verified=r.flag(rule, "verified", p),
            )
        )
    return LevelRules(
        rule=r.text(o, "rule", path),
        score=r.text(o, "score", path),
        source=r.text(o, "source", path),
        conflicting_source=r.optional_text(o, "conflicting_source", path),
        verified=r.flag(o, "verified", path),
        levels=tuple(rules),
    )
