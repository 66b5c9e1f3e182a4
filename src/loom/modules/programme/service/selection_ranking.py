"""Pilot ranking and batch places: the engine's weighted scores, order and quotas on the data.

The ranking orders each sector's applications by their exact score (ties: the ``digital_base``
mean, the earlier application, the lower id); a batch's places for a sector are its quota less
the applications already selected into that batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme import engine
from loom.modules.programme.models import Enterprise, PilotApplication, PilotScore
from loom.modules.programme.service.plans import active_plan
from loom.modules.programme.service.selection import (
    RANKED,
    decide,
    enterprises_of,
    sheets_of,
)
from loom.modules.programme.service.selection_sheets import (
    MAX_NOTE,
    bureau_only,
    detail,
    refuse,
    serialise,
    text_of,
)


@dataclass(frozen=True)
class Scored:
    """An application's score under the active plan, or why it has none."""

    score: engine.PilotScore | None
    sheets: int
    stale: bool = False  # sheets exist but do not fit the active plan's principles


def score_of(plan: engine.Plan, rows: Sequence[PilotScore]) -> Scored:
    """Score the sheets with the plan's weights (mean over experts of weighted sheets)."""
    if not rows:
        return Scored(None, 0)
    try:
        score = engine.score_pilot_application(
            {row.expert: dict(row.scores) for row in rows},
            plan.pilot_weights(),
            max_score=plan.pilot_max_scores(),
        )
    except engine.InvalidScores:
        return Scored(None, len(rows), stale=True)
    return Scored(score, len(rows))


@dataclass(frozen=True)
class RankRow:
    """One application in its sector's ranking; ``ranked`` is None while it has no score."""

    application: PilotApplication
    enterprise: Enterprise
    scored: Scored
    ranked: engine.RankedPilot | None


def ranking(
    session: Session, scope: Scope, plan: engine.Plan, sector: str = ""
) -> dict[str, list[RankRow]]:
    """Return each sector's applications best first by the engine's order, unscored last."""
    bureau_only(scope)
    stmt = select(PilotApplication).where(
        PilotApplication.org_id == scope.org_id, PilotApplication.status.in_(RANKED)
    )
    if sector:
        stmt = stmt.where(PilotApplication.sector == sector)
    apps = list(session.scalars(stmt))
    sheets = sheets_of(session, [a.id for a in apps])
    entries = enterprises_of(session, apps)
    scored = {a.id: score_of(plan, sheets[a.id]) for a in apps}
    candidates = [
        engine.PilotCandidate(a.id, a.sector, a.applied_at, score)
        for a in apps
        if (score := scored[a.id].score) is not None
    ]
    ranked = {r.id: r for r in engine.rank(candidates)}
    last = len(apps) + 1
    order = sorted(apps, key=lambda a: (ranked[a.id].position if a.id in ranked else last, a.id))
    sectors = [s.id for s in plan.sectors if not sector or s.id == sector]
    result: dict[str, list[RankRow]] = {key: [] for key in sectors}
    for app in order:
        row = RankRow(app, entries[app.enterprise_id], scored[app.id], ranked.get(app.id))
        result.setdefault(app.sector, []).append(row)
    return result


def selected_counts(session: Session, bureau_org_id: int) -> Counter[tuple[str, str]]:
    """Return how many applications are selected per (batch, sector)."""
    stmt = (
        select(PilotApplication.batch, PilotApplication.sector, func.count())
        .where(PilotApplication.org_id == bureau_org_id, PilotApplication.status == "selected")
        .group_by(PilotApplication.batch, PilotApplication.sector)
    )
    return Counter({(b or "", s): n for b, s, n in session.execute(stmt)})


@dataclass(frozen=True)
class Places:
    """A batch's places for one sector: the plan's quota and the applications selected."""

    batch: engine.Batch
    sector: str
    quota: int
    selected: int

    @property
    def remaining(self) -> int:
        """Return the places left (never below zero)."""
        return max(self.quota - self.selected, 0)


def places(session: Session, bureau_org_id: int, plan: engine.Plan) -> list[Places]:
    """Return the places of every batch and sector of the plan."""
    taken = selected_counts(session, bureau_org_id)
    return [
        Places(batch, s.id, batch.quota(s.id), taken[batch.id, s.id])
        for batch in plan.batches
        for s in plan.sectors
    ]


