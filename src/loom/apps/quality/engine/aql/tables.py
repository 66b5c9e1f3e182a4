"""The master tables of GB/T 2828.1-2012 (ISO 2859-1:1999), written out cell by cell.

Each table is printed as in the standard: one row per sample size code letter with its sample
size, one column per AQL, a cell holding ``Ac/Re``, ``↓`` (use the first plan below) or ``↑``
(use the first plan above); an empty cell has no plan. Each table is split in two halves (AQL
0.010–1.0 and 1.5–1000) only to keep lines short. ``docs/quality-aql.md`` says where each table
comes from and which cells were hand-checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

Inspection = Literal["normal", "tightened", "reduced"]
INSPECTIONS: Final = ("normal", "tightened", "reduced")

LEVELS: Final = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

# The 26 preferred AQLs; those up to 10 are percent nonconforming or nonconformities per 100
# items, those above 10 nonconformities per 100 items only (§5.3).
AQL_LABELS: Final = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0",
    "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250", "400", "650",
    "1000",
)  # fmt: skip
AQLS: Final = tuple(Decimal(label) for label in AQL_LABELS)

# Table 1: sample size code letters. Each row: the lower end of the lot size range, then the
# letter for S-1, S-2, S-3, S-4, I, II, III (the upper end is the next row's lower end - 1).
_CODE_LETTERS = """
    2 AAAAAAB
    9 AAAAABC
   16 AABBBCD
   26 ABBCCDE
   51 BBCCCEF
   91 BBCDDFG
  151 BCDEEGH
  281 BCDEFHJ
  501 CCEFGJK
 1201 CDEGHKL
 3201 CDFGJLM
10001 CDFHKMN
35001 DEGJLNP
150001 DEGJMPQ
500001 DEHKNQR
"""


def _code_letter_rows() -> tuple[tuple[int, str], ...]:
    rows = []
    for line in _CODE_LETTERS.strip().splitlines():
        low, letters = line.split()
        rows.append((int(low), letters))
    return tuple(rows)


CODE_LETTER_ROWS: Final = _code_letter_rows()

# Table 2-A: single sampling plans for normal inspection (master table).
_NORMAL_LOW = """
        0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0
A     2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B     3     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
C     5     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
D     8     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
E    13     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1
F    20     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑
G    32     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓
H    50     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2
J    80     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3
K   125     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4
L   200     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6
M   315     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8
N   500     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11
P   800     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15
Q  1250   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22
R  2000     ↑     ↑   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑
"""

_NORMAL_HIGH = """
          1.5   2.5   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
A     2     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31
B     3     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45
C     5     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ↑
D     8   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ↑     ↑
E    13     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ↑     ↑     ↑
F    20     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑
G    32   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑
H    50   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
J    80   3/4   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
K   125   5/6   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
L   200   7/8 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
M   315 10/11 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
N   500 14/15 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
P   800 21/22     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
Q  1250     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
R  2000     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
"""

# Table 2-B: single sampling plans for tightened inspection (master table). Letter S (3150)
# exists only here, for the arrow down from letter R at AQL 0.025.
_TIGHTENED_LOW = """
        0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0
A     2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B     3     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
C     5     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
D     8     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
E    13     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
F    20     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1
G    32     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓
H    50     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓
J    80     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2
K   125     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3
L   200     ↓     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4
M   315     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6
N   500     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9
P   800     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13
Q  1250     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19
R  2000   0/1     ↑     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑
S  3150               1/2
"""

_TIGHTENED_HIGH = """
          1.5   2.5   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
A     2     ↓     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28
B     3     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42
C     5     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ↑
D     8     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ↑     ↑
E    13   0/1     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ↑     ↑     ↑
F    20     ↓     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑
G    32     ↓   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑
H    50   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
J    80   2/3   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
K   125   3/4   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
L   200   5/6   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
M   315   8/9 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
N   500 12/13 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
P   800 18/19     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
Q  1250     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
R  2000     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
S  3150
"""

# Table 2-C: single sampling plans for reduced inspection (master table), without the gap
# between Ac and Re of the 1989 edition (see docs/quality-aql.md for its source).
_REDUCED_LOW = """
        0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0
