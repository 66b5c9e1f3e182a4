"""Cutting maths: suggest lays for an order and split a cut lay into bundles (pure, no DB).

**Lay plan (per colour).** A lay is a number of plies of one colour under a marker that holds
``ratios[size]`` garments of each size per ply, so it cuts ``plies × ratios[size]`` pieces of each
size. The plan is greedy and exact first:

1. Candidate ply heights are ``min(remaining[size], max_plies)`` for every size still needing at
   least ``min_plies`` pieces. For a height ``h`` the marker takes ``remaining[size] // h`` garments
   of each size (so nothing is overcut); when that exceeds ``max_marker`` garments, one garment is
   taken off the size with the largest ratio (the later size on a tie) until it fits.
2. The candidate cutting the most pieces wins (ties: the taller lay, then the earlier candidate);
   its pieces are subtracted and step 1 repeats. Every step cuts at least one garment per ply of
   the size that set the height, so the loop ends, and it never overcuts.
3. With ``min_plies`` 1 this covers the order exactly. With a larger ``min_plies`` (spreading a
   handful of plies is not worth a marker), what remains below ``min_plies`` per size is cut in
   final lays of exactly ``min_plies`` plies with one garment of each such size: every lay must
   have at least ``min_plies`` plies and every remaining size needs at least one garment per ply,
   so ``Σ (min_plies − remaining[size])`` is the smallest overcut possible for that remainder.

**Bundles.** Each garment of a size in the marker is its own stack of ``plies`` pieces; a stack
is tied into bundles of ``bundle_size`` consecutive plies from ply 1, the last one shorter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: a plan longer than this means the limits are unrealistic for the order (a typo guard)
MAX_LAYS = 500


class PlanTooLong(ValueError):
    """The limits would need more than MAX_LAYS lays."""


@dataclass(frozen=True)
class PlannedLay:
    """One suggested lay: a colour, its plies and the marker's garments per size."""

    colour: str
    plies: int
    ratios: dict[str, int]

    @property
    def pieces(self) -> int:
        """Return the garments this lay cuts."""
        return self.plies * sum(self.ratios.values())


@dataclass(frozen=True)
class BundleCut:
    """One bundle of a cut lay: a size and a range of consecutive plies."""

    size: str
    ply_from: int
    ply_to: int

    @property
    def qty(self) -> int:
        """Return the pieces in the bundle."""
        return self.ply_to - self.ply_from + 1


def _marker(remaining: Mapping[str, int], height: int, max_marker: int) -> dict[str, int]:
    ratios = {size: left // height for size, left in remaining.items()}
    order = list(ratios)
    while sum(ratios.values()) > max_marker:
        # the largest ratio gives one up; on a tie the later size, so earlier sizes stay whole
        biggest = max(reversed(order), key=lambda s: ratios[s])
        ratios[biggest] -= 1
    return {size: n for size, n in ratios.items() if n > 0}


def plan_colour(
    colour: str,
    quantities: Mapping[str, int],
    *,
    max_plies: int,
    max_marker: int,
    min_plies: int = 1,
) -> list[PlannedLay]:
    """Return lays covering one colour's pieces per size (see the module docstring)."""
    if max_plies < 1 or max_marker < 1 or not 1 <= min_plies <= max_plies:
        raise ValueError("limits must satisfy 1 ≤ min_plies ≤ max_plies and max_marker ≥ 1")
    remaining = {size: qty for size, qty in quantities.items() if qty > 0}
    lays: list[PlannedLay] = []
    while True:
        heights = sorted(
            {min(left, max_plies) for left in remaining.values() if left >= min_plies},
            reverse=True,
        )
        if not heights:
            break
        best: PlannedLay | None = None
        for height in heights:
            lay = PlannedLay(colour, height, _marker(remaining, height, max_marker))
            if best is None or lay.pieces > best.pieces:
                best = lay
        assert best is not None
        assert best.pieces > 0
        lays.append(best)
        for size, ratio in best.ratios.items():
            remaining[size] -= best.plies * ratio
        if len(lays) > MAX_LAYS:
            raise PlanTooLong(colour)
    left = [size for size, qty in remaining.items() if qty > 0]
    for start in range(0, len(left), max_marker):
        chunk = left[start : start + max_marker]
        lays.append(PlannedLay(colour, min_plies, dict.fromkeys(chunk, 1)))
    if len(lays) > MAX_LAYS:
        raise PlanTooLong(colour)
    return lays


def plan_order(
    quantities: Mapping[str, Mapping[str, int]],
    *,
    max_plies: int,
    max_marker: int,
    min_plies: int = 1,
) -> list[PlannedLay]:
    """Return lays covering an order's pieces per colour and size, colour by colour."""
    lays: list[PlannedLay] = []
    for colour, sizes in quantities.items():
        lays.extend(
            plan_colour(
                colour, sizes, max_plies=max_plies, max_marker=max_marker, min_plies=min_plies
            )
        )
        if len(lays) > MAX_LAYS:
            raise PlanTooLong(colour)
    return lays


def coverage(lays: Sequence[PlannedLay]) -> dict[str, dict[str, int]]:
    """Return the pieces per colour and size that ``lays`` cut."""
    cut: dict[str, dict[str, int]] = {}
    for lay in lays:
        sizes = cut.setdefault(lay.colour, {})
        for size, ratio in lay.ratios.items():
            sizes[size] = sizes.get(size, 0) + lay.plies * ratio
    return cut


def bundles_of(plies: int, ratios: Mapping[str, int], bundle_size: int) -> list[BundleCut]:
    """Return the bundles of a lay: per size, per garment in the marker, per ply range."""
    if plies < 1 or bundle_size < 1:
        raise ValueError("plies and bundle_size must be at least 1")
    found: list[BundleCut] = []
    for size, ratio in ratios.items():
        for _copy in range(ratio):
            for start in range(1, plies + 1, bundle_size):
                found.append(BundleCut(size, start, min(start + bundle_size - 1, plies)))
    return found
