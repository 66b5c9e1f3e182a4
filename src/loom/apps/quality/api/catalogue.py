"""JSON API of the defect catalogue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.apps.quality.permissions import CATALOGUE_WRITE, INSPECTION_READ
from loom.apps.quality.schemas import DefectBody, DefectOut
from loom.apps.quality.service import catalogue as svc
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter(prefix="/defects")
DB = Depends(get_db, scope="function")
DefectId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("", response_model=PageOut[DefectOut])
def list_defects(
    q: str = Query("", max_length=100),
    defect_class: str = Query("", max_length=20),
    category: str = Query("", max_length=20),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Any:
    """List the defect catalogue by code, searched in code and name."""
    page = svc.search(
        db, scope, q=q, defect_class=defect_class, category=category, offset=offset, limit=limit
    )
    return PageOut.of(page, DefectOut)


@router.post("", response_model=DefectOut, status_code=201)
def create_defect(
    body: DefectBody, scope: Scope = require(CATALOGUE_WRITE), db: Session = DB
) -> Any:
    """Add a defect code to the catalogue."""
    return svc.create(db, scope, body.to_input())


@router.post("/common", response_model=list[DefectOut])
def seed_common(scope: Scope = require(CATALOGUE_WRITE), db: Session = DB) -> Any:
    """Add the common garment defects the catalogue lacks; return the ones added."""
    return svc.seed_common(db, scope)


@router.get("/{defect_id}", response_model=DefectOut)
def read_defect(
    defect_id: DefectId, scope: Scope = require(INSPECTION_READ), db: Session = DB
) -> Any:
    """Return one catalogue entry."""
    return svc.DefectRepository(db, scope).get(defect_id)


@router.put("/{defect_id}", response_model=DefectOut)
def update_defect(
    defect_id: DefectId, body: DefectBody, scope: Scope = require(CATALOGUE_WRITE), db: Session = DB
) -> Any:
    """Replace a catalogue entry."""
    return svc.update(db, scope, defect_id, body.to_input())


@router.delete("/{defect_id}", status_code=204)
def delete_defect(
    defect_id: DefectId, scope: Scope = require(CATALOGUE_WRITE), db: Session = DB
) -> Response:
    """Delete a catalogue entry that no inspection names."""
    svc.delete(db, scope, defect_id)
    return Response(status_code=204)