A     2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B     2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
C     2     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
D     3     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
E     5     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
F     8     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
G    13     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1
H    20     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑
J    32     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓
K    50     ↓     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2
L    80     ↓     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3
M   125     ↓     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4
N   200     ↓     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6
P   315     ↓     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8
Q   500     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11
R   800   0/1   0/1     ↑     ↑   1/2   2/3   3/4   5/6   7/8 10/11     ↑
"""

_REDUCED_HIGH = """
          1.5   2.5   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
A     2     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31
B     2     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31
C     2     ↓     ↓     ↓   0/1     ↓     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31
D     3     ↓     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45
E     5     ↓   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ↑
F     8   0/1     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ↑     ↑
G    13     ↑     ↓   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ↑     ↑     ↑
H    20     ↓   1/2   2/3   3/4   5/6   7/8 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
J    32   1/2   2/3   3/4   5/6   7/8 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
K    50   2/3   3/4   5/6   7/8 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
L    80   3/4   5/6   7/8 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
M   125   5/6   7/8 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
N   200   7/8 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
P   315 10/11     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
Q   500     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
R   800     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
"""


@dataclass(frozen=True)
class Cell:
    """One cell of a master table: a plan (``accept``/``reject``) or an arrow."""

    arrow: Literal["down", "up"] | None = None
    accept: int = 0
    reject: int = 0


@dataclass(frozen=True)
class MasterTable:
    """A master table: sample size per code letter and the cells per letter and AQL index."""

    sample_sizes: dict[str, int]
    cells: dict[str, tuple[Cell | None, ...]]

    @property
    def letters(self) -> tuple[str, ...]:
        """Return the code letters from the smallest sample to the largest."""
        return tuple(self.cells)


def _parse_cell(text: str) -> Cell | None:
    if not text:
        return None
    if text == "↓":
        return Cell(arrow="down")
    if text == "↑":
        return Cell(arrow="up")
    accept, reject = text.split("/")
    return Cell(accept=int(accept), reject=int(reject))


def _parse_half(text: str, columns: tuple[str, ...]) -> dict[str, tuple[int, list[Cell | None]]]:
    # fixed width: 7 characters of letter and sample size, then 6 per AQL column
    header, *lines = text.strip("\n").splitlines()
    if tuple(header[7 + 6 * k : 13 + 6 * k].strip() for k in range(len(columns))) != columns:
        raise AssertionError(f"table header {header.split()} is not {columns}")
    rows: dict[str, tuple[int, list[Cell | None]]] = {}
    for line in lines:
        letter, size = line[0], int(line[1:7])
        cells = [_parse_cell(line[7 + 6 * k : 13 + 6 * k].strip()) for k in range(len(columns))]
        rows[letter] = (size, cells)
    return rows


def _table(low: str, high: str) -> MasterTable:
    left = _parse_half(low, AQL_LABELS[:11])
    right = _parse_half(high, AQL_LABELS[11:])
    sizes: dict[str, int] = {}
    cells: dict[str, tuple[Cell | None, ...]] = {}
    for letter, (size, row) in left.items():
        right_size, right_row = right[letter]
        if right_size != size:
            raise AssertionError(f"letter {letter}: sample size {size} != {right_size}")
        sizes[letter] = size
        cells[letter] = (*row, *right_row)
    return MasterTable(sample_sizes=sizes, cells=cells)


MASTER_TABLES: Final[dict[str, MasterTable]] = {
    "normal": _table(_NORMAL_LOW, _NORMAL_HIGH),
    "tightened": _table(_TIGHTENED_LOW, _TIGHTENED_HIGH),
    "reduced": _table(_REDUCED_LOW, _REDUCED_HIGH),
}
