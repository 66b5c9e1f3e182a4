"""A reader for JSON-like documents that records every problem with its path instead of stopping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from loom.modules.assessment.engine.errors import Problem
from loom.modules.assessment.engine.numbers import to_decimal

_MISSING = object()
# what obj() returns for a non-object, so that its fields are not reported missing one by one
_BROKEN: Mapping[str, Any] = MappingProxyType({})


class DocumentReader:
    """Read typed values out of nested mappings, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(path, message))

    def obj(self, value: Any, path: str, keys: frozenset[str]) -> Mapping[str, Any]:
        """Return ``value`` as a mapping, reporting it if it is not one or carries unknown keys."""
        if not isinstance(value, Mapping):
            message = "missing" if value is None else f"expected an object, got {describe(value)}"
            self.fail(path or "$", message)
            return _BROKEN
        for key in value:
            if key not in keys:
                self.fail(_join(path, str(key)), f"unknown key; expected one of {sorted(keys)}")
        return value

    def _get(self, obj: Mapping[str, Any], key: str, path: str, optional: bool) -> Any:
        value = obj.get(key, _MISSING)
        if value is _MISSING and not optional and obj is not _BROKEN:
            self.fail(_join(path, key), "missing")
        return value

    def text(self, obj: Mapping[str, Any], key: str, path: str) -> str:
        """Return a required non-empty string."""
        value = self._get(obj, key, path, optional=False)
        if value is _MISSING:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(_join(path, key), f"expected a non-empty string, got {describe(value)}")
            return ""
        return value

    def optional_text(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        """Return a string, or ``None`` when the key is absent or null."""
        value = self._get(obj, key, path, optional=True)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, str):
            self.fail(_join(path, key), f"expected a string or null, got {describe(value)}")
            return None
        return value

    def texts(self, obj: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        """Return an optional list of strings (absent = empty)."""
        value = self._get(obj, key, path, optional=True)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(_join(path, key), "expected a list of strings")
            return ()
        return tuple(value)

    def flag(
        self, obj: Mapping[str, Any], key: str, path: str, default: bool | None = None
    ) -> bool:
        """Return a boolean; required unless a default is given."""
        value = self._get(obj, key, path, optional=default is not None)
        if value is _MISSING:
            return bool(default)
        if not isinstance(value, bool):
            self.fail(_join(path, key), f"expected true or false, got {describe(value)}")
            return False
        return value

    def decimal(self, obj: Mapping[str, Any], key: str, path: str) -> Decimal:
        """Return a required finite, non-negative number as an exact decimal."""
        value = self._get(obj, key, path, optional=False)
        if value is _MISSING:
            return Decimal(0)
        number = to_decimal(value)
        if number is None or number < 0:
            self.fail(_join(path, key), f"expected a non-negative number, got {describe(value)}")
            return Decimal(0)
        return number

    def integer(self, obj: Mapping[str, Any], key: str, path: str, minimum: int = 0) -> int:
        """Return a required whole number not below ``minimum``."""
        value = self._get(obj, key, path, optional=False)
        if value is _MISSING:
            return minimum
        if type(value) is not int or value < minimum:
            self.fail(_join(path, key), f"expected a whole number >= {minimum}, got {value!r}")
            return minimum
        return value

    def date(self, obj: Mapping[str, Any], key: str, path: str) -> str:
        """Return a required ISO date (``YYYY-MM-DD``) string."""
        value = self.text(obj, key, path)
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                self.fail(_join(path, key), f"expected a date YYYY-MM-DD, got {value!r}")
        return value

    def items(
        self, obj: Mapping[str, Any], key: str, path: str, *, optional: bool = False
    ) -> Iterator[tuple[str, Any]]:
        """Yield ``(path, item)`` per list element, naming an item by its id when it has one."""
        value = self._get(obj, key, path, optional=optional)
        if value is _MISSING or (optional and value is None):
            return
        if not isinstance(value, list) or (not value and not optional):
            self.fail(_join(path, key), "expected a non-empty list")
            return
        for index, item in enumerate(value):
            label = item.get("id") if isinstance(item, Mapping) else None
            if not isinstance(label, str | int) or isinstance(label, bool):
                label = index
            yield f"{_join(path, key)}[{label}]", item


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    """Describe a JSON value briefly for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"{type(value).__name__} {value!r}"
