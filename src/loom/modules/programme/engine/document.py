"""Strict JSON for plan documents, and a reader that collects every problem with its path."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from loom.modules.programme.engine.errors import PathProblem

_NOTHING: Any = object()
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        # a repeated key would silently keep only its last value: refuse it like a typo
        if key in result:
            raise ValueError(f"the key {key!r} is repeated")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def parse_json(text: str) -> Any:
    """Parse JSON keeping fractional numbers as exact Decimals; refuse NaN and repeated keys."""
    return json.loads(
        text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_object
    )


def at(path: str, key: str | int) -> str:
    """Return the path of ``key`` inside ``path`` (``batches[0]``, ``batches[0].quotas``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def shown(value: Any) -> str:
    """Describe a JSON value briefly for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return "a list" if isinstance(value, list) else "an object"


class Reader:
    """Read typed values out of nested mappings, recording problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[PathProblem] = []

    def fail(self, path: str, message: str) -> None:
        """Record a problem at ``path`` (``$`` for the whole document)."""
        self.problems.append(PathProblem(path or "$", message))

    def obj(self, value: Any, path: str, keys: frozenset[str]) -> Mapping[str, Any]:
        """Return ``value`` as a mapping; report a non-object and every unknown key."""
        if not isinstance(value, Mapping):
            # a key that is absent reaches here as None from ``dict.get``
            self.fail(
                path, "missing" if value is None else f"expected an object, got {shown(value)}"
            )
            return _EMPTY
        for key in value:
            if key not in keys:
                self.fail(at(path, str(key)), f"unknown key; known keys are {sorted(keys)}")
        return value

    def _take(self, o: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
        value = o.get(key, _NOTHING)
        # a broken parent was already reported; its children are not reported missing again
        if value is _NOTHING and required and o is not _EMPTY:
            self.fail(at(path, key), "missing")
        return value

    def text(self, o: Mapping[str, Any], key: str, path: str) -> str:
        """Return a required, non-blank string."""
        value = self._take(o, key, path, required=True)
        if value is _NOTHING:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(at(path, key), f"expected a non-empty string, got {shown(value)}")
            return ""
        return value

    def choice(self, o: Mapping[str, Any], key: str, path: str, allowed: tuple[str, ...]) -> str:
        """Return a required string that is one of ``allowed``."""
        value = self.text(o, key, path)
        if value and value not in allowed:
            self.fail(at(path, key), f"expected one of {list(allowed)}, got {value!r}")
        return value

    def optional_text(self, o: Mapping[str, Any], key: str, path: str) -> str | None:
        """Return a non-blank string, or ``None`` when the key is absent or null."""
        if self._take(o, key, path, required=False) in (_NOTHING, None):
            return None
        return self.text(o, key, path) or None

    def texts(self, o: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        """Return an optional list of non-blank strings (absent means empty)."""
        value = self._take(o, key, path, required=False)
        if value is _NOTHING:
            return ()
        good = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        if not good:
            self.fail(at(path, key), "expected a list of non-empty strings")
            return ()
        return tuple(value)

    def integer(self, o: Mapping[str, Any], key: str, path: str, low: int = 0) -> int:
        """Return a required whole number of at least ``low``."""
        value = self._take(o, key, path, required=True)
        if value is _NOTHING:
            return low
        if type(value) is not int:
            self.fail(at(path, key), f"expected a whole number, got {shown(value)}")
            return low
        if value < low:
            self.fail(at(path, key), f"must be at least {low}, got {value}")
            return low
        return value

    def decimal(self, o: Mapping[str, Any], key: str, path: str) -> Decimal:
        """Return a required number, exactly as written."""
        value = self._take(o, key, path, required=True)
        if value is _NOTHING:
            return Decimal(0)
        if type(value) is int:
            return Decimal(value)
        if isinstance(value, Decimal) and value.is_finite():
            return value
        self.fail(at(path, key), f"expected a number, got {shown(value)}")
        return Decimal(0)

    def optional_decimal(self, o: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        """Return a number, or ``None`` for an explicit null (the key itself is required)."""
        if self._take(o, key, path, required=True) in (_NOTHING, None):
            return None
        return self.decimal(o, key, path)

    def date(self, o: Mapping[str, Any], key: str, path: str) -> dt.date:
        """Return a required ISO date such as ``2024-12-31``."""
        value = self.text(o, key, path)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            if value:
                self.fail(at(path, key), f"expected a date like 2024-12-31, got {value!r}")
            return dt.date.min

    def counts(self, o: Mapping[str, Any], key: str, path: str) -> Mapping[str, int]:
        """Return a required object of whole, non-negative numbers (``{"apparel": 23}``)."""
        value = self._take(o, key, path, required=True)
        if value is _NOTHING:
            return _EMPTY
        if not isinstance(value, Mapping):
            self.fail(at(path, key), f"expected an object of counts, got {shown(value)}")
            return _EMPTY
        good: dict[str, int] = {}
        for name in value:
            good[name] = self.integer(value, name, at(path, key))
        return MappingProxyType(good)

    def items(self, o: Mapping[str, Any], key: str, path: str) -> Iterator[tuple[str, Any]]:
        """Yield ``(path, element)`` for each element of a required, non-empty list."""
        value = self._take(o, key, path, required=True)
        if value is _NOTHING:
            return
        if not isinstance(value, list) or not value:
            self.fail(at(path, key), f"expected a non-empty list, got {shown(value)}")
            return
        for index, element in enumerate(value):
            yield at(at(path, key), index), element
