"""Exact numbers for scores, weights and shares: Fractions inside, Decimals for display."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

#: what callers may pass where the engine wants a number; floats are refused on purpose
Number = int | Decimal | Fraction


def exact(value: object) -> Fraction | None:
    """Return ``value`` as a Fraction, or ``None`` for anything but a finite int/Decimal/Fraction.

    Booleans are refused although Python counts them as integers, and floats are refused because
    ``0.1`` is not one tenth in binary; a float from a JSON column should be read as Decimal.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value) if value.is_finite() else None
    return None


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """Return ``value`` rounded half away from zero to ``places`` decimals, exactly."""
    quotient, remainder = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * remainder >= value.denominator:
        quotient += 1
    return Decimal(-quotient if value < 0 else quotient).scaleb(-places)


def plain(value: Fraction) -> str:
    """Return ``value`` for a message: an integer, else a decimal of up to four places."""
    if value.denominator == 1:
        return str(value.numerator)
    return format(rounded(value, 4), "f").rstrip("0").rstrip(".")
