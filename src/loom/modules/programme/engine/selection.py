"""Pilot selection (四(一)1): score expert sheets, rank the applications, fill a batch's quotas.

Ranking is on the exact score. Ties are broken by, in order: the higher mean score on
``digital_base`` (具备数字化改造基础: the plan wants pilots that can reach level 2), the earlier
application, the lower application id; so the order never depends on input order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from loom.modules.programme.engine.errors import InvalidInput, InvalidScores, PathProblem, Problem
from loom.modules.programme.engine.messages import problem
from loom.modules.programme.engine.numbers import Number, exact, plain, rounded
from loom.modules.programme.engine.sheets import (
    PERCENT,
    mean,
    order,
    read_scales,
    read_sheet,
    read_weights,
    weighted,
)

#: the principle whose mean score breaks ties between equal totals
TIE_BREAK_PRINCIPLE = "digital_base"


@dataclass(frozen=True, slots=True)
class PilotScore:
    """An application's score: the mean over experts of their weighted sheets, 0..100."""

    total: Fraction
    by_expert: Mapping[str, Fraction]
    by_principle: Mapping[str, Fraction]  # the mean raw score each principle received

    @property
    def display(self) -> Decimal:
        """Return the total rounded half up to two decimals, for showing only."""
        return rounded(self.total)

    @property
    def experts(self) -> int:
        """Return how many experts scored the application."""
        return len(self.by_expert)

    def principle(self, principle_id: str) -> Fraction:
        """Return the mean raw score of one principle (0 if it was not scored)."""
        return self.by_principle.get(principle_id, Fraction(0))


def score_pilot_application(
    sheets: Mapping[str, Mapping[str, object]],
    weights: Mapping[str, object],
    *,
    max_score: int | Mapping[str, int] = 100,
) -> PilotScore:
    """Score one application from its expert sheets (expert -> principle -> score).

    Each expert's sheet counts ``sum(weight x score / max_score)`` with weights adding up to 100;
    the application's score is the mean of those. Raise ``InvalidScores`` naming every bad value.
    """
    found: list[PathProblem] = []
    exact_weights = read_weights(weights, PERCENT, "weights", found)
    scales = read_scales(max_score, weights, "max_score", found)
    if not sheets:
        found.append(PathProblem("sheets", "no expert has scored this application"))
    read = {
        expert: read_sheet(sheet, scales, f"sheets.{expert}", found)
        for expert, sheet in sheets.items()
    }
    if found:
        raise InvalidScores(found)
    return PilotScore(
        total=mean([weighted(scores, exact_weights, scales) for scores in read.values()]),
        by_expert=MappingProxyType(
            {expert: weighted(scores, exact_weights, scales) for expert, scores in read.items()}
        ),
        by_principle=MappingProxyType(
            {key: mean([scores[key] for scores in read.values()]) for key in exact_weights}
        ),
    )


@dataclass(frozen=True, slots=True)
class PilotCandidate:
    """A scored pilot application."""

    id: int
    sector: str
    applied_at: datetime
    score: PilotScore


@dataclass(frozen=True, slots=True)
class RankedPilot:
    """A candidate's place: overall and within its sector, and what ranked it below the last."""

    position: int
    sector_position: int
    candidate: PilotCandidate
    decided_by: str | None  # score | digital_base | applied_at | id; None for a sector's first

    @property
    def id(self) -> int:
        """Return the application id."""
        return self.candidate.id

    @property
    def sector(self) -> str:
        """Return the application's sector."""
        return self.candidate.sector


def unique_ids(ids: Iterable[int], what: str) -> None:
    """Raise ``InvalidInput`` if an id appears more than once (ranking needs unique ids)."""
    twice = sorted(i for i, n in Counter(ids).items() if n > 1)
    if twice:
        raise InvalidInput([PathProblem(what, f"ids used more than once: {twice}")])


def rank(candidates: Iterable[PilotCandidate]) -> list[RankedPilot]:
    """Rank applications best first by exact score, breaking ties as the module says."""
    candidates = list(candidates)
    unique_ids([c.id for c in candidates], "candidates")
    keys = (
        ("score", lambda c: -c.score.total),
        (TIE_BREAK_PRINCIPLE, lambda c: -c.score.principle(TIE_BREAK_PRINCIPLE)),
        ("applied_at", lambda c: c.applied_at),
        ("id", lambda c: c.id),
    )
    return [
        RankedPilot(position, in_sector, candidate, decided_by)
        for position, in_sector, candidate, decided_by in order(
            candidates, lambda c: c.sector, keys
        )
    ]


@dataclass(frozen=True, slots=True)
class PilotDecision:
    """Whether a ranked application enters the batch and, if not, every reason."""

    ranked: RankedPilot
    selected: bool
    reasons: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """The decisions in rank order and the places left per sector afterwards."""

    decisions: tuple[PilotDecision, ...]
    remaining: Mapping[str, int]

    @property
    def selected(self) -> tuple[PilotDecision, ...]:
        """Return the decisions that select an application."""
        return tuple(d for d in self.decisions if d.selected)

    @property
    def not_selected(self) -> tuple[PilotDecision, ...]:
        """Return the decisions that leave an application out."""
        return tuple(d for d in self.decisions if not d.selected)

    def selected_ids(self) -> list[int]:
        """Return the ids of the selected applications, best first."""
        return [d.ranked.id for d in self.selected]


def select_into_batch(
    ranked: Iterable[RankedPilot],
    quotas_by_sector: Mapping[str, int],
    already_selected_by_sector: Mapping[str, int],
    *,
    min_score: Number | None = None,
    sector_names: Mapping[str, str] | None = None,
) -> Selection:
    """Select the best applications of each sector into the places the batch has left.

    A sector's places are its quota less the pilots already selected for the batch. An
    application is left out when its sector has no places in the batch (``no_quota``), when
    better ones took them (``quota_full``) or when it scored below ``min_score``.
    """
    low = None if min_score is None else exact(min_score)
    if min_score is not None and low is None:
        raise InvalidInput([PathProblem("min_score", f"expected a number, got {min_score!r}")])
    names = sector_names or {}
    remaining = {
        sector: max(quota - already_selected_by_sector.get(sector, 0), 0)
        for sector, quota in quotas_by_sector.items()
    }
    decisions = []
    for item in sorted(ranked, key=lambda r: r.position):
        sector, total = item.sector, item.candidate.score.total
        named = {"sector": sector, "sector_zh": names.get(sector, sector)}
        reasons = []
        if low is not None and total < low:
            reasons.append(
                problem("below_min_score", score=str(rounded(total)), min_score=plain(low))
            )
        quota = quotas_by_sector.get(sector, 0)
        if quota <= 0:
            reasons.append(problem("no_quota", **named))
        elif remaining[sector] == 0:
            reasons.append(problem("quota_full", quota=quota, **named))
        if not reasons:
            remaining[sector] -= 1
        decisions.append(PilotDecision(item, not reasons, tuple(reasons)))
    return Selection(tuple(decisions), MappingProxyType(remaining))
