"""The enterprise's sharing page: what it shares with the brain, and who read it."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.plugins.spec import SHARING_CATEGORIES
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.brain.models import GRANULARITIES
from loom.modules.brain.pages.common import (
    BASE,
    CATEGORY_LABELS,
    DB,
    GRANULARITY_LABELS,
    base_context,
    translator,
)
from loom.modules.brain.permissions import CONSENT_READ, CONSENT_WRITE, INDEX_READ, READS_READ
from loom.modules.brain.service.consent import consents_of, set_consent
from loom.modules.brain.service.reads import reads_of
from loom.modules.brain.service.times import local_time

router = APIRouter()
PAGE_SIZE = 50


@router.get("/")
def home(scope: Scope = require(INDEX_READ)) -> Response:
    """Send enterprises to their sharing page and the bureau to the indices."""
    target = "sharing" if scope.org_kind == OrgKind.ENTERPRISE else "indices"
    return RedirectResponse(f"{BASE}/{target}", status_code=303)


def _page(
    request: Request,
    db: Session,
    scope: Scope,
    offset: int,
    errors: dict[str, str],
    chosen: dict[str, str] | None = None,
    saved: bool = False,
    status: int = 200,
) -> Response:
    reads = reads_of(db, scope, offset=offset, limit=PAGE_SIZE) if scope.can(READS_READ) else None
    context = base_context(
        "sharing",
        consents=chosen or consents_of(db, scope),
        categories=SHARING_CATEGORIES,
        granularities=GRANULARITIES,
        category_labels=CATEGORY_LABELS,
        granularity_labels=GRANULARITY_LABELS,
        reads=reads,
        errors=errors,
        saved=saved,
        can_write=scope.can(CONSENT_WRITE),
        metric_labels={
            m.name: m.label
            for spec in runtime_of(request).apps.values()
            for m in spec.brain_metrics
        },
        local_time=local_time,
    )
    return render(request, "brain/sharing.html", context, status=status)


@router.get("/sharing")
def sharing(
    request: Request,
    offset: int = Query(0, ge=0, le=10_000_000),
    saved: str = Query("", max_length=5),
    scope: Scope = require(CONSENT_READ),
    db: Session = DB,
) -> Response:
    """Show each category's sharing and the log of reads of the enterprise's data."""
    return _page(request, db, scope, offset, {}, saved=saved == "1")


@router.post("/sharing")
async def save_sharing(
    request: Request, scope: Scope = require(CONSENT_WRITE), db: Session = DB
) -> Response:
    """Change the categories whose granularity differs from the stored one; each is audited."""
    form = await request.form()
    current = consents_of(db, scope)
    chosen = {c: str(form.get(c, current[c]))[:20] for c in SHARING_CATEGORIES}
    gettext = translator(request)
    errors = {
        c: gettext("choose not shared, weekly or daily")
        for c, g in chosen.items()
        if g not in GRANULARITIES
    }
    if errors:
        return _page(request, db, scope, 0, errors, chosen, status=422)
    for category, granularity in chosen.items():
        if granularity != current[category]:
            try:
                set_consent(db, scope, category, granularity)
            except DomainError as exc:
                message = gettext(exc.template, **exc.params)
                return _page(request, db, scope, 0, {category: message}, chosen, status=422)
    return RedirectResponse(f"{BASE}/sharing?saved=1", status_code=303)
