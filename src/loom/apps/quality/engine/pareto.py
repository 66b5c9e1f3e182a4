"""Pareto of defects: counts by cause, largest first, with the cumulative share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ParetoRow:
    """One cause, its count, its share and the cumulative share up to it (percent)."""

    key: str
    count: int
    share: Decimal
    cumulative: Decimal


def pareto(counts: Iterable[tuple[str, int]]) -> list[ParetoRow]:
    """Return causes by count, largest first (ties by key), with shares to one decimal.

    The cumulative share is computed from the running count, not by adding rounded shares,
    so the last row is exactly 100.0.
    """
    summed: dict[str, int] = {}
    for key, count in counts:
        if count > 0:
            summed[key] = summed.get(key, 0) + count
    total = sum(summed.values())
    rows: list[ParetoRow] = []
    running = 0
    for key, count in sorted(summed.items(), key=lambda item: (-item[1], item[0])):
        running += count
        rows.append(ParetoRow(key, count, _percent(count, total), _percent(running, total)))
    return rows


def _percent(part: int, total: int) -> Decimal:
    value = Decimal(part * 100) / Decimal(total)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
