"""Who may do an operation: an operator's grade on its machine type against its skill grade."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol


class GradedSkill(Protocol):
    """Anything with a machine type and a grade, such as a stored skills-matrix cell."""

    @property
    def machine_type(self) -> str:
        """Return the machine type the grade is for."""
        ...

    @property
    def grade(self) -> int:
        """Return the grade, 1 (novice) to 5 (master)."""
        ...


def grades(skills: Iterable[GradedSkill]) -> dict[str, int]:
    """Return an operator's skills as {machine type: grade}, the form ``can_do`` takes."""
    return {skill.machine_type: skill.grade for skill in skills}


def can_do(skills: Mapping[str, int], machine_type: str, skill_grade: int) -> bool:
    """Return whether an operator with ``skills`` may do an operation.

    ``skills`` maps machine types to the operator's grade; the operation needs ``machine_type``
    at ``skill_grade`` or better. No grade on the machine type means the operator may not.
    """
    grade = skills.get(machine_type)
    return grade is not None and grade >= skill_grade
