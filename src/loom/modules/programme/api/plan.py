"""JSON API of the programme console: the action plan as data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.engine import builtin_plan_text, read_plan_document
from loom.modules.programme.pages.common import DB
from loom.modules.programme.service import plans
from loom.modules.programme.service.context import programme_bureau

router = APIRouter()


class PlanVersionOut(BaseModel):
    """A published plan version."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    code: str
    title: str
    active: bool
    note: str
    published_by: str
    published_at: datetime


@router.get("/plan")
def get_plan(scope: Scope = require("programme.plan.read"), db: Session = DB) -> Any:
    """Return the active plan document of the caller's programme (the shipped one if none)."""
    bureau = programme_bureau(db, scope)
    row = plans.active_version(db, bureau) if bureau is not None else None
    text = row.document_json if row is not None else builtin_plan_text()
    return {"version": row.version if row else None, "document": read_plan_document(text)}


@router.get("/plan/versions", response_model=list[PlanVersionOut])
def list_versions(scope: Scope = require("programme.plan.read"), db: Session = DB) -> Any:
    """Return the published versions of the caller's programme, newest first."""
    bureau = programme_bureau(db, scope)
    return plans.versions(db, bureau) if bureau is not None else []


@router.post("/plan", response_model=PlanVersionOut, status_code=201)
async def publish_plan(
    request: Request,
    note: str = Query("", max_length=500),
    scope: Scope = require("programme.plan.manage"),
    db: Session = DB,
) -> Any:
    """Publish the plan JSON sent as the body; 422 lists every problem by its JSON path."""
    # the raw text is kept: numbers such as weights stay exactly as written
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed("body: the plan must be UTF-8 JSON", field="body") from None
    return plans.publish(db, scope, text, note)
