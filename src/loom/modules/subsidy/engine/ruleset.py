"""Versioned subsidy rule sets: load and validate one from JSON, or take one shipped with Loom."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from loom.modules.subsidy.engine.document import parse_json
from loom.modules.subsidy.engine.errors import Problem, RuleSetError
from loom.modules.subsidy.engine.model import RuleSet
from loom.modules.subsidy.engine.ruleset_parse import parse_ruleset

DEFAULT_PROGRAMME = "haishu-2024"


def read_ruleset_document(text: str) -> dict[str, Any]:
    """Parse a rule-set document's JSON text; raise ``RuleSetError`` if it is not an object."""
    try:
        document = parse_json(text)
    except ValueError as error:
        raise RuleSetError([Problem("$", f"not valid JSON: {error}")]) from error
    if not isinstance(document, dict):
        raise RuleSetError([Problem("$", "a rule set must be a JSON object")])
    return document


def load_ruleset(source: str | Path | Mapping[str, Any]) -> RuleSet:
    """Validate a rule set given as a file path or an already parsed mapping, and return it.

    Raises ``OSError`` if the file cannot be read and ``RuleSetError`` listing every problem.
    """
    if isinstance(source, Mapping):
        return parse_ruleset(source)
    # utf-8-sig: a file saved by a Windows editor starts with a byte-order mark
    return parse_ruleset(read_ruleset_document(Path(source).read_text(encoding="utf-8-sig")))


@cache
def _shipped() -> tuple[tuple[RuleSet, str], ...]:
    """Return every shipped rule set with its text; files are named ``<id>.json``."""
    found = []
    for entry in resources.files("loom.modules.subsidy.rules").iterdir():
        if entry.name.endswith(".json"):
            text = entry.read_text(encoding="utf-8")
            found.append((parse_ruleset(read_ruleset_document(text)), text))
    return tuple(sorted(found, key=lambda item: (item[0].programme, item[0].version)))


def builtin_versions() -> list[str]:
    """Return the ids of the rule sets shipped with Loom, oldest version first."""
    return [ruleset.id for ruleset, _ in _shipped()]


def _find(version: str | None, programme: str) -> tuple[RuleSet, str]:
    wanted = None if version is None else version.removeprefix("v")
    matching = [
        item
        for item in _shipped()
        if (version is not None and item[0].id == version)
        or (item[0].programme == programme and wanted in (None, str(item[0].version)))
    ]
    if not matching:
        known = ", ".join(builtin_versions()) or "none"
        raise LookupError(f"no shipped subsidy rule set {version or programme!r}; shipped: {known}")
    return max(matching, key=lambda item: item[0].version)


def builtin_ruleset(version: str | None = None, programme: str = DEFAULT_PROGRAMME) -> RuleSet:
    """Return a shipped rule set: the latest of ``programme``, or the one named by ``version``.

    ``version`` is a full id (``"haishu-2024.v1"``) or a version of ``programme`` (``"v1"``).
    """
    return _find(version, programme)[0]


def builtin_ruleset_document(
    version: str | None = None, programme: str = DEFAULT_PROGRAMME
) -> dict[str, Any]:
    """Return a fresh, editable copy of a shipped rule-set document, to correct and republish."""
    return read_ruleset_document(_find(version, programme)[1])
