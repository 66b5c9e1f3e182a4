"""Apps: list them and switch them on or off per organisation (JSON and pages)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import NotFound
from loom.kernel.plugins.enablement import app_settings, is_enabled, set_enabled, update_settings
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import organisation_of
from loom.kernel.web.inputs import ApiIn
from loom.kernel.web.templating import render

router = APIRouter(tags=["apps"])
pages = APIRouter(include_in_schema=False)


class AppOut(BaseModel):
    """An installed app and its state for the caller's organisation."""

    slug: str
    name: str
    version: str
    description: str
    builtin: bool
    available: bool
    enabled: bool
    settings: dict[str, Any]


class AppToggle(ApiIn):
    """Switch an app on or off."""

    enabled: bool


def _spec(request: Request, slug: str) -> AppSpec:
    spec = runtime_of(request).apps.get(slug)
    if spec is None:
        raise NotFound("app %(slug)s is not installed", field="slug", params={"slug": slug})
    return spec


def _rows(request: Request, db: Session, scope: Scope) -> list[AppOut]:
    org = organisation_of(db, scope)
    return [
        AppOut(
            slug=s.slug,
            name=s.name,
            version=s.version,
            description=s.description,
            builtin=s.builtin,
            available=org.kind in s.org_kinds,
            enabled=is_enabled(db, org, s),
            settings=app_settings(db, org.id, s),
        )
        for s in sorted(runtime_of(request).apps.values(), key=lambda s: s.slug)
    ]


@router.get("/apps", response_model=list[AppOut])
def list_apps(
    request: Request,
    scope: Scope = require("kernel.apps.read"),
    db: Session = Depends(get_db, scope="function"),
) -> list[AppOut]:
    """List installed apps with their state for this organisation."""
    return _rows(request, db, scope)


@router.put("/apps/{slug}", response_model=AppOut)
def toggle_app(
    slug: str,
    body: AppToggle,
    request: Request,
    scope: Scope = require("kernel.apps.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> AppOut:
    """Enable or disable one app for this organisation."""
    set_enabled(db, scope, organisation_of(db, scope), _spec(request, slug), body.enabled)
    return next(r for r in _rows(request, db, scope) if r.slug == slug)


@router.put("/apps/{slug}/settings", response_model=AppOut)
def configure_app(
    slug: str,
    body: dict[str, Any],
    request: Request,
    scope: Scope = require("kernel.apps.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> AppOut:
    """Replace this organisation's settings of one app (validated by the app's model)."""
    update_settings(db, scope, _spec(request, slug), body)
    return next(r for r in _rows(request, db, scope) if r.slug == slug)


@pages.get("/settings/apps")
def apps_view(
    request: Request,
    scope: Scope = require("kernel.apps.read"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show installed apps with switches."""
    return render(request, "apps.html", {"apps": _rows(request, db, scope)})


@pages.post("/settings/apps/{slug}")
def apps_toggle(
    slug: str,
    request: Request,
    enabled: bool = Form(...),
    scope: Scope = require("kernel.apps.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Switch one app from the apps page."""
    set_enabled(db, scope, organisation_of(db, scope), _spec(request, slug), enabled)
    return RedirectResponse("/settings/apps", status_code=303)
