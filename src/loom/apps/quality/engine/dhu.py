"""DHU (defects per hundred units): defects × 100 / pieces checked, grouped as asked.

Plain data in and out. A group's DHU sums its defects and its pieces before dividing, so a
day with 200 pieces weighs twice a day with 100 (the mean of the inspections' DHUs would not).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Checked:
    """Pieces checked and defects found, with what they belong to (line, day, operator …)."""

    pieces: int
    defects: int
    line_id: int | None = None
    day: str = ""
    operator_id: int | None = None
    operation_id: int | None = None


@dataclass(frozen=True)
class DhuRow:
    """One group's pieces checked, defects and DHU (None when nothing was checked)."""

    key: Hashable
    pieces: int
    defects: int

    @property
    def dhu(self) -> Decimal | None:
        """Return the group's DHU to two decimals, or None without pieces."""
        return dhu(self.defects, self.pieces)


def dhu(defects: int, pieces: int) -> Decimal | None:
    """Return defects × 100 / pieces, rounded half up to two decimals (None for 0 pieces)."""
    if pieces <= 0:
        return None
    value = Decimal(defects * 100) / Decimal(pieces)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def group(records: Iterable[Checked], key: Callable[[Checked], K | None]) -> list[DhuRow]:
    """Return one row per key (records whose key is None are left out), in first-seen order."""
    pieces: dict[K, int] = {}
    defects: dict[K, int] = {}
    for record in records:
        k = key(record)
        if k is None:
            continue
        pieces[k] = pieces.get(k, 0) + record.pieces
        defects[k] = defects.get(k, 0) + record.defects
    return [DhuRow(k, pieces[k], defects[k]) for k in pieces]


def by_line(records: Iterable[Checked]) -> list[DhuRow]:
    """Return DHU per line."""
    return group(records, lambda r: r.line_id)


def by_day(records: Iterable[Checked]) -> list[DhuRow]:
    """Return DHU per day, oldest first."""
    return sorted(group(records, lambda r: r.day or None), key=lambda row: str(row.key))


def by_operator(records: Iterable[Checked]) -> list[DhuRow]:
    """Return DHU per operator (records without an operator left out)."""
    return group(records, lambda r: r.operator_id)


def by_operation(records: Iterable[Checked]) -> list[DhuRow]:
    """Return DHU per operation (records without an operation left out)."""
    return group(records, lambda r: r.operation_id)


def trend(records: Iterable[Checked], days: list[str]) -> dict[int | None, list[Decimal | None]]:
    """Return each line's DHU on each of ``days`` (None on a day without inspections)."""
    cells: dict[int | None, dict[str, list[int]]] = {}
    for record in records:
        cell = cells.setdefault(record.line_id, {}).setdefault(record.day, [0, 0])
        cell[0] += record.pieces
        cell[1] += record.defects
    return {
        line: [dhu(found[day][1], found[day][0]) if day in found else None for day in days]
        for line, found in cells.items()
    }
