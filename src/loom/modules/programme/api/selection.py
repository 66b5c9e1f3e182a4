"""JSON API of the programme console: pilot selection (general contractors are included below)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.programme import engine
from loom.modules.programme.api import selection_contractors
from loom.modules.programme.models import PilotApplication
from loom.modules.programme.schemas.selection import (
    ExpertSheetIn,
    ExpertSheetOut,
    PilotApplicationIn,
    PilotApplicationOut,
    PilotDetailOut,
    PilotRankingOut,
    PilotRankOut,
    PilotScoreOut,
    PlacesOut,
    ReasonIn,
    SelectIn,
    WeightOut,
    shown,
    weight_text,
)
from loom.modules.programme.service import selection as svc
from loom.modules.programme.service import selection_ranking as ranks
from loom.modules.programme.service.plans import active_plan

router = APIRouter()
router.include_router(selection_contractors.router)
DB = Depends(get_db, scope="function")
READ = "programme.pilot.read"
MANAGE = "programme.pilot.manage"
ITEM = "/pilot-applications/{application_id:int}"


def pilot_filters(
    q: str = Query("", max_length=100),
    sector: str = Query("", max_length=30),
    status: str = Query("", max_length=20),
    batch: str = Query("", max_length=30),
) -> svc.Filters:
    """Return the list filters of a request (shared by the API and the pages)."""
    return svc.Filters(q=q, sector=sector, status=status, batch=batch)


def principles_of(plan: engine.Plan) -> list[WeightOut]:
    """Return the plan's pilot principles with their weights."""
    return [
        WeightOut(
            id=p.id,
            title=p.title,
            weight=weight_text(p.weight),
            origin=p.weight_origin,
            max_score=p.max_score,
        )
        for p in plan.pilot_principles
    ]


def score_out(score: engine.PilotScore | None) -> PilotScoreOut | None:
    """Return an application's score for the API (None while it has none)."""
    if score is None:
        return None
    return PilotScoreOut(
        score=shown(score.total),
        exact=str(score.total),
        experts=score.experts,
        by_expert={k: shown(v) for k, v in score.by_expert.items()},
        by_principle={k: shown(v) for k, v in score.by_principle.items()},
    )


def detail(db: Session, app: PilotApplication) -> PilotDetailOut:
    """Return an application with the sheets and score the caller may read."""
    plan = active_plan(db, app.org_id)
    # an enterprise reads its application but no sheet: the sheets are the bureau's rows
    rows = svc.sheets_of(db, [app.id])[app.id]
    scored = ranks.score_of(plan, rows)
    by_expert = scored.score.by_expert if scored.score else {}
    sheets = [
        ExpertSheetOut(
            id=row.id,
            expert=row.expert,
            scores=dict(row.scores),
            weighted=shown(by_expert[row.expert]) if row.expert in by_expert else None,
            entered_by=row.entered_by,
            entered_at=row.entered_at,
        )
        for row in rows
    ]
    return PilotDetailOut(
        application=PilotApplicationOut.model_validate(app),
        enterprise_name=svc.enterprises_of(db, [app])[app.enterprise_id].name,
        sheets=sheets,
        score=score_out(scored.score),
        stale=scored.stale,
        weights=principles_of(plan),
        project_id=svc.has_project(db, app),
    )


@router.get("/pilot-applications", response_model=PageOut[PilotApplicationOut])
def list_applications(
    chosen: svc.Filters = Depends(pilot_filters),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List applications, newest first, searched by enterprise name or credit code."""
    page = svc.PilotRepository(db, scope).listing(chosen, offset=offset, limit=limit)
    return PageOut[PilotApplicationOut].of(page, PilotApplicationOut)


@router.post("/pilot-applications", response_model=PilotApplicationOut, status_code=201)
def create_application(
    body: PilotApplicationIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Record a registry enterprise's application (409 while it has a live one)."""
    return svc.create(db, scope, body.enterprise_id, body.statement)


@router.get(ITEM, response_model=PilotDetailOut)
def read_application(application_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return an application with its sheets and weighted score."""
    return detail(db, svc.get(db, scope, application_id))


@router.post(f"{ITEM}/sheets", response_model=PilotDetailOut)
def enter_sheet(
    application_id: int, body: ExpertSheetIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Enter an expert's sheet (or replace that expert's); 422 names every bad score."""
    svc.enter_sheet(db, scope, application_id, body.expert, body.scores)
    return detail(db, svc.owned(db, scope, application_id))


@router.delete(f"{ITEM}/sheets/{{sheet_id:int}}", status_code=204)
def remove_sheet(
    application_id: int, sheet_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Remove one expert's sheet."""
    svc.remove_sheet(db, scope, application_id, sheet_id)
    return Response(status_code=204)


@router.post(f"{ITEM}/withdraw", response_model=PilotApplicationOut)
def withdraw(
    application_id: int, body: ReasonIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Withdraw an application (not once its project is open)."""
    return svc.withdraw(db, scope, application_id, body.reason)


@router.post(f"{ITEM}/not-selected", response_model=PilotApplicationOut)
def not_selected(
    application_id: int, body: ReasonIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Decide that an application is not selected; the reason is required."""
    return svc.not_select(db, scope, application_id, body.reason)


@router.post(f"{ITEM}/reopen", response_model=PilotApplicationOut)
def reopen(application_id: int, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Take a selection or a refusal back: the application competes again."""
    return svc.reopen(db, scope, application_id)


@router.post("/pilot-selections", response_model=list[PilotApplicationOut])
def select(body: SelectIn, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Select applications into a batch, all or none (409 naming the quota when it is full)."""
    return ranks.select_into_batch(db, scope, body.batch, body.application_ids, body.note)


@router.get("/pilot-ranking", response_model=PilotRankingOut)
def ranking(
    sector: str = Query("", max_length=30), scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Return each sector's ranking with per-expert detail, the weights and the places left."""
    plan = active_plan(db, scope.org_id)
    sectors = {
        key: [
            PilotRankOut(
                application_id=row.application.id,
                enterprise_name=row.enterprise.name,
                status=row.application.status,
                batch=row.application.batch,
                position=row.ranked.position if row.ranked else None,
                sector_position=row.ranked.sector_position if row.ranked else None,
                decided_by=row.ranked.decided_by if row.ranked else None,
                sheets=row.scored.sheets,
                stale=row.scored.stale,
                score=score_out(row.scored.score),
            )
            for row in rows
        ]
        for key, rows in ranks.ranking(db, scope, plan, sector).items()
    }
    places = [
        PlacesOut(
            batch=p.batch.id,
            sector=p.sector,
            quota=p.quota,
            selected=p.selected,
            remaining=p.remaining,
        )
        for p in ranks.places(db, scope.org_id, plan)
    ]
    return PilotRankingOut(weights=principles_of(plan), sectors=sectors, places=places)
