"""Tables of figures summed over enterprises, with every figure of too few enterprises hidden.

A table has rows (groups: sectors, towns …, plus the ``ALL`` row) and columns (weeks, levels …,
plus the ``TOTAL`` column); each cell sums the numerators and denominators of the enterprises
in it. A cell built from fewer than ``k`` enterprises is suppressed (primary suppression).
Margins would give it away by subtraction (total minus the shown cells), so whenever a line
with a shown margin hides cells whose enterprises together number fewer than ``k``, more cells
of that line are hidden, fewest enterprises first, or else the margin itself (secondary
suppression), until no line gives anything away. Plain data in and out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

#: the smallest number of enterprises a shown figure may be built from
K_MIN = 3
ALL = "__all__"
TOTAL = "__total__"


@dataclass
class Cell:
    """The sums of one cell and the enterprises that contributed to it."""

    numerator: float = 0.0
    denominator: float = 0.0
    orgs: set[int] = field(default_factory=set)

    def add(self, org_id: int, numerator: float, denominator: float) -> None:
        """Add one enterprise's contribution."""
        self.numerator += numerator
        self.denominator += denominator
        self.orgs.add(org_id)


@dataclass(frozen=True)
class Contribution:
    """What one enterprise adds to one (row, column) cell."""

    org_id: int
    row: Hashable
    column: Hashable
    numerator: float
    denominator: float = 1.0


@dataclass
class Table:
    """Cells by (row, column), margins included, and the cells that must not be shown."""

    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[tuple[Hashable, Hashable], Cell]
    suppressed: set[tuple[Hashable, Hashable]]
    k: int = K_MIN
    column_totals: bool = True

    def cell(self, row: Hashable, column: Hashable) -> Cell:
        """Return a cell (empty when nobody contributed)."""
        return self.cells.get((row, column), Cell())

    def shown(self, row: Hashable, column: Hashable) -> Cell | None:
        """Return a cell that may be shown, or None when it is suppressed or empty."""
        found = self.cells.get((row, column))
        if found is None or not found.orgs or (row, column) in self.suppressed:
            return None
        return found

    def is_suppressed(self, row: Hashable, column: Hashable) -> bool:
        """Return whether a cell with contributions is hidden."""
        return (row, column) in self.suppressed


def build(
    contributions: Iterable[Contribution],
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    k: int = K_MIN,
    *,
    column_totals: bool = True,
) -> Table:
    """Return the table of ``contributions`` with its margins and its suppressed cells.

    ``column_totals=False`` is for rows that overlap (one enterprise's minutes under several
    categories): their ``ALL`` row is never shown, so it protects nothing and reveals nothing.
    """
    cells: dict[tuple[Hashable, Hashable], Cell] = {}
    for c in contributions:
        for key in ((c.row, c.column), (c.row, TOTAL), (ALL, c.column), (ALL, TOTAL)):
            cells.setdefault(key, Cell()).add(c.org_id, c.numerator, c.denominator)
    table = Table(list(rows), list(columns), cells, set(), k, column_totals)
    table.suppressed = suppress(table)
    return table


Key = tuple[Hashable, Hashable]


def _lines(table: Table) -> list[tuple[list[Key], Key]]:
    """Return every line of inner cells with its margin: each row, then each column."""
    found: list[tuple[list[Key], Key]] = []
    for row in [*table.rows, ALL]:
        found.append(([(row, col) for col in table.columns], (row, TOTAL)))
    if not table.column_totals:
        return found
    for col in [*table.columns, TOTAL]:
        found.append(([(row, col) for row in table.rows], (ALL, col)))
    return found


def suppress(table: Table) -> set[tuple[Hashable, Hashable]]:
    """Return the cells to hide: too few enterprises, and those that would reveal them."""

    def orgs(key: tuple[Hashable, Hashable]) -> set[int]:
        return table.cells[key].orgs if key in table.cells else set()

    hidden = {key for key, cell in table.cells.items() if 0 < len(cell.orgs) < table.k}
    if not table.column_totals:
        hidden |= {key for key in table.cells if key[0] == ALL}
    changed = True
    while changed:
        changed = False
        for inner, margin in _lines(table):
            if margin in hidden or not orgs(margin):
                continue
            filled = [key for key in inner if orgs(key)]
            secret = [key for key in filled if key in hidden]
            if not secret:
                continue
            behind: set[int] = set().union(*(orgs(key) for key in secret))
            visible = sorted(
                (key for key in filled if key not in hidden),
                key=lambda key: (len(orgs(key)), str(key)),
            )
            while len(behind) < table.k and visible:
                # hide the smallest shown cell as well: the margin then reveals only a sum
                # of several hidden cells, built from at least k enterprises
                extra = visible.pop(0)
                hidden.add(extra)
                behind |= orgs(extra)
                changed = True
            if len(behind) < table.k:
                hidden.add(margin)
                changed = True
    return hidden
