"""General-contractor selection (四(二)2, 四(三)6): weighted scores, consortia, one per sector.

Evaluator groups (experts, associations, pilot enterprises) each score the four criteria. A
group's score is the mean of its evaluators' weighted sheets; the application's score is the
group scores weighted by the group weights (adding up to 1). Ties are broken by, in order: the
higher ``sector_experience`` (行业改造经验), the earlier application, the lower id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from loom.modules.programme.engine.errors import (
    ConsortiumConflict,
    InvalidInput,
    InvalidScores,
    PathProblem,
    Problem,
)
from loom.modules.programme.engine.messages import problem
from loom.modules.programme.engine.numbers import Number, exact, plain, rounded
from loom.modules.programme.engine.selection import unique_ids
from loom.modules.programme.engine.sheets import (
    PERCENT,
    mean,
    order,
    read_scales,
    read_sheet,
    read_weights,
    weighted,
)

#: the criterion whose group-weighted mean breaks ties between equal totals
TIE_BREAK_CRITERION = "sector_experience"


@dataclass(frozen=True, slots=True)
class ContractorScore:
    """An application's score, 0..100, with the score of each group and criterion."""

    total: Fraction
    by_group: Mapping[str, Fraction]  # mean weighted sheet of each group that scored
    by_criterion: Mapping[str, Fraction]  # raw score of each criterion, groups weighted
    evaluators: Mapping[str, int]  # sheets per group

    @property
    def display(self) -> Decimal:
        """Return the total rounded half up to two decimals, for showing only."""
        return rounded(self.total)

    def criterion(self, criterion_id: str) -> Fraction:
        """Return the group-weighted mean raw score of one criterion (0 if not scored)."""
        return self.by_criterion.get(criterion_id, Fraction(0))


def score_contractor_application(
    sheets: Mapping[str, Mapping[str, Mapping[str, object]]],
    criterion_weights: Mapping[str, object],
    group_weights: Mapping[str, object],
    *,
    max_score: int | Mapping[str, int] = 100,
) -> ContractorScore:
    """Score one application from sheets given as group -> evaluator -> criterion -> score.

    Every group with a positive weight needs at least one sheet; raise ``InvalidScores``
    naming every bad value otherwise.
    """
    found: list[PathProblem] = []
    weights = read_weights(criterion_weights, PERCENT, "criterion_weights", found)
    groups = read_weights(group_weights, Fraction(1), "group_weights", found)
    scales = read_scales(max_score, criterion_weights, "max_score", found)
    read: dict[str, list[dict[str, Fraction]]] = {}
    for group, by_evaluator in sheets.items():
        if group not in group_weights:
            found.append(
                PathProblem(f"sheets.{group}", f"unknown group; expected {sorted(group_weights)}")
            )
            continue
        read[group] = [
            read_sheet(sheet, scales, f"sheets.{group}.{evaluator}", found)
            for evaluator, sheet in by_evaluator.items()
        ]
    for group, weight in groups.items():
        if weight > 0 and not read.get(group):
            found.append(
                PathProblem(f"sheets.{group}", f"no sheets from a group weighing {plain(weight)}")
            )
    if found:
        raise InvalidScores(found)
    scored = {group: rows for group, rows in read.items() if rows}
    by_group = {
        group: mean([weighted(row, weights, scales) for row in rows])
        for group, rows in scored.items()
    }
    by_criterion = {
        key: sum(
            (groups[g] * mean([row[key] for row in rows]) for g, rows in scored.items()),
            start=Fraction(0),
        )
        for key in weights
    }
    return ContractorScore(
        total=sum((groups[g] * score for g, score in by_group.items()), start=Fraction(0)),
        by_group=MappingProxyType(by_group),
        by_criterion=MappingProxyType(by_criterion),
        evaluators=MappingProxyType({group: len(rows) for group, rows in scored.items()}),
    )


@dataclass(frozen=True, slots=True)
class Bid:
    """An application to be a sector's general contractor: alone, or a consortium (联合体)."""

    id: int
    sector: str
    lead_org_id: int
    member_org_ids: frozenset[int] = frozenset()

    @property
    def org_ids(self) -> frozenset[int]:
        """Return the lead and every member."""
        return self.member_org_ids | {self.lead_org_id}


