"""The assessment list's rows: the columns a table shows and the enterprise's name, no JSON."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.db.repository import MAX_PAGE_SIZE, Page
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.models import Assessment

#: how many of the newest assessments the comparison form offers
RECENT = 200


class Summary(NamedTuple):
    """One assessment as the list shows it (no questionnaire, no result)."""

    id: int
    kind: str
    phase: str
    title: str
    assessed_on: date
    status: str
    score: float | None
    level: int | None
    org_id: int
    org_name: str | None


_A = Assessment
_COLUMNS = (_A.id, _A.kind, _A.phase, _A.title, _A.assessed_on, _A.status, _A.score, _A.level)


def _select(scope: Scope, kind: str = "", phase: str = "", q: str = "") -> Any:
    """Return the scope's assessments (owned or taken part in), newest first, filtered."""
    stmt = (
        select(*_COLUMNS, _A.org_id, Organisation.name)
        .outerjoin(Organisation, Organisation.id == _A.org_id)
        .where(_A.visible_to(scope.org_id))
    )
    if kind:
        stmt = stmt.where(_A.kind == kind)
    if phase:
        stmt = stmt.where(_A.phase == phase)
    if q.strip():
        stmt = stmt.where(_A.title.ilike(f"%{q.strip()}%"))
    return stmt.order_by(_A.assessed_on.desc(), _A.id.desc())


def _rows(session: Session, stmt: Any, offset: int, limit: int) -> list[Summary]:
    return [Summary(*row) for row in session.execute(stmt.offset(offset).limit(limit)).all()]


def _count(session: Session, stmt: Any) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def list_view(
    session: Session,
    scope: Scope,
    *,
    kind: str = "",
    phase: str = "",
    q: str = "",
    offset: int = 0,
    limit: int = 25,
) -> tuple[Page[Summary], list[Summary]]:
    """Return a page of the list and the submitted ones among the ``RECENT`` newest.

    Unfiltered, a page that lies within the newest ``RECENT`` is cut from them: one statement
    for both, and a count only when there are ``RECENT`` or more. The totals are those of
    ``TenantRepository.page`` (exact without a count when the rows end inside the page).
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    everything = _select(scope)
    recent = _rows(session, everything, 0, RECENT)
    submitted = [row for row in recent if row.status == "submitted"]
    if not (kind or phase or q.strip()) and offset + limit <= RECENT:
        items = recent[offset : offset + limit]
        total = len(recent) if len(recent) < RECENT else _count(session, everything)
        return Page(items=items, total=total, offset=offset, limit=limit), submitted
    stmt = _select(scope, kind, phase, q)
    items = _rows(session, stmt, offset, limit)
    if 0 < len(items) < limit or (offset == 0 and not items):
        total = offset + len(items)
    else:
        total = _count(session, stmt)
    return Page(items=items, total=total, offset=offset, limit=limit), submitted
