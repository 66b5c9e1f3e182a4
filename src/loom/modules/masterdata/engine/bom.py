"""Material requirements of an order: the BOM's consumption per size times the pieces."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal


def material_requirements(
    lines: Iterable[tuple[str, Mapping[str, Decimal]]],
    quantities: Mapping[str, Mapping[str, int]],
) -> dict[str, Decimal]:
    """Return the total consumption per material code, exact, in the BOM's order.

    ``lines`` are (material code, consumption per size); ``quantities`` are pieces per
    colour and size. Every colour of a style uses the same BOM, so colours only add up;
    a size a line has no consumption for counts as zero (the caller checks completeness).
    """
    pieces: dict[str, int] = {}
    for per_size in quantities.values():
        for size, qty in per_size.items():
            pieces[size] = pieces.get(size, 0) + qty
    totals: dict[str, Decimal] = {}
    for code, consumption in lines:
        total = Decimal(0)
        for size, qty in pieces.items():
            total += consumption.get(size, Decimal(0)) * qty
        totals[code] = totals.get(code, Decimal(0)) + total
    return totals
