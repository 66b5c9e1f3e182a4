"""Scoring factories for a posted order: pure data in, ranked rows with explanations out.

Four factors, 100 points in all (weights in ``WEIGHTS``):

- capacity (40): free operator-minutes for the order's category from today to the due date,
  against the minutes the order needs (quantity × SAM); full points when they cover it,
  proportionally fewer below.
- experience (25): pieces of the category finished in the last 180 days, against the order's
  quantity; full points at one order's worth or more, proportionally fewer below.
- quality (20): DHU (defects per hundred units) against the order's maximum: full points at or
  below it, falling linearly to none at twice the maximum.
- digital level (15): the latest assessed level out of 4, proportionally.

A factor the factory does not share scores 0 and says "not_shared"; a shared factor without
data scores 0 and says "no_data". Ties go to more capacity points, then name, then id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

WEIGHTS = {"capacity": 40.0, "experience": 25.0, "quality": 20.0, "digital_level": 15.0}
FACTORS = tuple(WEIGHTS)
#: the top digital level of the national index
TOP_LEVEL = 4.0

SHARED, NOT_SHARED, NO_DATA = "shared", "not_shared", "no_data"


@dataclass(frozen=True)
class Need:
    """What the posted order asks for."""

    category: str
    quantity: int
    sam_minutes: float
    max_dhu_pct: float

    @property
    def minutes(self) -> float:
        """Return the standard minutes the order needs."""
        return self.quantity * self.sam_minutes


@dataclass(frozen=True)
class Facts:
    """One factory's shared figures; ``None`` when it does not share that factor's category.

    ``dhu_pct`` and ``level`` may also be ``None`` while shared, when there is no data (say so
    with the ``*_shared`` flags).
    """

    org_id: int
    name: str
    free_minutes: float | None
    category_pieces: float | None
    dhu_pct: float | None
    level: float | None
    quality_shared: bool = True
    level_shared: bool = True


@dataclass(frozen=True)
class Factor:
    """One factor of a factory's score: its value, the points it earned, and why."""

    name: str
    value: float | None
    points: float
    weight: float
    state: str


@dataclass(frozen=True)
class Ranked:
    """A factory's place in the ranking with its explanation."""

    org_id: int
    name: str
    score: float
    feasible: bool
    factors: tuple[Factor, ...]

    def factor(self, name: str) -> Factor:
        """Return the factor called ``name``."""
        return next(f for f in self.factors if f.name == name)


def _share(value: float, target: float) -> float:
    """Return value ÷ target capped at 1 (1 when nothing is needed)."""
    if target <= 0:
        return 1.0
    return max(0.0, min(1.0, value / target))


def capacity_factor(need: Need, free: float | None) -> Factor:
    """Score free minutes against the minutes the order needs."""
    weight = WEIGHTS["capacity"]
    if free is None:
        return Factor("capacity", None, 0.0, weight, NOT_SHARED)
    return Factor("capacity", free, weight * _share(free, need.minutes), weight, SHARED)


def experience_factor(need: Need, pieces: float | None) -> Factor:
    """Score pieces of the category made lately against the order's quantity."""
    weight = WEIGHTS["experience"]
    if pieces is None:
        return Factor("experience", None, 0.0, weight, NOT_SHARED)
    return Factor("experience", pieces, weight * _share(pieces, need.quantity), weight, SHARED)


def quality_factor(need: Need, dhu: float | None, shared: bool = True) -> Factor:
    """Score DHU: full at or below the maximum, none at twice it or above, linear between."""
    weight = WEIGHTS["quality"]
    if not shared:
        return Factor("quality", None, 0.0, weight, NOT_SHARED)
    if dhu is None:
        return Factor("quality", None, 0.0, weight, NO_DATA)
    limit = need.max_dhu_pct
    if dhu <= limit:
        share = 1.0
    elif limit <= 0:
        share = 0.0
    else:
        share = max(0.0, (2 * limit - dhu) / limit)
    return Factor("quality", dhu, weight * share, weight, SHARED)


def level_factor(level: float | None, shared: bool = True) -> Factor:
    """Score the digital level out of the top level."""
    weight = WEIGHTS["digital_level"]
    if not shared:
        return Factor("digital_level", None, 0.0, weight, NOT_SHARED)
    if level is None:
        return Factor("digital_level", None, 0.0, weight, NO_DATA)
    return Factor("digital_level", level, weight * _share(level, TOP_LEVEL), weight, SHARED)


def score(need: Need, facts: Facts) -> Ranked:
    """Return one factory's score with every factor explained."""
    factors = (
        capacity_factor(need, facts.free_minutes),
        experience_factor(need, facts.category_pieces),
        quality_factor(need, facts.dhu_pct, facts.quality_shared),
        level_factor(facts.level, facts.level_shared),
    )
    feasible = facts.free_minutes is not None and facts.free_minutes >= need.minutes
    total = round(sum(f.points for f in factors), 2)
    return Ranked(facts.org_id, facts.name, total, feasible, factors)


def rank(need: Need, factories: Iterable[Facts]) -> list[Ranked]:
    """Return the factories best first."""
    scored = [score(need, facts) for facts in factories]
    return sorted(scored, key=lambda r: (-r.score, -r.factor("capacity").points, r.name, r.org_id))


def as_dict(ranked: Ranked, place: int) -> dict[str, Any]:
    """Return a ranked row as stored with the order and sent by the API."""
    return {
        "place": place,
        "org_id": ranked.org_id,
        "name": ranked.name,
        "score": ranked.score,
        "feasible": ranked.feasible,
        "factors": [
            {
                "name": f.name,
                "value": None if f.value is None else round(f.value, 2),
                "points": round(f.points, 2),
                "weight": f.weight,
                "state": f.state,
            }
            for f in ranked.factors
        ],
    }
