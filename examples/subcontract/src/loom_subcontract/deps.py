"""Request helpers shared by the API and the pages."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from loom.kernel.plugins.enablement import app_settings
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom_subcontract import SLUG
from loom_subcontract.schemas import SubcontractSettings


def settings_of(request: Request, db: Session, scope: Scope) -> SubcontractSettings:
    """Return the caller's organisation settings for this app (defaults when unset)."""
    spec = runtime_of(request).apps[SLUG]
    return SubcontractSettings.model_validate(app_settings(db, scope.org_id, spec))
