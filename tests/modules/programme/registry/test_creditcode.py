"""Unified social credit codes (GB 32100-2015): real codes pass, every broken rule is named."""

from __future__ import annotations

import pytest

from loom.modules.programme.registry.creditcode import (
    ALPHABET,
    CATEGORIES,
    WEIGHTS,
    InvalidCreditCode,
    check_character,
    make_code,
    organisation_check_character,
    validate,
)

# Codes printed on the business licences of well-known companies (and python-stdnum's example);
# each passes both check characters, which a misremembered code almost never would.
REAL_CODES = {
    "914403001922038216": "华为技术有限公司",
    "9144030071526726XG": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴(中国)有限公司",
    "91110000600037341L": "python-stdnum documentation example",
}
VALID = "914403001922038216"


def checked(prefix16: str) -> str:
    """Complete ``prefix16`` with correct check characters but without validating the rest."""
    prefix17 = prefix16 + organisation_check_character(prefix16[8:16])
    return prefix17 + check_character(prefix17)


def problem_of(raw: str) -> InvalidCreditCode:
    """Validate ``raw`` expecting failure; return the exception."""
    with pytest.raises(InvalidCreditCode) as caught:
        validate(raw)
    return caught.value


@pytest.mark.parametrize("raw", sorted(REAL_CODES))
def test_real_codes_are_valid(raw: str) -> None:
    assert validate(raw) == raw


def test_weights_are_the_standards_table() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


def test_input_is_normalised() -> None:
    assert validate(" 9144 0300 7152 6726 xg\t") == "9144030071526726XG"
    assert validate("\u30009144030071526726xg\n") == "9144030071526726XG"


def test_a_check_of_31_is_written_0_and_30_is_y() -> None:
    assert check_character("0" * 17) == "0"
    # 1 at the first position (weight 1): 31 - 1 = 30, the last character
    assert check_character("1" + "0" * 16) == "Y"


def test_organisation_check_follows_gb_11714() -> None:
    assert organisation_check_character("19220382") == "1"  # Huawei's organisation code
    assert organisation_check_character("71526726") == "X"  # a result of 10 is written X
    # letters count from A=10 over the full alphabet, not the credit code's own values
    body = "MA2H0001"
    total = sum(
        v * w for v, w in zip((22, 10, 2, 17, 0, 0, 0, 1), (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    expected = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    assert organisation_check_character(body) == expected


def test_make_code_completes_both_check_characters() -> None:
    made = make_code("91330203MA2H0001")
    assert len(made) == 18
    assert validate(made) == made
    assert make_code(made[:17]) == made


def test_make_code_refuses_a_prefix_with_a_wrong_organisation_check() -> None:
    good = make_code("91330203MA2H0001")
    wrong17 = good[:16] + ("1" if good[16] != "1" else "2")
    with pytest.raises(InvalidCreditCode) as caught:
        make_code(wrong17)
    assert caught.value.problem == "organisation_check"
    with pytest.raises(ValueError, match="16 or 17"):
        make_code("9133")


@pytest.mark.parametrize(
    ("authority", "category"),
    [(a, c) for a, categories in sorted(CATEGORIES.items()) for c in sorted(categories)],
)
def test_every_category_of_the_table_is_accepted(authority: str, category: str) -> None:
    code = make_code(f"{authority}{category}33020312345678")
    assert validate(code) == code


def test_wrong_check_character_names_the_expected_one() -> None:
    error = problem_of(VALID[:17] + "7")
    assert error.problem == "check"
    assert (error.position, error.expected, error.got) == (18, "6", "7")
    assert str(error) == "position 18: check character should be 6, got 7"


def test_wrong_organisation_check_character_is_position_17() -> None:
    # keep position 18 consistent, so only the organisation code's own check is wrong
    wrong = VALID[:16] + "2"
    error = problem_of(wrong + check_character(wrong))
    assert error.problem == "organisation_check"
    assert (error.position, error.expected, error.got) == (17, "1", "2")


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_forbidden_letters_are_refused_where_they_are(letter: str) -> None:
    error = problem_of(VALID[:10] + letter + VALID[11:])
    assert error.problem == "character"
    assert (error.position, error.got) == (11, letter)
    assert "position 11" in str(error)


def test_punctuation_is_refused() -> None:
    assert problem_of(VALID[:8] + "-" + VALID[9:]).problem == "character"


@pytest.mark.parametrize("raw", [VALID[:17], VALID + "0", "9"])
def test_wrong_length(raw: str) -> None:
    error = problem_of(raw)
    assert error.problem == "length"
    assert error.got == str(len(raw))


def test_empty() -> None:
    assert problem_of("   ").problem == "empty"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("94", "123"),  # 工商 has 企业, 个体工商户, 农民专业合作社 only
        ("99", "123"),
        ("Y2", "1"),
        ("54", "1239"),
        ("10", "1239"),
    ],
)
def test_category_must_belong_to_the_authority(prefix: str, expected: str) -> None:
    error = problem_of(checked(prefix + VALID[2:16]))
    assert error.problem == "category"
    assert (error.position, error.expected, error.got) == (2, expected, prefix[1])


@pytest.mark.parametrize("authority", ["B", "0", "M"])
def test_unknown_authority(authority: str) -> None:
    error = problem_of(checked(authority + VALID[1:16]))
    assert error.problem == "authority"
    assert error.position == 1


def test_division_code_is_six_digits() -> None:
    error = problem_of(checked("9144A300" + VALID[8:16]))
    assert error.problem == "division"
    assert (error.position, error.got) == (5, "A")
