"""The 18-character unified social credit code (统一社会信用代码) of GB 32100-2015.

Layout (positions counted from 1, as the standard does):

- 1: registration authority code (登记管理部门代码)
- 2: organisation category code (机构类别代码); which categories an authority may use is
  table 1 of the standard, see ``CATEGORIES``
- 3-8: administrative division code of the registering authority (GB/T 2260, six digits)
- 9-17: subject identifier (主体标识码), i.e. the organisation code of GB 11714, whose own check
  character is position 17
- 18: check character over positions 1-17

Sources: GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 sections 4-5 and table 1
(authorities 1-9 and Y), with the later additions A (中央军委改革和编制办公室) and N (农业, rural
collective economic organisations) as used by the national registration system; GB 11714-1997
《全国组织机构代码编制规则》 for positions 9-17. The table was cross-checked against several
independent public implementations, which agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = [
    "ALPHABET",
    "CATEGORIES",
    "WEIGHTS",
    "InvalidCreditCode",
    "check_character",
    "make_code",
    "normalise",
    "organisation_check_character",
    "validate",
]

#: the 31 characters of the code, in value order (I, O, Z, S and V are never used)
ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE: Final = {ch: i for i, ch in enumerate(ALPHABET)}
_MODULUS: Final = len(ALPHABET)
#: weight of position i+1 is 3**i mod 31 (the standard lists the same 17 numbers)
WEIGHTS: Final = tuple(pow(3, i, _MODULUS) for i in range(17))

#: authority code -> organisation categories it may issue (GB 32100-2015 table 1)
CATEGORIES: Final[Mapping[str, frozenset[str]]] = {
    "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": frozenset("19"),  # 外交: 外国常驻新闻机构, 其他
    "3": frozenset("123459"),  # 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他
    "4": frozenset("19"),  # 文化: 外国在华文化中心, 其他
    "5": frozenset("1239"),  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": frozenset("129"),  # 旅游: 外国 / 港澳台旅游部门常驻代表机构, 其他
    "7": frozenset("129"),  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": frozenset("19"),  # 工会: 基层工会, 其他
    "9": frozenset("123"),  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": frozenset("1239"),  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": frozenset("1"),  # 其他
}

# GB 11714: eight body characters weighted 3,7,9,10,5,8,4,2; the check is 11 - (sum mod 11)
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidCreditCode(ValueError):
    """A credit code that breaks GB 32100-2015; ``problem`` names the rule, for translation."""

    def __init__(
        self,
        problem: str,
        message: str,
        *,
        position: int | None = None,
        expected: str = "",
        got: str = "",
    ) -> None:
        super().__init__(message)
        #: one of "empty", "length", "character", "authority", "category", "division",
        #: "organisation_check", "check"
        self.problem = problem
        #: 1-based position in the code the problem is at, when there is one
        self.position = position
        self.expected = expected
        self.got = got


def normalise(raw: str) -> str:
    """Remove every whitespace character and upper-case the rest."""
    return "".join(raw.split()).upper()


def check_character(prefix17: str) -> str:
    """The check character (position 18) for the first 17 characters of a code."""
    if len(prefix17) != 17:
        raise ValueError(f"a check character needs 17 characters, got {len(prefix17)}")
    total = 0
    for ch, weight in zip(prefix17, WEIGHTS, strict=True):
        if ch not in _VALUE:
            raise ValueError(f"{ch!r} is not a credit code character")
        total += _VALUE[ch] * weight
    # 31 - (total mod 31), where a result of 31 is written as 0
    return ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def _org_value(ch: str) -> int:
    # GB 11714 values letters by their place in the full Latin alphabet: A=10 ... Z=35
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def organisation_check_character(body8: str) -> str:
    """The GB 11714 check character for the eight-character organisation code body."""
    if len(body8) != 8 or not all(ch.isascii() and ch.isalnum() for ch in body8.upper()):
        raise ValueError(f"an organisation code body is 8 letters or digits, got {body8!r}")
    total = sum(_org_value(ch) * w for ch, w in zip(body8.upper(), _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_code(prefix: str) -> str:
    """Complete a 16- or 17-character prefix into a valid code (for tests and demo data).

    With 16 characters both check characters (positions 17 and 18) are computed, which is what
    a generator of made-up codes wants; with 17 only position 18 is. The result is validated,
    so a bad prefix raises ``InvalidCreditCode`` instead of producing a code ``validate``
    would refuse.
    """
    code = normalise(prefix)
    if len(code) == 16:
        code += organisation_check_character(code[8:16])
    if len(code) != 17:
        raise ValueError(f"make_code needs 16 or 17 characters, got {len(code)}")
    return validate(code + check_character(code))


def validate(raw: str) -> str:
    """Return the normalised code, or raise ``InvalidCreditCode`` naming the first problem."""
    code = normalise(raw)
    if not code:
        raise InvalidCreditCode("empty", "the credit code is empty")
    if len(code) != 18:
        raise InvalidCreditCode(
            "length",
            f"a credit code has 18 characters, got {len(code)}",
            expected="18",
            got=str(len(code)),
        )
    for position, ch in enumerate(code, start=1):
        if ch not in _VALUE:
            raise InvalidCreditCode(
                "character",
                f"position {position}: {ch!r} is not allowed "
                f"(digits and capital letters except I, O, Z, S, V)",
                position=position,
                got=ch,
            )
    authority, category = code[0], code[1]
    if authority not in CATEGORIES:
        raise InvalidCreditCode(
            "authority",
            f"position 1: {authority!r} is not a registration authority code "
            f"(expected one of {''.join(CATEGORIES)})",
            position=1,
            expected="".join(CATEGORIES),
            got=authority,
        )
    allowed = "".join(sorted(CATEGORIES[authority]))
    if category not in CATEGORIES[authority]:
        raise InvalidCreditCode(
            "category",
            f"position 2: {category!r} is not a category of authority {authority!r} "
            f"(expected one of {allowed})",
            position=2,
            expected=allowed,
            got=category,
        )
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise InvalidCreditCode(
                "division",
                f"position {position}: the administrative division code (positions 3-8) "
                f"is six digits, got {code[position - 1]!r}",
                position=position,
                got=code[position - 1],
            )
    organisation = code[8:17]
    expected_org = organisation_check_character(organisation[:8])
    if organisation[8] != expected_org:
        raise InvalidCreditCode(
            "organisation_check",
            f"position 17: the organisation code check character should be {expected_org}, "
            f"got {organisation[8]}",
            position=17,
            expected=expected_org,
            got=organisation[8],
        )
    expected_check = check_character(code[:17])
    if code[17] != expected_check:
        raise InvalidCreditCode(
            "check",
            f"position 18: check character should be {expected_check}, got {code[17]}",
            position=18,
            expected=expected_check,
            got=code[17],
        )
    return code