QUOTA_FULL = (
    "batch: %(batch)s has %(quota)s places for %(sector)s and %(taken)s are selected; "
    "selecting %(asked)s more would exceed the quota"
)
NO_QUOTA = "batch: %(batch)s has no places for %(sector)s"


class QuotaExceeded(Conflict):
    """A selection beyond a batch's places; ``refusals`` holds each sector's template and params."""

    def __init__(self, refusals: list[tuple[str, dict[str, object]]]) -> None:
        self.refusals = refusals
        details = [{"field": "batch", "message": t % p} for t, p in refusals]
        super().__init__(refusals[0][0], field="batch", details=details, params=refusals[0][1])


def _quota_refusal(batch: engine.Batch, sector: str, taken: int, asked: int) -> dict[str, object]:
    quota = batch.quota(sector)
    return {"batch": batch.id, "sector": sector, "quota": quota, "taken": taken, "asked": asked}


def select_into_batch(
    session: Session,
    scope: Scope,
    batch_id: str,
    application_ids: Sequence[int],
    note: str = "",
) -> list[PilotApplication]:
    """Select submitted, scored applications into a batch, all or none, within its places.

    The places of a sector are the batch's quota less the applications already selected into
    that batch; choosing more is refused (409) naming the quota. The plan's minimum score, if
    it sets one, applies too.
    """
    bureau_only(scope)
    clean_note = text_of(note, "note", MAX_NOTE)
    plan = active_plan(session, scope.org_id)
    found: list[dict[str, str]] = []
    batch = next((b for b in plan.batches if b.id == batch_id), None)
    if batch is None:
        found.append(detail("batch", f"the plan has no batch {batch_id!r}"))
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        found.append(detail("application_ids", "choose at least one application"))
    serialise(session, scope.org_id)
    apps = list(
        session.scalars(
            select(PilotApplication).where(
                PilotApplication.org_id == scope.org_id, PilotApplication.id.in_(ids)
            )
        )
    )
    by_id = {a.id: a for a in apps}
    sheets = sheets_of(session, by_id)
    candidates = []
    for app_id in ids:
        app = by_id.get(app_id)
        field = f"application_ids.{app_id}"
        if app is None:
            found.append(detail(field, "no such application"))
            continue
        scored = score_of(plan, sheets[app.id])
        if app.status != "submitted":
            found.append(detail(field, f"is {app.status}; only a submitted one can be selected"))
        elif scored.score is None:
            found.append(detail(field, "has no score under the active plan yet"))
        else:
            candidates.append(
                engine.PilotCandidate(app.id, app.sector, app.applied_at, scored.score)
            )
    refuse(found)
    assert batch is not None  # refused above otherwise
    taken = selected_counts(session, scope.org_id)
    already = {s.id: taken[batch.id, s.id] for s in plan.sectors}
    outcome = engine.select_into_batch(
        engine.rank(candidates),
        batch.quotas,
        already,
        min_score=plan.pilot_min_score,
        sector_names=plan.sector_names(),
    )
    _refuse_left_out(outcome, batch, already)
    chosen = [by_id[i] for i in outcome.selected_ids()]
    for app in chosen:
        decide(session, scope, app, "selected", "selected", note=clean_note, batch=batch.id)
    return chosen


def _refuse_left_out(
    outcome: engine.Selection, batch: engine.Batch, already: dict[str, int]
) -> None:
    low = [
        detail(f"application_ids.{d.ranked.id}", reason.message)
        for d in outcome.not_selected
        for reason in d.reasons
        if reason.code == "below_min_score"
    ]
    refuse(low)
    asked = Counter(d.ranked.sector for d in outcome.decisions)
    full = sorted({d.ranked.sector for d in outcome.not_selected})
    if not full:
        return
    refusals = [
        (
            QUOTA_FULL if batch.quota(s) > 0 else NO_QUOTA,
            _quota_refusal(batch, s, already[s], asked[s]),
        )
        for s in full
    ]
    raise QuotaExceeded(refusals)
