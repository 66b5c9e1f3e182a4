"""Plans for a lot: tightened and reduced cells, 100 % inspection, decisions, bad arguments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loom.apps.quality.engine.aql import (
    AQLS,
    INSPECTIONS,
    LEVELS,
    SamplingPlan,
    aql_index,
    code_letter,
    decide,
    decide_classes,
    plan,
    table_plan,
)
from loom.apps.quality.engine.aql.tables import MASTER_TABLES


def test_contract_constants() -> None:
    assert LEVELS == ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
    assert len(AQLS) == 26
    assert AQLS[0] == Decimal("0.010")
    assert AQLS[-1] == Decimal("1000")
    assert Decimal("2.5") in AQLS
    assert INSPECTIONS == ("normal", "tightened", "reduced")


# Each cell below is read from the master table named in its comment: letter, AQL, then the
# plan (sample size, Ac, Re) after following the arrows.
@pytest.mark.parametrize(
    ("letter", "aql", "expected"),
    [
        ("K", "1.0", ("K", 125, 2, 3)),  # 2-B: K row, 1.0 column holds 2 3
        ("K", "1.5", ("K", 125, 3, 4)),  # 2-B: K row, 1.5 column holds 3 4
        ("K", "2.5", ("K", 125, 5, 6)),  # 2-B: K row, 2.5 column holds 5 6
        ("K", "4.0", ("K", 125, 8, 9)),  # 2-B: K row, 4.0 column holds 8 9
        ("K", "6.5", ("K", 125, 12, 13)),  # 2-B: K row, 6.5 column holds 12 13
        ("K", "10", ("K", 125, 18, 19)),  # 2-B: K row, 10 column holds 18 19
        ("L", "10", ("K", 125, 18, 19)),  # 2-B: ↑ under L at 10 leads to K's 18 19
        ("H", "0.65", ("K", 125, 1, 2)),  # 2-B: ↓ at H and J lead to K's 1 2
        ("J", "0.25", ("J", 80, 0, 1)),  # 2-B: 0 1 on the diagonal, J at 0.25
        ("A", "0.010", ("R", 2000, 0, 1)),  # 2-B: ↓ down the 0.010 column to R's 0 1
        ("R", "0.025", ("S", 3150, 1, 2)),  # 2-B: the only use of letter S
        ("R", "0.015", ("Q", 1250, 0, 1)),  # 2-B: ↑ from R at 0.015 to Q's 0 1
        ("A", "1000", ("A", 2, 27, 28)),  # 2-B: top right corner
        ("B", "1000", ("B", 3, 41, 42)),  # 2-B: the largest tightened acceptance number
    ],
)
def test_tightened_cells(letter: str, aql: str, expected: tuple[str, int, int, int]) -> None:
    chosen = table_plan(letter, aql, "tightened")
    assert (chosen.plan_letter, chosen.sample_size, chosen.accept, chosen.reject) == expected


@pytest.mark.parametrize(
    ("letter", "aql", "expected"),
    [
        ("K", "2.5", ("K", 50, 3, 4)),  # 2-C: K samples 50 under reduced inspection
        ("L", "2.5", ("L", 80, 5, 6)),  # 2-C: L row, 2.5 column holds 5 6
        ("M", "2.5", ("M", 125, 7, 8)),  # 2-C: M row, 2.5 column holds 7 8
        ("N", "2.5", ("N", 200, 10, 11)),  # 2-C: N row, 2.5 column holds 10 11
        ("P", "2.5", ("N", 200, 10, 11)),  # 2-C: ↑ under P leads to N's 10 11
        ("F", "2.5", ("E", 5, 0, 1)),  # 2-C: ↑ under F leads to E's 0 1
        ("G", "2.5", ("H", 20, 1, 2)),  # 2-C: ↓ under G leads to H's 1 2
        ("C", "6.5", ("C", 2, 0, 1)),  # 2-C: letters A to C all sample 2
        ("K", "0.010", ("R", 800, 0, 1)),  # 2-C: ↓ down the 0.010 column to R's 0 1
    ],
)
def test_reduced_cells(letter: str, aql: str, expected: tuple[str, int, int, int]) -> None:
    chosen = table_plan(letter, aql, "reduced")
    assert (chosen.plan_letter, chosen.sample_size, chosen.accept, chosen.reject) == expected


@pytest.mark.parametrize("inspection", INSPECTIONS)
def test_every_cell_of_every_table_resolves_to_a_plan(inspection: str) -> None:
    table = MASTER_TABLES[inspection]
    letters = [letter for letter in table.letters if letter != "S"]  # no lot starts at S
    assert letters == list("ABCDEFGHJKLMNPQR")
    for letter in letters:
        for aql in AQLS:
            chosen = table_plan(letter, aql, inspection)  # type: ignore[arg-type]
            # single sampling has no gap between acceptance and rejection numbers
            assert chosen.reject == chosen.accept + 1
            assert chosen.sample_size == table.sample_sizes[chosen.plan_letter]


def test_sample_sizes_of_the_three_tables() -> None:
    normal = [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000]
    assert list(MASTER_TABLES["normal"].sample_sizes.values()) == normal
    assert list(MASTER_TABLES["tightened"].sample_sizes.values()) == [*normal, 3150]
    # reduced: letters A to C sample 2, then each letter takes the normal size two letters down
    assert list(MASTER_TABLES["reduced"].sample_sizes.values()) == [2, 2, *normal[:-2]]


def test_plan_for_a_lot_under_level_ii() -> None:
    # lot 2000, level II -> K (1201-3200); 2-A at K, 2.5: 125, Ac 7, Re 8
    chosen = plan(2000, "II", "2.5")
    assert chosen == SamplingPlan("K", "K", 125, 7, 8, "normal", False)


def test_plan_accepts_decimal_and_equal_spellings() -> None:
    assert plan(2000, "II", Decimal("2.5")) == plan(2000, "II", "2.50")
    assert aql_index("0.01") == aql_index(Decimal("0.010")) == 0
    assert aql_index(" 1000 ") == 25


def test_full_inspection_when_the_sample_exceeds_the_lot() -> None:
    # lot 10, level II -> B; 2-A at B, 0.65: ↓ to F, 20 items, more than the lot
    chosen = plan(10, "II", "0.65")
    assert (chosen.code_letter, chosen.plan_letter) == ("B", "F")
    assert (chosen.sample_size, chosen.accept, chosen.reject) == (10, 0, 1)
    assert chosen.full_inspection


def test_full_inspection_boundary_at_sample_equal_to_lot() -> None:
    # lots 20 and 21, level II -> C (16-25); 2-A at C, 0.65: ↓ to F, n = 20
    equal = plan(20, "II", "0.65")
    assert (equal.sample_size, equal.full_inspection) == (20, True)
    above = plan(21, "II", "0.65")
    assert (above.sample_size, above.full_inspection) == (20, False)


def test_full_inspection_under_tightened_inspection() -> None:
    # lot 1000, level II -> J; 2-B at J, 0.010: ↓ to R, 2000 items > 1000
    chosen = plan(1000, "II", "0.010", "tightened")
    assert (chosen.plan_letter, chosen.sample_size, chosen.full_inspection) == ("R", 1000, True)
    assert (chosen.accept, chosen.reject) == (0, 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plan(1, "II", "2.5"), "lot_size must be at least 2, not 1"),
        (lambda: plan(0, "II", "2.5"), "lot_size must be at least 2"),
        (lambda: plan(True, "II", "2.5"), "lot_size must be an integer"),
        (lambda: plan(100.0, "II", "2.5"), "lot_size must be an integer"),  # type: ignore[arg-type]
        (lambda: plan(100, "IV", "2.5"), "level must be one of S-1, S-2"),
        (lambda: plan(100, "ii", "2.5"), "level must be one of"),
        (lambda: plan(100, "II", "3"), "aql 3 is not a preferred AQL"),
        (lambda: plan(100, "II", "0.0"), "aql 0.0 is not a preferred AQL"),
        (lambda: plan(100, "II", "two"), "aql must be a number, not 'two'"),
        (lambda: plan(100, "II", "2.5", "strict"), "inspection must be one of"),  # type: ignore[arg-type]
        (lambda: code_letter(100, ""), "level must be one of"),
        (lambda: table_plan("I", "2.5"), "letter must be a sample size code letter"),
    ],
)
def test_bad_arguments_name_the_argument(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_decide_at_the_acceptance_and_rejection_numbers() -> None:
    chosen = plan(2000, "II", "2.5")  # Ac 7, Re 8
    assert decide(chosen, 0)
    assert decide(chosen, 7)
    assert not decide(chosen, 8)
    with pytest.raises(ValueError, match="defects must be at least 0"):
        decide(chosen, -1)


def test_decide_classes_each_with_its_own_aql() -> None:
    # lot 2000, level II -> K: critical 0.065 -> ↓ to L, 200 items, Ac 0 (2-A K@0.065 = 200/0/1);
    # major 2.5 -> 125, Ac 7; minor 4.0 -> 125, Ac 10
    plans = {
        "critical": plan(2000, "II", "0.065"),
        "major": plan(2000, "II", "2.5"),
        "minor": plan(2000, "II", "4.0"),
    }
    assert (plans["critical"].sample_size, plans["critical"].accept) == (200, 0)
    passing = decide_classes(plans, {"critical": 0, "major": 7, "minor": 10})
    assert passing == {
        "accepted": True,
        "classes": {"critical": True, "major": True, "minor": True},
    }
    # one critical nonconformity rejects the lot although major and minor pass
    failing = decide_classes(plans, {"critical": 1, "major": 0, "minor": 0})
    assert failing["accepted"] is False
    assert failing["classes"] == {"critical": False, "major": True, "minor": True}


def test_decide_classes_rejects_mismatched_classes() -> None:
    plans = {"major": plan(2000, "II", "2.5"), "minor": plan(2000, "II", "4.0")}
    with pytest.raises(ValueError, match="defects has no count for class minor"):
        decide_classes(plans, {"major": 0})
    with pytest.raises(ValueError, match="defects names class critical without a plan"):
        decide_classes(plans, {"major": 0, "minor": 0, "critical": 0})
    with pytest.raises(ValueError, match="plans must name at least one class"):
        decide_classes({}, {})