def check_consortia(bids: Iterable[Bid]) -> list[Problem]:
    """Return every conflict among bids; an empty list means they may compete.

    Within one sector an organisation may take part, as lead or member, in one bid only:
    two bids sharing it would compete against themselves. Leading two is reported as such.
    """
    bids = list(bids)
    found: list[Problem] = []
    seen: set[int] = set()
    leading: dict[tuple[str, int], list[int]] = defaultdict(list)
    taking_part: dict[tuple[str, int], list[int]] = defaultdict(list)
    for bid in bids:
        if bid.id in seen:
            found.append(problem("duplicate_bid", bid=bid.id))
            continue
        seen.add(bid.id)
        if bid.lead_org_id in bid.member_org_ids:
            found.append(problem("lead_is_member", bid=bid.id, org=bid.lead_org_id))
        leading[bid.sector, bid.lead_org_id].append(bid.id)
        for org in bid.org_ids:
            taking_part[bid.sector, org].append(bid.id)
    for (sector, org), ids in sorted(taking_part.items()):
        listed = ", ".join(str(i) for i in sorted(ids))
        if len(leading.get((sector, org), ())) > 1:
            listed_led = ", ".join(str(i) for i in sorted(leading[sector, org]))
            found.append(problem("leads_two_bids", org=org, sector=sector, bids=listed_led))
        elif len(ids) > 1:
            found.append(problem("in_two_bids", org=org, sector=sector, bids=listed))
    return found


@dataclass(frozen=True, slots=True)
class ContractorCandidate:
    """A scored bid."""

    bid: Bid
    applied_at: datetime
    score: ContractorScore

    @property
    def id(self) -> int:
        """Return the bid's id."""
        return self.bid.id

    @property
    def sector(self) -> str:
        """Return the bid's sector."""
        return self.bid.sector


@dataclass(frozen=True, slots=True)
class RankedContractor:
    """A bid's place: overall and within its sector, and what ranked it below the last."""

    position: int
    sector_position: int
    candidate: ContractorCandidate
    decided_by: str | None  # score | sector_experience | applied_at | id; None for the first

    @property
    def id(self) -> int:
        """Return the bid's id."""
        return self.candidate.id

    @property
    def sector(self) -> str:
        """Return the bid's sector."""
        return self.candidate.sector


def rank_contractors(candidates: Iterable[ContractorCandidate]) -> list[RankedContractor]:
    """Rank bids best first by exact score, breaking ties as the module says."""
    candidates = list(candidates)
    unique_ids([c.id for c in candidates], "candidates")
    keys = (
        ("score", lambda c: -c.score.total),
        (TIE_BREAK_CRITERION, lambda c: -c.score.criterion(TIE_BREAK_CRITERION)),
        ("applied_at", lambda c: c.applied_at),
        ("id", lambda c: c.id),
    )
    return [
        RankedContractor(position, in_sector, candidate, decided_by)
        for position, in_sector, candidate, decided_by in order(
            candidates, lambda c: c.sector, keys
        )
    ]


@dataclass(frozen=True, slots=True)
class ContractorDecision:
    """Whether a ranked bid becomes the general contractor and, if not, every reason."""

    ranked: RankedContractor
    chosen: bool
    reasons: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class ContractorChoice:
    """The decision on every bid of one sector, best first."""

    sector: str
    decisions: tuple[ContractorDecision, ...]

    @property
    def chosen(self) -> RankedContractor | None:
        """Return the sector's general contractor, or ``None`` if no bid qualifies."""
        return next((d.ranked for d in self.decisions if d.chosen), None)


def choose_general_contractor(
    ranked: Iterable[RankedContractor], sector: str, *, min_score: Number | None = None
) -> ContractorChoice:
    """Choose one general contractor for ``sector``: its best bid scoring at least ``min_score``.

    Raise ``ConsortiumConflict`` when the sector's bids share organisations.
    """
    low = None if min_score is None else exact(min_score)
    if min_score is not None and low is None:
        raise InvalidInput([PathProblem("min_score", f"expected a number, got {min_score!r}")])
    mine = sorted((r for r in ranked if r.sector == sector), key=lambda r: r.position)
    conflicts = check_consortia(r.candidate.bid for r in mine)
    if conflicts:
        raise ConsortiumConflict(conflicts)
    decisions = []
    chosen = False
    for item in mine:
        reasons = []
        total = item.candidate.score.total
        if low is not None and total < low:
            reasons.append(
                problem("below_min_score", score=str(rounded(total)), min_score=plain(low))
            )
        if chosen:
            reasons.append(problem("not_first", position=item.sector_position))
        decisions.append(ContractorDecision(item, not reasons, tuple(reasons)))
        chosen = chosen or not reasons
    return ContractorChoice(sector, tuple(decisions))
