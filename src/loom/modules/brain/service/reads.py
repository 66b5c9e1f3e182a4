"""The read log an enterprise sees: who read which of its shared figures, when and why."""

from __future__ import annotations

from sqlalchemy.orm import Session

from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.models import BrainRead


class ReadRepository(TenantRepository[BrainRead]):
    """Reads of the scope's enterprise's shared data."""

    model = BrainRead


def reads_of(
    session: Session, scope: Scope, *, offset: int = 0, limit: int = 50
) -> Page[BrainRead]:
    """Return one page of the enterprise's read log, newest first."""
    repo = ReadRepository(session, scope)
    stmt = repo.select().order_by(BrainRead.read_at.desc(), BrainRead.id.desc())
    return repo.page(stmt, offset=offset, limit=limit)
