"""JSON API of the programme analytics (bureau only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.pages.common import DB
from loom.modules.programme.schemas.analytics import AnalyticsOut
from loom.modules.programme.service import analytics as svc

router = APIRouter()
READ = "programme.analytics.read"


@router.get("/analytics", response_model=AnalyticsOut)
def analytics(
    batch: str = Query("", max_length=30, description="one batch of the plan, or all"),
    sector: str = Query("", max_length=30, description="one sector, or all"),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """Return levels before and after across pilots, and levels gained per subsidy."""
    filters = svc.Filters(batch=batch.strip(), sector=sector.strip())
    return AnalyticsOut.of(svc.analytics_report(db, scope, filters))
