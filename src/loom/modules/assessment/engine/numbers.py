"""Exact numbers: JSON values to decimals and integer ratios, never through binary floats."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any


def to_decimal(value: Any) -> Decimal | None:
    """Return ``value`` as an exact finite decimal, or ``None`` if it is not a finite number.

    A float is read through its shortest ``repr`` so that ``0.1`` means one tenth, as written.
    Booleans are not numbers here, although Python treats them as integers.
    """
    kind = type(value)
    if kind is int:
        return Decimal(value)
    if kind is Decimal:
        return value if value.is_finite() else None
    if kind is float:
        return Decimal(repr(value)) if math.isfinite(value) else None
    return None


def to_ratio(value: Any) -> tuple[int, int] | None:
    """Return ``value`` as ``(numerator, denominator)`` integers with a positive denominator.

    Accepts int, float, Decimal and Fraction; returns ``None`` for anything else or a
    non-finite value. Integer arithmetic on these pairs is exact and much faster than Fraction.
    """
    kind = type(value)
    if kind is int:
        return value, 1
    if kind is Fraction:
        return value.numerator, value.denominator
    if kind is float:
        if not math.isfinite(value):
            return None
        return Decimal(repr(value)).as_integer_ratio()
    if kind is Decimal:
        if not value.is_finite():
            return None
        ratio: tuple[int, int] = value.as_integer_ratio()
        return ratio
    return None
