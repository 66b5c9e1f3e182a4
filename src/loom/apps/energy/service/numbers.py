"""Typed numbers in and out: decimals in ten-thousandths, and their problems named by field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from loom.apps.energy.engine.readings import E4
from loom.kernel.errors import ValidationFailed
from loom.modules.masterdata.service.checks import FieldProblem

#: the largest figure a BIGINT in ten-thousandths holds with room to add (10^14 units)
MAX_E4 = 10**18


def parse_decimal(raw: object) -> Decimal | None:
    """Return a typed number ("1,234.5", 12, 3.5), or None if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def to_e4(
    field: str, value: Decimal | None, *, required: bool = True, positive: bool = False
) -> tuple[int | None, list[FieldProblem]]:
    """Return a number in ten-thousandths, or the problem naming ``field``."""
    if value is None:
        if required:
            return None, [FieldProblem(field, "a number is expected here")]
        return None, []
    if value < 0 or (positive and value == 0):
        template = "must be greater than 0" if positive else "must not be negative"
        return None, [FieldProblem(field, template)]
    scaled = value * E4
    if scaled != scaled.to_integral_value():
        return None, [FieldProblem(field, "at most four decimal places")]
    if scaled >= MAX_E4:
        return None, [FieldProblem(field, "the number is too large")]
    return int(scaled), []


def from_e4(value_e4: int | None) -> Decimal | None:
    """Return a figure stored in ten-thousandths as a Decimal."""
    return None if value_e4 is None else Decimal(value_e4) / E4


class Refused(ValidationFailed):
    """Input with bad fields; keeps each problem's msgid for pages and file reports."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(
            "%(count)s problem(s) in the input: %(fields)s",
            details=[{"field": p.field, "message": p.message} for p in problems],
            params={"count": len(problems), "fields": ", ".join(p.field for p in problems)},
        )
        self.problems = problems


def refuse(found: list[FieldProblem]) -> None:
    """Raise Refused listing every problem, if there are any."""
    if found:
        raise Refused(found)
