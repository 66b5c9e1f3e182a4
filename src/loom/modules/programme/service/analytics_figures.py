"""Programme analytics as plain arithmetic: levels before and after, levels per subsidy.

Plain data in and out, no database: ``analytics`` reads the bureau's rows into ``Pilot``
records, and everything here is exact (``Fraction``), rounded only for display.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

#: the national index grades 1–4; 0 means no level was reached (not graded)
LEVELS = (0, 1, 2, 3, 4)
#: 100,000 CNY in fen: ratios are given in levels per 100,000 CNY of subsidy
PER_FEN = 10_000_000
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Pilot:
    """What the analytics need of one pilot's project."""

    project_id: int
    title: str
    enterprise: str
    sector: str
    batch: str
    status: str
    contractor_org_id: int | None
    # ("N" or "X", scenario code) for each scenario recorded on the project
    scenarios: tuple[tuple[str, str], ...]
    before: int | None
    after: int | None
    before_score: Decimal | None = None
    after_score: Decimal | None = None
    awarded_fen: int = 0  # approved (not cancelled) awards to the enterprise
    paid_fen: int = 0  # payments recorded on those awards

    @property
    def measured(self) -> bool:
        """Return whether both an on-site level before and one after are recorded."""
        return self.before is not None and self.after is not None

    @property
    def gained(self) -> int | None:
        """Return the levels gained (negative if it fell), or ``None`` if not measured."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Distribution:
    """How many measured pilots stood at each level before and after."""

    before: dict[int, int]
    after: dict[int, int]
    measured: int
    improved: int  # gained at least one level

    @property
    def share_improved(self) -> Fraction | None:
        """Return the share of measured pilots that gained at least one level."""
        return Fraction(self.improved, self.measured) if self.measured else None


@dataclass(frozen=True, slots=True)
class LevelGroup:
    """Pilots of one batch and sector ("" for all of them): counts and mean levels."""

    batch: str
    sector: str
    pilots: int
    measured: int
    improved: int
    levels_gained: int
    mean_before: Fraction | None
    mean_after: Fraction | None

    @property
    def share_improved(self) -> Fraction | None:
        """Return the share of measured pilots that gained at least one level."""
        return Fraction(self.improved, self.measured) if self.measured else None


@dataclass(frozen=True, slots=True)
class Effect:
    """Levels gained against subsidy for one contractor, one scenario or the whole programme.

    Only measured pilots (a level before and after) enter the ratios; the subsidy of the
    others is shown apart, so money spent on projects not yet assessed is never hidden.
    """

    key: tuple[str, str]  # ("contractor", org id) | (N/X, scenario code) | ("", "")
    projects: int
    measured: int
    levels_gained: int
    awarded_fen: int
    paid_fen: int
    unmeasured_awarded_fen: int

    @property
    def per_100k_awarded(self) -> Fraction | None:
        """Return levels gained per 100,000 CNY awarded (``None`` when nothing was awarded)."""
        return per_100k(self.levels_gained, self.awarded_fen)

    @property
    def per_100k_paid(self) -> Fraction | None:
        """Return levels gained per 100,000 CNY paid (``None`` when nothing was paid)."""
        return per_100k(self.levels_gained, self.paid_fen)


def per_100k(levels: int, fen: int) -> Fraction | None:
    """Return ``levels`` per 100,000 CNY of ``fen`` (``None`` for no money)."""
    return Fraction(levels * PER_FEN, fen) if fen > 0 else None


def distribution(pilots: Iterable[Pilot]) -> Distribution:
    """Return the level distribution before and after over the measured pilots."""
    before = dict.fromkeys(LEVELS, 0)
    after = dict.fromkeys(LEVELS, 0)
    measured = improved = 0
    for p in pilots:
        if p.before is None or p.after is None:
            continue
        measured += 1
        before[p.before] = before.get(p.before, 0) + 1
        after[p.after] = after.get(p.after, 0) + 1
        improved += p.after - p.before >= 1
    return Distribution(before, after, measured, improved)


def _mean(values: Sequence[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _group(batch: str, sector: str, pilots: Sequence[Pilot]) -> LevelGroup:
    measured = [p for p in pilots if p.measured]
    gains = [p.gained or 0 for p in measured]
    return LevelGroup(
        batch=batch,
        sector=sector,
        pilots=len(pilots),
        measured=len(measured),
        improved=sum(1 for g in gains if g >= 1),
        levels_gained=sum(gains),
        mean_before=_mean([p.before or 0 for p in measured]),
        mean_after=_mean([p.after or 0 for p in measured]),
    )


def level_groups(pilots: Sequence[Pilot]) -> list[LevelGroup]:
    """Return a group per batch and sector, each batch's subtotal, then the grand total."""
    groups: list[LevelGroup] = []
    for batch in sorted({p.batch for p in pilots}):
        in_batch = [p for p in pilots if p.batch == batch]
        for sector in sorted({p.sector for p in in_batch}):
            groups.append(_group(batch, sector, [p for p in in_batch if p.sector == sector]))
        groups.append(_group(batch, "", in_batch))
    for sector in sorted({p.sector for p in pilots}):
        groups.append(_group("", sector, [p for p in pilots if p.sector == sector]))
    groups.append(_group("", "", list(pilots)))
    return groups


def _effect(key: tuple[str, str], pilots: Sequence[Pilot]) -> Effect:
    measured = [p for p in pilots if p.measured]
    return Effect(
        key=key,
        projects=len(pilots),
        measured=len(measured),
        levels_gained=sum(p.gained or 0 for p in measured),
        awarded_fen=sum(p.awarded_fen for p in measured),
        paid_fen=sum(p.paid_fen for p in measured),
        unmeasured_awarded_fen=sum(p.awarded_fen for p in pilots if not p.measured),
    )


def _grouped(
    pilots: Sequence[Pilot], keys_of: Callable[[Pilot], Iterable[K]]
) -> dict[K, list[Pilot]]:
    found: dict[K, list[Pilot]] = {}
    for p in pilots:
        for key in keys_of(p):
            found.setdefault(key, []).append(p)
    return found


def by_contractor(pilots: Sequence[Pilot]) -> list[Effect]:
    """Return the effect per contractor ("" for projects that name none)."""
    found = _grouped(pilots, lambda p: [p.contractor_org_id or 0])
    return [_effect(("contractor", str(key or "")), found[key]) for key in sorted(found)]


def by_scenario(pilots: Sequence[Pilot]) -> list[Effect]:
    """Return the effect per scenario; a project counts in full under each of its scenarios.

    Rows therefore do not add up to the programme's total when projects have several
    scenarios; projects with none are grouped under ``("", "")``.
    """
    found = _grouped(pilots, lambda p: p.scenarios or (("", ""),))
    ordered = sorted(found, key=lambda key: (key == ("", ""), key))
    return [_effect(key, found[key]) for key in ordered]


def total_effect(pilots: Sequence[Pilot]) -> Effect:
    """Return the effect over every pilot."""
    return _effect(("", ""), pilots)
