"""Industry indices from consented samples: weekly cells per group, and the level distribution.

Plain data in and out. Daily samples are summed into ISO weeks (dated their Monday), the
finest grain every sharing enterprise offers. Ratios are summed before dividing, so a large
factory weighs what its volume weighs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from loom.kernel.plugins.spec import MetricSample
from loom.modules.brain.engine.kanon import K_MIN, TOTAL, Cell, Contribution, Table, build
from loom.modules.brain.engine.series import week_of

#: levels of the national index, 0 for "below level 1"
LEVELS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Shared:
    """One enterprise's samples of one metric, with the group it is counted in."""

    org_id: int
    group: str
    samples: Sequence[MetricSample]


def weeks_between(start: date, end: date) -> list[date]:
    """Return the Mondays of every ISO week that ``[start, end]`` touches."""
    first, last = week_of(start), week_of(end)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def weekly_table(
    shared: Iterable[Shared], groups: Sequence[str], weeks: Sequence[date], k: int = K_MIN
) -> Table:
    """Return the table of groups × weeks (numerators and denominators summed)."""
    known = set(weeks)
    contributions = []
    for item in shared:
        for sample in item.samples:
            week = week_of(sample.day)
            if week in known and (sample.numerator or sample.denominator):
                contributions.append(
                    Contribution(
                        item.org_id, item.group, week, sample.numerator, sample.denominator
                    )
                )
    return build(contributions, list(groups), list(weeks), k)


def value(cell: Cell | None, ratio: bool, scale: float) -> float | None:
    """Return a cell's figure: a sum, or numerator ÷ denominator, times ``scale``."""
    if cell is None:
        return None
    if not ratio:
        return cell.numerator * scale
    if cell.denominator == 0:
        return None
    return cell.numerator / cell.denominator * scale


def latest_level(samples: Sequence[MetricSample]) -> int | None:
    """Return the level of the last sample (a week's mean rounded down: never overstated)."""
    dated = [s for s in samples if s.denominator > 0]
    if not dated:
        return None
    last = max(dated, key=lambda s: s.day)
    return int(last.numerator / last.denominator)


def level_table(shared: Iterable[Shared], groups: Sequence[str], k: int = K_MIN) -> Table:
    """Return the table of groups × levels: how many enterprises hold each latest level."""
    contributions = []
    for item in shared:
        level = latest_level(item.samples)
        if level is not None:
            contributions.append(Contribution(item.org_id, item.group, level, 1.0, 1.0))
    return build(contributions, list(groups), list(LEVELS), k)


def mean_level(table: Table, row: Hashable) -> float | None:
    """Return the mean level of a row's enterprises; None when any of its cells is hidden.

    With the count known, a mean would let one solve for the hidden cells' levels.
    """
    total = table.shown(row, TOTAL)
    if total is None or not total.denominator:
        return None
    if any(table.is_suppressed(row, level) for level in LEVELS):
        return None
    weighted = 0.0
    for level in LEVELS:
        cell = table.cells.get((row, level))
        if cell is not None:
            weighted += level * cell.numerator
    return weighted / total.denominator


def groups_of(shared: Iterable[Shared], order: Mapping[str, int] | None = None) -> list[str]:
    """Return the groups present, by ``order`` then name."""
    names = {item.group for item in shared}
    rank = order or {}
    return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))
