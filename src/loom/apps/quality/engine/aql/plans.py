"""Single sampling plans of GB/T 2828.1 (ISO 2859-1): code letter, arrow rule, decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypedDict

from loom.apps.quality.engine.aql.tables import (
    AQLS,
    CODE_LETTER_ROWS,
    INSPECTIONS,
    LEVELS,
    MASTER_TABLES,
    Cell,
    Inspection,
)


@dataclass(frozen=True)
class SamplingPlan:
    """A single sampling plan: how many items to draw and the acceptance criterion.

    ``code_letter`` comes from the lot size and the inspection level (Table 1); ``plan_letter``
    is the row the arrows of the master table led to, whose sample size the plan takes. When
    that sample is at least the lot, every item is inspected: ``sample_size`` is the lot size
    and ``full_inspection`` is true, with the plan's acceptance and rejection numbers.
    """

    code_letter: str
    plan_letter: str
    sample_size: int
    accept: int
    reject: int
    inspection: str
    full_inspection: bool


class ClassesDecision(TypedDict):
    """The decision on a lot inspected for several classes of nonconformity."""

    accepted: bool
    classes: dict[str, bool]


def _int_at_least(value: object, name: str, minimum: int) -> int:
    # bool is an int to Python, but True is not a lot size
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, not {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def code_letter(lot_size: int, level: str) -> str:
    """Return the sample size code letter for a lot size and inspection level (Table 1)."""
    _int_at_least(lot_size, "lot_size", 2)
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    column = LEVELS.index(level)
    letter = CODE_LETTER_ROWS[0][1][column]
    for low, letters in CODE_LETTER_ROWS:
        if lot_size >= low:
            letter = letters[column]
    return letter


def aql_index(aql: Decimal | str) -> int:
    """Return the column of a preferred AQL (``"2.5"``, ``Decimal("0.010")``…) in the tables."""
    try:
        value = aql if isinstance(aql, Decimal) else Decimal(str(aql).strip())
    except InvalidOperation:
        raise ValueError(f"aql must be a number, not {aql!r}") from None
    # Decimal compares by value, so "0.01", "0.010" and "1E-2" all find 0.010
    for index, preferred in enumerate(AQLS):
        if value == preferred:
            return index
    raise ValueError(f"aql {aql} is not a preferred AQL (0.010, 0.015, … 650, 1000)")


def _follow_arrows(inspection: str, letter: str, column: int) -> tuple[str, Cell]:
    table = MASTER_TABLES[inspection]
    letters = table.letters
    row = letters.index(letter)
    cell = table.cells[letter][column]
    # an arrow points at the first plan in its direction; the tables were written so that every
    # arrow reaches one, and a blank is only met in the tightened row S that no letter starts in
    while cell is not None and cell.arrow is not None:
        row += 1 if cell.arrow == "down" else -1
        cell = table.cells[letters[row]][column]
    if cell is None:  # the tests walk every cell of every table, so this is a table typo
        raise AssertionError(f"no plan for letter {letter} at column {column} ({inspection})")
    return letters[row], cell


def plan(
    lot_size: int, level: str, aql: Decimal | str, inspection: Inspection = "normal"
) -> SamplingPlan:
    """Return the single sampling plan for a lot, an inspection level, an AQL and a severity."""
    letter = code_letter(lot_size, level)
    column = aql_index(aql)
    if inspection not in INSPECTIONS:
        raise ValueError(f"inspection must be one of {', '.join(INSPECTIONS)}, not {inspection!r}")
    plan_letter, cell = _follow_arrows(inspection, letter, column)
    sample_size = MASTER_TABLES[inspection].sample_sizes[plan_letter]
    full = sample_size >= lot_size
    return SamplingPlan(
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=lot_size if full else sample_size,
        accept=cell.accept,
        reject=cell.reject,
        inspection=inspection,
        full_inspection=full,
    )


def table_plan(letter: str, aql: Decimal | str, inspection: Inspection = "normal") -> SamplingPlan:
    """Return the plan of a master table for a code letter, arrows resolved, lot size ignored."""
    column = aql_index(aql)
    if inspection not in INSPECTIONS:
        raise ValueError(f"inspection must be one of {', '.join(INSPECTIONS)}, not {inspection!r}")
    if letter not in MASTER_TABLES[inspection].cells:
        raise ValueError(f"letter must be a sample size code letter, not {letter!r}")
    plan_letter, cell = _follow_arrows(inspection, letter, column)
    return SamplingPlan(
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=MASTER_TABLES[inspection].sample_sizes[plan_letter],
        accept=cell.accept,
        reject=cell.reject,
        inspection=inspection,
        full_inspection=False,
    )


def decide(plan: SamplingPlan, defects: int) -> bool:
    """Return whether the lot is accepted: defects at most the acceptance number (§11.1)."""
    _int_at_least(defects, "defects", 0)
    # single sampling has Re = Ac + 1 in every table, so "not accepted" is "at least Re"
    return defects <= plan.accept


def decide_classes(
    plans: Mapping[str, SamplingPlan], defects: Mapping[str, int]
) -> ClassesDecision:
    """Judge each class (critical, major, minor…) by its own plan; accept only if all pass."""
    if not plans:
        raise ValueError("plans must name at least one class")
    missing = sorted(set(plans) - set(defects))
    if missing:
        raise ValueError(f"defects has no count for class {', '.join(missing)}")
    unknown = sorted(set(defects) - set(plans))
    if unknown:
        raise ValueError(f"defects names class {', '.join(unknown)} without a plan")
    classes = {name: decide(plans[name], defects[name]) for name in plans}
    return ClassesDecision(accepted=all(classes.values()), classes=classes)
