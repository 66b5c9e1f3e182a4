"""CNY text to integer fen and back, exactly."""

from __future__ import annotations

import pytest

from loom.kernel.errors import ValidationFailed
from loom.modules.subsidy.engine import InvalidInput, format_cny, money, parse_cny


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1234567.89", 123_456_789),
        ("1234567", 123_456_700),
        ("1234567.8", 123_456_780),  # one decimal is ten fen
        ("0.01", 1),
        ("0", 0),
        (" 600000 ", 60_000_000),  # surrounding blanks from a pasted value are harmless
        ("333333.33", 33_333_333),
    ],
)
def test_parse_cny_is_exact(text: str, fen: int) -> None:
    assert parse_cny(text, "investment") == fen


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1.234", "more than 2 decimals"),
        ("0.001", "more than 2 decimals"),
        ("-5", "negative"),
        ("-0.01", "negative"),
        ("abc", "not an amount in CNY"),
        ("", "not an amount in CNY"),
        ("1e5", "not an amount in CNY"),
        ("1,000", "not an amount in CNY"),
        ("+5", "not an amount in CNY"),
        ("12.", "not an amount in CNY"),
        ("NaN", "not an amount in CNY"),
        ("１２", "not an amount in CNY"),  # full-width digits are not ASCII digits
    ],
)
def test_parse_cny_refuses_bad_text_naming_the_field(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cny(text, "investment")
    assert caught.value.problems[0].path == "investment"
    assert fragment in caught.value.problems[0].message
    # the kernel turns it into a 422 naming the field
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.field == "investment"


def test_parse_cny_refuses_a_number_that_is_not_text() -> None:
    with pytest.raises(InvalidInput, match="expected CNY as text"):
        parse_cny(1.5, "amount")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (50, "0.50"), (123_456_789, "1234567.89"), (-1, "-0.01")],
)
def test_format_cny_has_two_decimals(fen: int, text: str) -> None:
    assert format_cny(fen) == text


def test_money_gives_both_forms() -> None:
    assert money(50_000_000) == {"cny": "500000.00", "fen": 50_000_000}
