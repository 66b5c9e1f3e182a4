"""Field problems collected over a whole input, raised once so every bad field is named."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from loom.kernel.errors import ValidationFailed

MAX_MATRIX = 100  # colours or sizes of one style: a typo guard, not a business rule


@dataclass(frozen=True)
class FieldProblem:
    """One bad field: an English msgid with its parameters."""

    field: str
    template: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        """Return the English message, prefixed with the field it names."""
        return f"{self.field}: {self.template % dict(self.params)}"


def raise_problems(found: Sequence[FieldProblem]) -> None:
    """Raise ValidationFailed listing every problem, if there are any."""
    if not found:
        return
    # no single ``field``: the error handler would replace the list with that one field
    raise ValidationFailed(
        "%(count)s problem(s) in the input: %(fields)s",
        details=[{"field": p.field, "message": p.message} for p in found],
        params={"count": len(found), "fields": ", ".join(p.field for p in found)},
    )


def text_problems(field: str, value: str, limit: int, *, required: bool) -> list[FieldProblem]:
    """Return the problems of one text field: empty when required, or too long."""
    if required and not value.strip():
        return [FieldProblem(field, "must not be empty")]
    if len(value.strip()) > limit:
        return [FieldProblem(field, "at most %(limit)s characters", {"limit": limit})]
    return []


def list_problems(field: str, values: Sequence[str], limit: int) -> list[FieldProblem]:
    """Return the problems of a list of labels (colours, sizes): blank, long or repeated."""
    found: list[FieldProblem] = []
    if len(values) > MAX_MATRIX:
        found.append(FieldProblem(field, "at most %(n)s entries", {"n": MAX_MATRIX}))
    seen: set[str] = set()
    for index, value in enumerate(values):
        where = f"{field}[{index}]"
        label = value.strip()
        if not label:
            found.append(FieldProblem(where, "must not be empty"))
        elif len(label) > limit:
            found.append(FieldProblem(where, "at most %(limit)s characters", {"limit": limit}))
        elif label in seen:
            found.append(FieldProblem(where, "%(value)s is listed twice", {"value": label}))
        seen.add(label)
    return found
