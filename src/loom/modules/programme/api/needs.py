"""JSON API of the programme console: the N+X survey, scenarios, classification and lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.programme.engine import rounded
from loom.modules.programme.models import Need, Scenario
from loom.modules.programme.schemas.needs import (
    ChangeOut,
    ClassificationOut,
    ClassifiedNeedOut,
    DiffOut,
    ListVersionOut,
    ListVersionSummary,
    NeedBody,
    NeedOut,
    PilotRef,
    ProductRef,
    PublishIn,
    ScenarioBody,
    ScenarioOut,
)
from loom.modules.programme.service import needs as svc
from loom.modules.programme.service import needs_lists as lists
from loom.modules.programme.service import needs_scenarios as scen

router = APIRouter()
DB = Depends(get_db, scope="function")
READ = "programme.needs.read"
MANAGE = "programme.needs.manage"
KIND = "^(|problems|needs|scenarios)$"


def needs_out(db: Session, scope: Scope, rows: Sequence[Need]) -> list[NeedOut]:
    """Return the API view of survey needs, with their enterprises' names."""
    names = svc.enterprise_names(db, scope, {n.enterprise_id for n in rows})
    return [
        NeedOut(
            id=n.id,
            enterprise_id=n.enterprise_id,
            enterprise=names.get(n.enterprise_id, ""),
            sector=n.sector,
            stage=n.stage,
            problem=n.problem,
            need_key=n.need_key,
            need_title=n.need_title,
            scenario_code=n.scenario_code,
            created_by=n.created_by,
            created_at=n.created_at,
        )
        for n in rows
    ]


def scenarios_out(db: Session, scope: Scope, rows: Sequence[Scenario]) -> list[ScenarioOut]:
    """Return the API view of scenarios with their products and survey needs."""
    products = scen.linked_products(db, [r.code for r in rows])
    pointing = scen.needs_per_scenario(db, scope)
    return [
        ScenarioOut(
            id=r.id,
            code=r.code,
            title=r.title,
            sector=r.sector,
            stage=r.stage,
            scenes=dict(sorted(r.scenes.items())),
            description=r.description,
            products=[ProductRef(id=p.id, name=p.name) for p in products.get(r.code, [])],
            needs=sum(n for (code, _sector), n in pointing.items() if code == r.code),
        )
        for r in rows
    ]


