"""Home page per organisation kind, language switch and health."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import daily_counts, latest_events
from loom.kernel.authz.guard import require
from loom.kernel.identity.models import ApiToken
from loom.kernel.identity.pages import safe_next
from loom.kernel.plugins.enablement import enabled_apps
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.models import Membership
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import organisation_of
from loom.kernel.web.i18n import LOCALE_COOKIE, LOCALES
from loom.kernel.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request,
    scope: Scope = require("kernel.home.view"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show the home page for the active organisation's kind."""
    org = organisation_of(db, scope)
    apps = enabled_apps(db, org, runtime_of(request).apps)
    members = db.scalar(select(func.count()).where(Membership.org_id == org.id)) or 0
    tokens = (
        db.scalar(
            select(func.count()).where(ApiToken.org_id == org.id, ApiToken.revoked_at.is_(None))
        )
        or 0
    )
    can_audit = scope.can("kernel.audit.read")
    events = latest_events(db, org.id, 8) if can_audit else []
    # Month-day labels keep the axis readable; the tooltip shows the same label.
    activity = [(day[5:], n) for day, n in daily_counts(db, org.id, 14)] if can_audit else []
    return render(
        request,
        f"home/{org.kind.value}.html",
        {
            "org": org,
            "apps": apps,
            "members": members,
            "tokens": tokens,
            "events": events,
            "activity": activity,
        },
    )


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Remember the chosen language in a cookie and go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return response


health_router = APIRouter(tags=["health"])


@health_router.get("/health")
def health(db: Session = Depends(get_db, scope="function")) -> dict[str, str]:
    """Report that the server answers and the database is reachable."""
    db.execute(select(1))
    return {"status": "ok"}
