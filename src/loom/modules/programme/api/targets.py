"""JSON API of the programme console: targets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.schemas.targets import KpiOut
from loom.modules.programme.service import targets as svc

router = APIRouter()
DB = Depends(get_db, scope="function")
READ = "programme.kpi.read"


@router.get("/kpi", response_model=KpiOut)
def kpi(
    on: str = Query("", max_length=10, description="as-of day YYYY-MM-DD (default today)"),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """Return each target of the bureau's plan against its actual value on the as-of day."""
    return KpiOut.of(svc.kpi_report(db, scope, svc.parse_on(on)))