@router.get("/needs/survey", response_model=PageOut[NeedOut])
def survey(
    sector: str = Query("", max_length=30),
    stage: str = Query("", max_length=30),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List survey needs, searched by enterprise, problem, need or scenario."""
    filters = svc.SurveyFilters(sector=sector, stage=stage, q=q)
    page = svc.survey(db, scope, filters, offset=offset, limit=limit)
    return PageOut[NeedOut](
        items=needs_out(db, scope, page.items),
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.post("/needs/survey", response_model=NeedOut, status_code=201)
def record_need(body: NeedBody, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Record a problem and need of a registry enterprise; a 422 lists every bad field."""
    return needs_out(db, scope, [svc.record_need(db, scope, body.to_input())])[0]


@router.get("/needs/survey/{need_id}", response_model=NeedOut)
def read_need(need_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one survey need."""
    return needs_out(db, scope, [svc.get_need(db, scope, need_id)])[0]


@router.put("/needs/survey/{need_id}", response_model=NeedOut)
def update_need(
    need_id: int, body: NeedBody, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Change a survey need; it is checked again as a whole."""
    return needs_out(db, scope, [svc.update_need(db, scope, need_id, body.to_input())])[0]


@router.delete("/needs/survey/{need_id}", status_code=204)
def delete_need(need_id: int, scope: Scope = require(MANAGE), db: Session = DB) -> Response:
    """Remove a survey need; published lists keep their snapshot."""
    svc.delete_need(db, scope, need_id)
    return Response(status_code=204)


@router.get("/needs/classification", response_model=ClassificationOut)
def classification(
    sector: str = Query(..., max_length=30), scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Classify the sector's needs: N when enough of its pilots report them, else X."""
    found = lists.classify(db, scope, sector)
    return ClassificationOut(
        sector=found.sector,
        threshold=rounded(found.threshold, 4),
        sector_pilots=[PilotRef(id=i, name=n) for i, n in sorted(found.pilots.items())],
        n_count=found.n_count,
        x_count=found.x_count,
        needs=[
            ClassifiedNeedOut(
                need_key=n.need_key,
                title=n.title,
                kind=n.kind.value,
                pilots=n.pilots,
                sector_pilots=n.sector_pilots,
                share=None if n.share is None else rounded(n.share, 4),
                stages=list(n.stages),
                scenario_codes=list(n.scenario_codes),
                enterprises=[PilotRef(id=i, name=name) for i, name in n.enterprises],
                notes=[note.message for note in n.notes],
            )
            for n in found.needs
        ],
    )


@router.get("/needs/scenarios", response_model=list[ScenarioOut])
def scenarios(
    sector: str = Query("", max_length=30), scope: Scope = require(READ), db: Session = DB
) -> Any:
    """List the bureau's scenarios, of one sector if given."""
    return scenarios_out(db, scope, scen.scenarios(db, scope, sector))


@router.post("/needs/scenarios", response_model=ScenarioOut, status_code=201)
def create_scenario(body: ScenarioBody, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Add a scenario; its scenes are checked against the national index."""
    return scenarios_out(db, scope, [scen.create_scenario(db, scope, body.to_input())])[0]


@router.get("/needs/scenarios/{scenario_id}", response_model=ScenarioOut)
def read_scenario(scenario_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one scenario with its products."""
    return scenarios_out(db, scope, [scen.get_scenario(db, scope, scenario_id)])[0]


@router.put("/needs/scenarios/{scenario_id}", response_model=ScenarioOut)
def update_scenario(
    scenario_id: int, body: ScenarioBody, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Change a scenario; a new code is carried over to the needs that point to it."""
    row = scen.update_scenario(db, scope, scenario_id, body.to_input())
    return scenarios_out(db, scope, [row])[0]


@router.delete("/needs/scenarios/{scenario_id}", status_code=204)
def delete_scenario(scenario_id: int, scope: Scope = require(MANAGE), db: Session = DB) -> Response:
    """Remove a scenario no survey need points to (409 otherwise)."""
    scen.delete_scenario(db, scope, scenario_id)
    return Response(status_code=204)


@router.get("/needs/lists", response_model=PageOut[ListVersionSummary])
def versions(
    sector: str = Query("", max_length=30),
    kind: str = Query("", pattern=KIND),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List the published versions of the lists, newest first."""
    page = lists.versions(db, scope, sector=sector, kind=kind, offset=offset, limit=limit)
    return PageOut.of(page, ListVersionSummary)


@router.post("/needs/lists", response_model=list[ListVersionOut], status_code=201)
def publish(body: PublishIn, scope: Scope = require(MANAGE), db: Session = DB) -> Any:
    """Publish the next version of the sector's problem, need and scenario lists."""
    return [ListVersionOut.model_validate(row) for row in lists.publish(db, scope, body.sector)]


@router.get("/needs/lists/current")
def current(
    sector: str = Query(..., max_length=30), scope: Scope = require(READ), db: Session = DB
) -> dict[str, list[dict[str, Any]]]:
    """Return the sector's three lists as they stand now, unpublished."""
    return lists.current_lists(db, scope, sector)


@router.get("/needs/lists/{list_id:int}", response_model=ListVersionOut)
def read_version(list_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a published version of a list with its items."""
    return lists.get_version(db, scope, list_id)


@router.get("/needs/lists/{list_id:int}/diff", response_model=DiffOut)
def diff(
    list_id: int,
    against: int | None = Query(None, ge=1),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """Compare a version with another of the same list (default: the one before it)."""
    found = lists.compare(db, scope, list_id, against)
    return DiffOut(
        sector=found.new.sector,
        kind=found.new.kind,
        from_version=None if found.old is None else found.old.version,
        to_version=found.new.version,
        added=list(found.added),
        removed=list(found.removed),
        changed=[
            ChangeOut(key=c.key, fields={f: [c.before.get(f), c.after.get(f)] for f in c.fields})
            for c in found.changed
        ],
        unchanged=found.unchanged,
    )
