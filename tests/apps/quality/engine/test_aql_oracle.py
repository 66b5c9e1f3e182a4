"""Every cell of the oracle files: the normal table (2-A) and the code letters (Table 1)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loom.apps.quality.engine.aql import LEVELS, code_letter, table_plan

DOMAIN = Path(__file__).parents[3] / "data"  # copies of shared/domain (tests/data/README.md)


def _rows(name: str) -> list[dict[str, str]]:
    with (DOMAIN / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


NORMAL = _rows("aql-single-normal.csv")
LETTERS = _rows("aql-code-letters.csv")


def test_the_oracles_hold_all_the_cells() -> None:
    # 16 code letters x 16 AQLs (0.010 … 10), 15 lot size ranges
    assert len(NORMAL) == 256
    assert len(LETTERS) == 15


@pytest.mark.parametrize("row", NORMAL, ids=lambda row: f"{row['code_letter']}@{row['aql']}")
def test_normal_cell_after_the_arrow_rule(row: dict[str, str]) -> None:
    chosen = table_plan(row["code_letter"], row["aql"], "normal")
    assert (chosen.sample_size, chosen.accept, chosen.reject) == (
        int(row["sample_size"]),
        int(row["accept"]),
        int(row["reject"]),
    )


def _ends(row: dict[str, str]) -> list[int]:
    # the last range is open ("500001 and over"): check its lower end and a lot far above it
    return [int(row["lot_min"]), int(row["lot_max"]) if row["lot_max"] else 10_000_000]


@pytest.mark.parametrize(
    ("lot_size", "level", "letter"),
    [(lot, level, row[level]) for row in LETTERS for lot in _ends(row) for level in LEVELS],
)
def test_code_letter_at_both_ends_of_each_range(lot_size: int, level: str, letter: str) -> None:
    assert code_letter(lot_size, level) == letter
