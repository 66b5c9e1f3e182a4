"""Versioned rule sets: load and validate one from JSON, or take one shipped with Loom."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from loom.modules.assessment.engine.errors import Problem, RuleSetError
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
from loom.modules.assessment.engine.ruleset_parse import parse_ruleset

__all__ = [
    "SCHEMA_VERSION",
    "AlternativeText",
    "Band",
    "Dimension",
    "Indicator",
    "IndicatorType",
    "LevelRule",
    "LevelRules",
    "Option",
    "Provenance",
    "RateField",
    "RateSpec",
    "RuleSet",
    "Scene",
    "SceneDimension",
    "SceneGroup",
    "SceneLevel",
    "SecondLevel",
    "VerifiedPart",
    "builtin_ruleset",
    "builtin_ruleset_document",
    "builtin_versions",
    "load_ruleset",
    "read_ruleset_document",
]


def _document(text: str) -> dict[str, Any]:
    document = json.loads(text, parse_float=Decimal)
    if not isinstance(document, dict):
        raise RuleSetError([Problem("$", "a rule set must be a JSON object")])
    return document


def read_ruleset_document(path: str | Path) -> dict[str, Any]:
    """Read a rule-set JSON file as plain data, keeping every decimal exact."""
    return _document(Path(path).read_text(encoding="utf-8"))


def load_ruleset(source: str | Path | Mapping[str, Any]) -> RuleSet:
    """Validate a rule-set document (a path to JSON, or an already parsed mapping) and return it."""
    document = source if isinstance(source, Mapping) else read_ruleset_document(source)
    return parse_ruleset(document)


@cache
def _shipped() -> tuple[tuple[RuleSet, str], ...]:
    """Return every shipped rule set with its file's text, each file named ``<id>.json``."""
    shipped = []
    for entry in resources.files("loom.modules.assessment.rules").iterdir():
        if entry.name.endswith(".json"):
            text = entry.read_text(encoding="utf-8")
            shipped.append((load_ruleset(_document(text)), text))
    return tuple(sorted(shipped, key=lambda item: (item[0].standard, item[0].version)))


def builtin_versions() -> list[str]:
    """Return the ids of the rule sets shipped with Loom, oldest version first."""
    return [ruleset.id for ruleset, _ in _shipped()]


def _find(version: str | None, standard: str) -> tuple[RuleSet, str]:
    if version is None:
        matching = [item for item in _shipped() if item[0].standard == standard]
    else:
        wanted = version.removeprefix("v")
        matching = [
            item
            for item in _shipped()
            if item[0].id == version
            or (item[0].standard == standard and str(item[0].version) == wanted)
        ]
    if not matching:
        known = ", ".join(builtin_versions()) or "none"
        label = version if version is not None else standard
        raise LookupError(f"no built-in rule set {label!r}; shipped rule sets: {known}")
    return max(matching, key=lambda item: item[0].version)


def builtin_ruleset(version: str | None = None, standard: str = "2024-manufacturing") -> RuleSet:
    """Return a shipped rule set: the latest of ``standard``, or the one named by ``version``.

    ``version`` is a full id (``"2024-manufacturing.v1"``) or a version of ``standard``
    (``"v1"`` or ``"1"``).
    """
    return _find(version, standard)[0]


def builtin_ruleset_document(
    version: str | None = None, standard: str = "2024-manufacturing"
) -> dict[str, Any]:
    """Return a fresh, editable copy of a shipped rule-set document, to correct and republish."""
    return _document(_find(version, standard)[1])
