"""Versioned action plans: load and validate one from JSON text, or take one shipped with Loom."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from loom.modules.programme.engine.document import parse_json
from loom.modules.programme.engine.errors import PathProblem, PlanError
from loom.modules.programme.engine.plan_model import Plan
from loom.modules.programme.engine.plan_parse import parse_plan

DEFAULT_PROGRAMME = "haishu-2024"
_DATA = "loom.modules.programme.data"


def read_plan_document(text: str) -> dict[str, Any]:
    """Parse a plan's JSON text into a document; raise ``PlanError`` if it is not an object."""
    try:
        # a file saved by a Windows editor may start with a byte-order mark
        document = parse_json(text.removeprefix("\ufeff"))
    except ValueError as error:
        raise PlanError([PathProblem("$", f"not valid JSON: {error}")]) from error
    if not isinstance(document, dict):
        raise PlanError([PathProblem("$", "a plan must be a JSON object")])
    return document


def load_plan(text: str | Mapping[str, Any]) -> Plan:
    """Validate a plan given as JSON text (or an already parsed document) and return it.

    Raises ``PlanError`` naming the JSON path of every problem.
    """
    document = read_plan_document(text) if isinstance(text, str) else text
    return parse_plan(document)


@cache
def _shipped() -> tuple[tuple[Plan, str], ...]:
    """Return every plan shipped in ``loom.modules.programme.data`` with its text."""
    found = []
    for entry in resources.files(_DATA).iterdir():
        if entry.name.endswith(".json"):
            text = entry.read_text(encoding="utf-8")
            found.append((load_plan(text), text))
    return tuple(sorted(found, key=lambda item: (item[0].programme, item[0].version)))


def builtin_plan_ids() -> list[str]:
    """Return the ids of the plans shipped with Loom, by programme and version."""
    return [plan.id for plan, _ in _shipped()]


def _shipped_one(plan_id: str | None, programme: str) -> tuple[Plan, str]:
    matching = [
        item
        for item in _shipped()
        if item[0].id == plan_id or (plan_id is None and item[0].programme == programme)
    ]
    if not matching:
        known = ", ".join(builtin_plan_ids()) or "none"
        raise LookupError(f"no shipped plan {plan_id or programme!r}; shipped: {known}")
    return max(matching, key=lambda item: item[0].version)


def builtin_plan(plan_id: str | None = None, programme: str = DEFAULT_PROGRAMME) -> Plan:
    """Return a shipped plan: the one named ``plan_id``, else the latest of ``programme``."""
    return _shipped_one(plan_id, programme)[0]


def builtin_plan_text(plan_id: str | None = None, programme: str = DEFAULT_PROGRAMME) -> str:
    """Return a shipped plan's JSON text as written (to store as a first published version)."""
    return _shipped_one(plan_id, programme)[1]


def builtin_plan_document(
    plan_id: str | None = None, programme: str = DEFAULT_PROGRAMME
) -> dict[str, Any]:
    """Return a fresh, editable copy of a shipped plan document."""
    return read_plan_document(builtin_plan_text(plan_id, programme))
