"""The pure rules: which rate applies on a day, and cycles in routing precedence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loom.modules.masterdata.engine import find_cycle, rate_valid_on

# hand-checked example of the issue: 0.30 from 2025-01-01, then 0.35 from 2025-07-01
VERSIONS = [(date(2025, 7, 1), Decimal("0.35")), (date(2025, 1, 1), Decimal("0.30"))]


def test_the_latest_version_on_or_before_the_day_applies() -> None:
    assert rate_valid_on(VERSIONS, date(2025, 6, 30)) == Decimal("0.30")
    assert rate_valid_on(VERSIONS, date(2025, 7, 1)) == Decimal("0.35")
    assert rate_valid_on(VERSIONS, date(2025, 1, 1)) == Decimal("0.30")
    assert rate_valid_on(VERSIONS, date(2030, 1, 1)) == Decimal("0.35")


def test_no_rate_before_the_first_version() -> None:
    assert rate_valid_on(VERSIONS, date(2024, 12, 31)) is None
    assert rate_valid_on([], date(2025, 1, 1)) is None


def test_acyclic_precedence_has_no_cycle() -> None:
    # 1 first; 2 and 3 after 1; 4 after both (a diamond, not a cycle)
    assert find_cycle({1: [], 2: [1], 3: [1], 4: [2, 3]}) is None
    assert find_cycle({}) is None


def test_a_cycle_is_found_and_spelled_out() -> None:
    # 1 waits on 3, 3 on 2, 2 on 1: the walk from 1 along predecessors returns to 1
    assert find_cycle({1: [3], 2: [1], 3: [2], 4: []}) == [1, 3, 2, 1]
    assert find_cycle({5: [5]}) == [5, 5]


def test_unknown_predecessors_are_left_to_the_caller() -> None:
    assert find_cycle({1: [99]}) is None
