"""Contractor ranking and the choice of one general contractor per sector (四(二)2).

A bid's score is the evaluator groups' mean weighted sheets, weighted by the groups' shares of
the active plan; ties are broken by ``sector_experience``, the earlier bid, the lower id. Bids
of one sector that share an organisation (联合体 rules) block the choice until resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme import engine
from loom.modules.programme.models import ContractorApplication, ContractorScore
from loom.modules.programme.service.contractor_selection import (
    LIVE,
    RANKED,
    audit,
    bid_of,
    owned,
    sheets_of,
    snapshot,
    status_is,
)
from loom.modules.programme.service.plans import active_plan
from loom.modules.programme.service.selection_sheets import (
    MAX_NOTE,
    bureau_only,
    serialise,
    text_of,
)


@dataclass(frozen=True)
class BidScore:
    """A bid's score under the active plan, or why it has none."""

    score: engine.ContractorScore | None
    sheets: dict[str, int]  # sheets per evaluator group
    missing: tuple[str, ...] = ()  # weighted groups without a sheet yet
    stale: bool = False  # sheets exist but do not fit the active plan


def score_of(plan: engine.Plan, rows: Sequence[ContractorScore]) -> BidScore:
    """Score a bid's sheets with the plan's criterion and group weights."""
    sheets: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for row in rows:
        sheets[row.evaluator_group][row.evaluator] = dict(row.scores)
    counts = {group: len(by) for group, by in sheets.items()}
    missing = tuple(g.id for g in plan.evaluator_groups if g.weight > 0 and g.id not in sheets)
    if missing:
        return BidScore(None, counts, missing)
    try:
        score = engine.score_contractor_application(
            sheets,
            plan.criterion_weights(),
            plan.group_weights(),
            max_score=plan.criterion_max_scores(),
        )
    except engine.InvalidScores:
        return BidScore(None, counts, stale=True)
    return BidScore(score, counts)


@dataclass(frozen=True)
class BidRow:
    """One bid in its sector's ranking; ``ranked`` is None while it has no score."""

    application: ContractorApplication
    scored: BidScore
    ranked: engine.RankedContractor | None


@dataclass
class SectorBids:
    """A sector's bids best first, their consortium conflicts and the chosen one."""

    sector: str
    rows: list[BidRow] = field(default_factory=list)
    conflicts: list[engine.Problem] = field(default_factory=list)
    chosen: int | None = None
    best: int | None = None  # the live bid the engine would choose, when no conflict blocks it


def _candidates(
    apps: Sequence[ContractorApplication], scored: dict[int, BidScore]
) -> list[engine.ContractorCandidate]:
    return [
        engine.ContractorCandidate(bid_of(a), a.applied_at, score)
        for a in apps
        if (score := scored[a.id].score) is not None
    ]


def ranking(
    session: Session, scope: Scope, plan: engine.Plan, sector: str = ""
) -> dict[str, SectorBids]:
    """Return each sector's bids best first (unscored last), conflicts and choices."""
    bureau_only(scope)
    stmt = select(ContractorApplication).where(
        ContractorApplication.org_id == scope.org_id, ContractorApplication.status.in_(RANKED)
    )
    if sector:
        stmt = stmt.where(ContractorApplication.sector == sector)
    apps = list(session.scalars(stmt))
    sheets = sheets_of(session, [a.id for a in apps])
    scored = {a.id: score_of(plan, sheets[a.id]) for a in apps}
    ranked = {r.id: r for r in engine.rank_contractors(_candidates(apps, scored))}
    last = len(apps) + 1
    result = {s.id: SectorBids(s.id) for s in plan.sectors if not sector or s.id == sector}
    for app in sorted(
        apps, key=lambda a: (ranked[a.id].position if a.id in ranked else last, a.id)
    ):
        bids = result.setdefault(app.sector, SectorBids(app.sector))
        bids.rows.append(BidRow(app, scored[app.id], ranked.get(app.id)))
        if app.status == "chosen":
            bids.chosen = app.id
    for bids in result.values():
        live = [row.application for row in bids.rows if row.application.status in LIVE]
        bids.conflicts = engine.check_consortia(bid_of(a) for a in live)
        if not bids.conflicts:
            choice = engine.choose_general_contractor(
                engine.rank_contractors(_candidates(live, scored)), bids.sector
            )
            bids.best = choice.chosen.id if choice.chosen else None
    return result


def choose(
    session: Session, scope: Scope, application_id: int, note: str = ""
) -> ContractorApplication:
    """Choose a sector's general contractor; the one chosen before is un-chosen (audited).

    Refused while bids of the sector share an organisation, while the bid is not fully scored,
    and without a note when the bid is not the best-ranked one.
    """
    app = owned(session, scope, application_id)
    status_is(app, ("submitted", "not_chosen"), "choose")
    clean = text_of(note, "note", MAX_NOTE)
    plan = active_plan(session, app.org_id)
    serialise(session, app.org_id)
    live = list(
        session.scalars(
            select(ContractorApplication).where(
                ContractorApplication.org_id == app.org_id,
                ContractorApplication.sector == app.sector,
                ContractorApplication.status.in_(LIVE),
                ContractorApplication.id != app.id,
            )
        )
    )
    competing = [*live, app]
    conflicts = engine.check_consortia(bid_of(a) for a in competing)
    if conflicts:
        raise engine.ConsortiumConflict(conflicts)
    sheets = sheets_of(session, [a.id for a in competing])
    scored = {a.id: score_of(plan, sheets[a.id]) for a in competing}
    mine = scored[app.id]
    if mine.score is None:
        raise ValidationFailed(
            "application: not fully scored under the active plan (groups without a sheet: "
            "%(groups)s)",
            field="application",
            params={"groups": ", ".join(mine.missing) or "-"},
        )
    choice = engine.choose_general_contractor(
        engine.rank_contractors(_candidates(competing, scored)), app.sector
    )
    decision = next(d for d in choice.decisions if d.ranked.id == app.id)
    if not decision.chosen and not clean:
        raise ValidationFailed(
            "note: the application ranks %(position)s in its sector; "
            "give the reason it is chosen over the first",
            field="note",
            params={"position": decision.ranked.sector_position},
        )
    for previous in (a for a in live if a.status == "chosen"):
        before = snapshot(previous)
        previous.status = "submitted"
        previous.decision_note = ""
        previous.decided_at = None
        session.flush()
        after = {**snapshot(previous), "replaced_by": app.id}
        audit(session, scope, "unchosen", previous, before=before, after=after)
    before = snapshot(app)
    app.status = "chosen"
    app.decision_note = clean
    app.decided_at = utcnow()
    session.flush()
    audit(session, scope, "chosen", app, before=before, after=snapshot(app))
    return app
