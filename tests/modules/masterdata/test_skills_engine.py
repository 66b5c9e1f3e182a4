"""The pure rule of who may do an operation: grade on its machine type >= its skill grade."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from loom.modules.masterdata.engine.skills import can_do, grades


@dataclass(frozen=True)
class Cell:
    """A stand-in for a stored skills-matrix cell."""

    machine_type: str
    grade: int


SKILLS = {"lockstitch": 3, "overlock": 5}


@pytest.mark.parametrize(
    ("machine_type", "skill_grade", "expected"),
    [
        ("lockstitch", 1, True),
        ("lockstitch", 3, True),  # equal grade is enough
        ("lockstitch", 4, False),  # one grade short
        ("overlock", 5, True),
        ("button", 1, False),  # no grade on the machine type at all
    ],
)
def test_can_do_compares_the_grade_on_the_operation_s_machine_type(
    machine_type: str, skill_grade: int, expected: bool
) -> None:
    assert can_do(SKILLS, machine_type, skill_grade) is expected


def test_an_operator_without_skills_may_do_nothing() -> None:
    assert can_do({}, "manual", 1) is False


def test_grades_turns_stored_cells_into_the_mapping_can_do_takes() -> None:
    got = grades([Cell("lockstitch", 3), Cell("bartack", 1)])
    assert got == {"lockstitch": 3, "bartack": 1}
    assert can_do(got, "bartack", 1)
    assert not can_do(got, "bartack", 2)
