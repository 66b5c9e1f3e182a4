"""Which programme a caller belongs to: its bureau, found through the records it takes part in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import ContractorApplication, Enterprise, Project


def programme_bureau(session: Session, scope: Scope) -> int | None:
    """Return the bureau whose programme the caller takes part in (itself for a bureau).

    Enterprises are found through their registry entry, contractors and assessors through
    their projects or applications; the queries run under the caller's scope, so they see only
    records the caller takes part in. ``None`` when the caller is in no programme yet.
    """
    if scope.org_kind == OrgKind.BUREAU:
        return scope.org_id
    for model in (Project, Enterprise, ContractorApplication):
        owner = session.scalars(select(model.org_id).order_by(model.id).limit(1)).first()
        if owner is not None:
            return owner
    return None
