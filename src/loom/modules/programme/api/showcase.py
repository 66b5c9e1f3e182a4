"""JSON API of the showcase cases: everyone reads their own, only the bureau writes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.pages.common import DB
from loom.modules.programme.schemas.showcase import CaseOut, FeatureIn, GalleryOut, WriteUpIn
from loom.modules.programme.service import showcase as svc

router = APIRouter()
READ = "programme.showcase.read"
MANAGE = "programme.showcase.manage"


@router.get("/showcase", response_model=GalleryOut)
def gallery(scope: Scope = require(READ), db: Session = DB) -> Any:
    """List the showcase cases the organisation may see."""
    found = svc.gallery(db, scope)
    return GalleryOut(
        cases=[CaseOut.of(c) for c in found.cases],
        drafts=[CaseOut.of(c) for c in found.drafts],
        candidates=[p.id for p in found.candidates],
    )


@router.get("/showcase/{project_id}", response_model=CaseOut)
def case(project_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one case (404 for a case the organisation may not see)."""
    return CaseOut.of(svc.case(db, scope, project_id))


@router.put("/showcase/{project_id}", response_model=CaseOut)
def write(
    project_id: int, body: WriteUpIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Write or rewrite the case of an accepted project."""
    write_up = svc.WriteUp(
        title=body.title,
        problem=body.problem,
        solution=body.solution,
        results=body.results,
        figures=[f.model_dump() for f in body.figures],
    )
    svc.save(db, scope, project_id, write_up)
    return CaseOut.of(svc.case(db, scope, project_id))


@router.post("/showcase/{project_id}/feature", response_model=CaseOut)
def feature(
    project_id: int, body: FeatureIn, scope: Scope = require(MANAGE), db: Session = DB
) -> Any:
    """Show the case as a showcase, or take the mark off."""
    svc.set_featured(db, scope, project_id, body.featured)
    return CaseOut.of(svc.case(db, scope, project_id))
