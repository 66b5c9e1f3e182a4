"""Money as integer fen: exact parsing of CNY text and two-decimal formatting."""

from __future__ import annotations

import re

from loom.modules.subsidy.engine.errors import InvalidInput

FEN_PER_CNY = 100

# digits, optionally a point and one or two more digits; no sign, exponent or separators
_CNY = re.compile(r"(?P<yuan>[0-9]+)(?:\.(?P<fen>[0-9]+))?")


def parse_cny(text: str, field: str) -> int:
    """Return an amount written in CNY (``"1234567.89"``) as fen; raise naming ``field``."""
    if not isinstance(text, str):
        raise InvalidInput.at(field, f"expected CNY as text such as '1234567.89', got {text!r}")
    stripped = text.strip()
    if stripped.startswith("-"):
        raise InvalidInput.at(field, f"{text!r} is negative; amounts are 0 or more")
    match = _CNY.fullmatch(stripped)
    if match is None:
        raise InvalidInput.at(
            field, f"{text!r} is not an amount in CNY; write digits with at most two decimals"
        )
    fen_digits = match.group("fen") or ""
    if len(fen_digits) > 2:
        raise InvalidInput.at(
            field, f"{text!r} has more than 2 decimals; amounts are counted to the fen (0.01)"
        )
    return int(match.group("yuan")) * FEN_PER_CNY + int(fen_digits.ljust(2, "0"))


def format_cny(fen: int) -> str:
    """Return fen as CNY text with exactly two decimals, e.g. ``12345`` → ``"123.45"``."""
    sign = "-" if fen < 0 else ""
    yuan, rest = divmod(abs(fen), FEN_PER_CNY)
    return f"{sign}{yuan}.{rest:02d}"


def money(fen: int) -> dict[str, str | int]:
    """Return an amount for JSON output: ``{"cny": "123.45", "fen": 12345}``."""
    return {"cny": format_cny(fen), "fen": fen}
