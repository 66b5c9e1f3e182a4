"""Strict JSON and a reader that collects every problem in a document, each with its path."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from loom.modules.subsidy.engine.errors import Problem

_ABSENT = object()


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of a repeated key; in a rule file that silently hides a typo
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(text: str) -> Any:
    """Parse JSON, keeping decimals exact and refusing NaN, Infinity and repeated keys."""
    return json.loads(
        text,
        parse_float=Decimal,
        parse_constant=_refuse_constant,
        object_pairs_hook=_refuse_repeats,
    )


def describe(value: Any) -> str:
    """Return a short description of a JSON value for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int | float | Decimal):
        return f"the number {value}"
    return "a list" if isinstance(value, list | tuple) else "an object"


def join(path: str, key: str | int) -> str:
    """Return the path of ``key`` under ``path``: ``rules[2]`` or ``rules[2].cap_fen``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Read typed values from nested mappings, recording problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(path or "$", message))

    def obj(self, value: Any, path: str, keys: frozenset[str]) -> Mapping[str, Any]:
        """Return ``value`` as a mapping (empty if it is not one); report unknown keys."""
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object, got {describe(value)}")
            return {}
        for key in value:
            if key not in keys:
                self.fail(join(path, str(key)), f"unknown key; expected one of {sorted(keys)}")
        return value

    def _value(self, o: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
        value = o.get(key, _ABSENT)
        if value is _ABSENT and required:
            self.fail(join(path, key), "missing")
        return value

    def text(self, o: Mapping[str, Any], key: str, path: str) -> str:
        """Return a required, non-blank string."""
        value = self._value(o, key, path, required=True)
        if value is _ABSENT:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(join(path, key), f"expected a non-empty string, got {describe(value)}")
            return ""
        return value

    def optional_text(self, o: Mapping[str, Any], key: str, path: str) -> str | None:
        """Return a non-blank string, or ``None`` when the key is absent or null."""
        value = self._value(o, key, path, required=False)
        if value is _ABSENT or value is None:
            return None
        return self.text(o, key, path) or None

    def texts(self, o: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        """Return an optional list of strings (absent means empty)."""
        value = self._value(o, key, path, required=False)
        if value is _ABSENT:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(join(path, key), f"expected a list of strings, got {describe(value)}")
            return ()
        return tuple(value)

    def integer(self, o: Mapping[str, Any], key: str, path: str, minimum: int = 0) -> int:
        """Return a required whole number of at least ``minimum``."""
        value = self._value(o, key, path, required=True)
        if value is _ABSENT:
            return minimum
        # bool is an int to Python, and 5e7 parses as a float: neither is a count of fen
        if type(value) is not int:
            self.fail(join(path, key), f"expected a whole number, got {describe(value)}")
            return minimum
        if value < minimum:
            self.fail(join(path, key), f"must be at least {minimum}, got {value}")
            return minimum
        return value

    def optional_integer(
        self, o: Mapping[str, Any], key: str, path: str, minimum: int = 0
    ) -> int | None:
        """Return a whole number of at least ``minimum``, or ``None`` for an explicit null."""
        value = self._value(o, key, path, required=True)
        if value is None or value is _ABSENT:
            return None
        return self.integer(o, key, path, minimum)

    def flag(self, o: Mapping[str, Any], key: str, path: str) -> bool:
        """Return a required boolean."""
        value = self._value(o, key, path, required=True)
        if value is _ABSENT:
            return False
        if not isinstance(value, bool):
            self.fail(join(path, key), f"expected true or false, got {describe(value)}")
            return False
        return value

    def date(self, o: Mapping[str, Any], key: str, path: str) -> dt.date:
        """Return a required ISO date (``2024-05-08``)."""
        text = self.text(o, key, path)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            if text:
                self.fail(join(path, key), f"expected a date like 2024-05-08, got {text!r}")
            return dt.date.min

    def items(self, o: Mapping[str, Any], key: str, path: str) -> Iterator[tuple[str, Any]]:
        """Yield ``(path, item)`` for each element of a required, non-empty list."""
        value = self._value(o, key, path, required=True)
        if value is _ABSENT:
            return
        if not isinstance(value, list) or not value:
            self.fail(join(path, key), f"expected a non-empty list, got {describe(value)}")
            return
        for index, item in enumerate(value):
            yield join(join(path, key), index), item
