"""JSON API of sharing: an enterprise's consent per category, and its read log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.brain.permissions import CONSENT_READ, CONSENT_WRITE, READS_READ
from loom.modules.brain.schemas import ConsentIn, ConsentOut, ReadOut
from loom.modules.brain.service.consent import consents_of, set_consent
from loom.modules.brain.service.reads import reads_of

router = APIRouter()
DB = Depends(get_db, scope="function")


@router.get("/consent", response_model=ConsentOut)
def read_consent(scope: Scope = require(CONSENT_READ), db: Session = DB) -> Any:
    """Return what the enterprise shares, per category ("none" when never granted)."""
    return ConsentOut(consents=consents_of(db, scope))


@router.put("/consent/{category}", response_model=ConsentOut)
def change_consent(
    body: ConsentIn,
    category: str = Path(max_length=30),
    scope: Scope = require(CONSENT_WRITE),
    db: Session = DB,
) -> Any:
    """Share one category weekly or daily, or revoke it with "none"; audited."""
    set_consent(db, scope, category, body.granularity)
    return ConsentOut(consents=consents_of(db, scope))


@router.get("/reads", response_model=PageOut[ReadOut])
def list_reads(
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READS_READ),
    db: Session = DB,
) -> Any:
    """Return the enterprise's read log, newest first: who read what, when and why."""
    return PageOut.of(reads_of(db, scope, offset=offset, limit=limit), ReadOut)
