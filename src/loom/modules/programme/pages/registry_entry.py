"""Pages of the enterprise registry: one entry, its link, its known level, its smart factory."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.api.registry import READ, WRITE
from loom.modules.programme.pages.common import (
    BASE,
    DB,
    SECTOR_LABELS,
    msgid,
    org_names,
    translator,
)
from loom.modules.programme.service import registry as svc

HOME = f"{BASE}/registry"
BAD_DATE = msgid("Enter a date as YYYY-MM-DD.")
SIZE_LABELS = {"above": msgid("Above designated size"), "below": msgid("Below designated size")}
LEVEL_SOURCES = {
    "onsite": msgid("on-site assessment of its project"),
    "recorded": msgid("recorded by the bureau"),
}

router = APIRouter()


def detail_page(
    request: Request,
    db: Session,
    scope: Scope,
    enterprise_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """Render one entry, with the bureau's forms when the caller may write."""
    entry = svc.get(db, scope, enterprise_id)
    writer = scope.can(WRITE) and entry.org_id == scope.org_id
    context = {
        "tab": "registry",
        "entry": entry,
        "can_write": writer,
        "orgs": org_names(db, [entry.enterprise_org_id]),
        "linkable": svc.linkable_organisations(db, scope, entry) if writer else [],
        "sector_label": SECTOR_LABELS.get(entry.sector, entry.sector),
        "size_label": SIZE_LABELS.get(entry.size, entry.size),
        "source_label": LEVEL_SOURCES.get(entry.level_source, entry.level_source),
        "errors": errors or {},
        "today": date.today().isoformat(),
    }
    return render(request, "programme/registry_detail.html", context, status=status)


@router.get("/registry/{enterprise_id:int}")
def registry_detail(
    request: Request, enterprise_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show one entry (an enterprise organisation sees only its own)."""
    return detail_page(request, db, scope, enterprise_id)


def _refused(
    request: Request, db: Session, scope: Scope, enterprise_id: int, field: str, exc: DomainError
) -> Response:
    db.rollback()
    message = translator(request)(exc.template, **exc.params)
    return detail_page(request, db, scope, enterprise_id, {field: message}, exc.status_code)


def _bad_date(
    request: Request, db: Session, scope: Scope, enterprise_id: int, field: str
) -> Response:
    errors = {field: translator(request)(BAD_DATE)}
    return detail_page(request, db, scope, enterprise_id, errors, 422)


def _back(enterprise_id: int) -> Response:
    return RedirectResponse(f"{HOME}/{enterprise_id}", status_code=303)


@router.post("/registry/{enterprise_id:int}/link")
def registry_link(
    request: Request,
    enterprise_id: int,
    org_id: str = Form(""),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Link the entry to an enterprise organisation, or undo the link (empty choice)."""
    svc.owned(db, scope, enterprise_id)
    try:
        if org_id.strip().isdigit():
            svc.link(db, scope, enterprise_id, int(org_id))
        else:
            svc.unlink(db, scope, enterprise_id)
    except DomainError as exc:
        return _refused(request, db, scope, enterprise_id, "org_id", exc)
    return _back(enterprise_id)


@router.post("/registry/{enterprise_id:int}/level")
def registry_level(
    request: Request,
    enterprise_id: int,
    level: str = Form(""),
    assessed_on: str = Form(""),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Record a digital level assessed outside Loom."""
    svc.owned(db, scope, enterprise_id)
    try:
        day = date.fromisoformat(assessed_on.strip())
    except ValueError:
        return _bad_date(request, db, scope, enterprise_id, "assessed_on")
    number = int(level) if level.strip().isdigit() else -1
    try:
        svc.record_level(db, scope, enterprise_id, level=number, assessed_on=day)
    except DomainError as exc:
        return _refused(request, db, scope, enterprise_id, exc.field or "level", exc)
    return _back(enterprise_id)


@router.post("/registry/{enterprise_id:int}/smart-factory")
def registry_smart_factory(
    request: Request,
    enterprise_id: int,
    named_on: str = Form(""),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Record the date the entry was named a digital workshop or smart factory (empty clears)."""
    svc.owned(db, scope, enterprise_id)
    day: date | None = None
    if named_on.strip():
        try:
            day = date.fromisoformat(named_on.strip())
        except ValueError:
            return _bad_date(request, db, scope, enterprise_id, "smart_factory_on")
    try:
        svc.mark_smart_factory(db, scope, enterprise_id, day)
    except DomainError as exc:
        return _refused(request, db, scope, enterprise_id, "smart_factory_on", exc)
    return _back(enterprise_id)
