"""JSON API of the programme console: general-contractor selection."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.programme import engine
from loom.modules.programme.models import ContractorApplication
from loom.modules.programme.schemas.selection import (
    BidRankOut,
    BidScoreOut,
    ChooseIn,
    ContractorApplicationIn,
    ContractorApplicationOut,
    ContractorDetailOut,
    ContractorRankingOut,
    EvaluatorSheetIn,
    EvaluatorSheetOut,
    OrganisationOut,
    ProblemOut,
    ReasonIn,
    SectorBidsOut,
    WeightOut,
    shown,
    weight_text,
)
from loom.modules.programme.service import contractor_ranking as ranks
from loom.modules.programme.service import contractor_selection as svc
from loom.modules.programme.service.plans import active_plan

router = APIRouter()
DB = Depends(get_db, scope="function")
READ = "programme.contractor.read"
APPLY = "programme.contractor.apply"
MANAGE = "programme.contractor.manage"
ITEM = "/contractor-applications/{application_id:int}"


def contractor_filters(
    q: str = Query("", max_length=100),
    sector: str = Query("", max_length=30),
    status: str = Query("", max_length=20),
) -> svc.Filters:
    """Return the list filters of a request (shared by the API and the pages)."""
    return svc.Filters(q=q, sector=sector, status=status)


def weights_of(plan: engine.Plan) -> tuple[list[WeightOut], list[WeightOut]]:
    """Return the plan's contractor criteria and evaluator groups with their weights."""
    criteria = [
        WeightOut(
            id=c.id,
            title=c.title,
            weight=weight_text(c.weight),
            origin=c.weight_origin,
            max_score=c.max_score,
        )
        for c in plan.contractor_criteria
    ]
    groups = [
        WeightOut(id=g.id, title=g.title, weight=weight_text(g.weight), origin=g.weight_origin)
        for g in plan.evaluator_groups
    ]
    return criteria, groups


def score_out(score: engine.ContractorScore | None) -> BidScoreOut | None:
    """Return a bid's score for the API (None while it has none)."""
    if score is None:
        return None
    return BidScoreOut(
        score=shown(score.total),
        exact=str(score.total),
        by_group={k: shown(v) for k, v in score.by_group.items()},
        by_criterion={k: shown(v) for k, v in score.by_criterion.items()},
    )


def detail(db: Session, scope: Scope, app: ContractorApplication) -> ContractorDetailOut:
    """Return a bid with the sheets and score the caller may read."""
    owner = app.org_id == scope.org_id
    plan = active_plan(db, app.org_id)
    # a contractor reads its bid but no sheet: the sheets are the bureau's rows
    rows = svc.sheets_of(db, [app.id])[app.id]
    scored = ranks.score_of(plan, rows)
    criteria, groups = weights_of(plan)
    sheets = [
        EvaluatorSheetOut(
            id=row.id,
            group=row.evaluator_group,
            evaluator=row.evaluator,
            scores=dict(row.scores),
            entered_by=row.entered_by,
            entered_at=row.entered_at,
        )
        for row in rows
    ]
    return ContractorDetailOut(
        application=ContractorApplicationOut.model_validate(app),
        sheets=sheets,
        score=score_out(scored.score),
        # a contractor sees no sheet, so "missing" would only mislead it
        missing_groups=list(scored.missing) if owner else [],
        stale=scored.stale,
        criteria=criteria,
        groups=groups,
    )


