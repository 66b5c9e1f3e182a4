"""Strict JSON for planner inputs: exact decimals, no NaN, no repeated keys, short descriptions."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # a repeated key would silently drop an answer or an option's effect, so refuse it
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(text: str) -> Any:
    """Parse JSON keeping decimals exact, refusing NaN/Infinity and repeated keys."""
    return json.loads(
        text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_unique_keys
    )


def read_json(path: Path) -> Any:
    """Return a JSON file's content; raise ``OSError`` or ``ValueError`` (bad JSON)."""
    # utf-8-sig: files saved by Windows editors start with a byte-order mark
    with open(path, encoding="utf-8-sig") as handle:
        return parse_json(handle.read())


def exact_number(value: Any) -> Decimal | None:
    """Return a JSON number as an exact finite decimal (floats read as written), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def describe(value: Any) -> str:
    """Return a short description of a JSON value for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, int | float | Decimal):
        return f"number {value}"
    return "an array" if isinstance(value, list | tuple) else "an object"