@router.get("/contractor-applications", response_model=PageOut[ContractorApplicationOut])
def list_applications(
    chosen: svc.Filters = Depends(contractor_filters),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List bids, newest first: all of a bureau's, or a contractor's own."""
    page = svc.ContractorRepository(db, scope).listing(chosen, offset=offset, limit=limit)
    return PageOut[ContractorApplicationOut].of(page, ContractorApplicationOut)


@router.get("/contractor-applications/bureaus", response_model=list[OrganisationOut])
def bureaus(scope: Scope = require(APPLY), db: Session = DB) -> Any:
    """List the bureaus a contractor may apply to."""
    return svc.organisations(db, OrgKind.BUREAU)


@router.get("/contractor-applications/partners", response_model=list[OrganisationOut])
def partners(scope: Scope = require(APPLY), db: Session = DB) -> Any:
    """List the other contractors a bid may name as consortium members."""
    return svc.organisations(db, OrgKind.CONTRACTOR, but=scope.org_id)


@router.post("/contractor-applications", response_model=ContractorApplicationOut, status_code=201)
def apply(body: ContractorApplicationIn, scope: Scope = require(APPLY), db: Session = DB) -> Any:
    """Apply to a bureau for one sector, alone or leading a consortium."""
    return svc.apply(
        db,
        scope,
        bureau_org_id=body.bureau_org_id,
        sector=body.sector,
        member_org_ids=body.member_org_ids,
        statement=body.statement,
    )


@router.get(ITEM, response_model=ContractorDetailOut)
def read_application(application_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a bid with its sheets and score (the lead reads its bid only)."""
    return detail(db, scope, svc.get(db, scope, application_id))


@router.post(f"{ITEM}/withdraw", response_model=ContractorApplicationOut)
def withdraw(application_id: int, scope: Scope = require(APPLY), db: Session = DB) -> Any:
    """Withdraw one's own submitted bid."""
    return svc.withdraw(db, scope, application_id)


@router.post(f"{ITEM}/sheets", response_model=ContractorDetailOut)
def enter_sheet(
    application_id: int, body: EvaluatorSheetIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Enter an evaluator's sheet (or replace it); 422 names every bad field."""
    svc.enter_sheet(
        db, scope, application_id, group=body.group, evaluator=body.evaluator, scores=body.scores
    )
    return detail(db, scope, svc.owned(db, scope, application_id))


@router.delete(f"{ITEM}/sheets/{{sheet_id:int}}", status_code=204)
def remove_sheet(
    application_id: int, sheet_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Remove one evaluator's sheet."""
    svc.remove_sheet(db, scope, application_id, sheet_id)
    return Response(status_code=204)


@router.post(f"{ITEM}/choose", response_model=ContractorApplicationOut)
def choose(
    application_id: int, body: ChooseIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Choose the sector's general contractor (the previous one is un-chosen)."""
    return ranks.choose(db, scope, application_id, body.note)


@router.post(f"{ITEM}/decline", response_model=ContractorApplicationOut)
def decline(
    application_id: int, body: ReasonIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Decide that a bid is not chosen; the reason is required."""
    return svc.decline(db, scope, application_id, body.reason)


@router.get("/contractor-ranking", response_model=ContractorRankingOut)
def ranking(
    sector: str = Query("", max_length=30), scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Return each sector's bids best first, their conflicts and the chosen one."""
    plan = active_plan(db, scope.org_id)
    sectors = {
        key: SectorBidsOut(
            rows=[
                BidRankOut(
                    application_id=row.application.id,
                    contractor_org_id=row.application.contractor_org_id,
                    member_org_ids=list(row.application.member_org_ids),
                    status=row.application.status,
                    position=row.ranked.position if row.ranked else None,
                    sector_position=row.ranked.sector_position if row.ranked else None,
                    decided_by=row.ranked.decided_by if row.ranked else None,
                    missing_groups=list(row.scored.missing),
                    stale=row.scored.stale,
                    score=score_out(row.scored.score),
                )
                for row in bids.rows
            ],
            conflicts=[ProblemOut(code=p.code, message=p.message) for p in bids.conflicts],
            chosen=bids.chosen,
            best=bids.best,
        )
        for key, bids in ranks.ranking(db, scope, plan, sector).items()
    }
    criteria, groups = weights_of(plan)
    return ContractorRankingOut(criteria=criteria, groups=groups, sectors=sectors)
