"""Pilot selection (四(一)1): applications, expert sheets on the plan's principles, decisions.

Principles and weights come from the bureau's active plan (``service.plans``); the ranking and
the places of a batch are in ``selection_ranking``. Sheets keep the raw scores, so a
republished plan re-weights every application at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, PilotApplication, PilotScore, Project
from loom.modules.programme.registry.creditcode import normalise
from loom.modules.programme.service.plans import active_plan
from loom.modules.programme.service.selection_sheets import (
    MAX_NOTE,
    MAX_STATEMENT,
    check_sheet,
    refuse,
    serialise,
    text_of,
)

STATUSES = ("submitted", "selected", "not_selected", "withdrawn")
#: an enterprise has at most one application in these statuses
LIVE = ("submitted", "selected")
#: statuses that take part in the ranking (a withdrawn application no longer competes)
RANKED = ("submitted", "selected", "not_selected")


@dataclass(frozen=True)
class Filters:
    """What the application list is narrowed by; empty values do not filter."""

    q: str = ""
    sector: str = ""
    status: str = ""
    batch: str = ""


class PilotRepository(TenantRepository[PilotApplication]):
    """Applications the bureau owns; an enterprise sees its own through its participant column."""

    model = PilotApplication

    def filtered(self, filters: Filters) -> Select[PilotApplication]:
        """Return the select of applications matching ``filters``, newest first."""
        stmt = self.select()
        words = filters.q.strip()
        if words:
            same_entry = and_(
                Enterprise.id == PilotApplication.enterprise_id,
                Enterprise.org_id == PilotApplication.org_id,
            )
            stmt = stmt.join(Enterprise, same_entry).where(
                or_(
                    Enterprise.name.ilike(f"%{words}%"),
                    Enterprise.credit_code.ilike(f"%{normalise(words)}%"),
                )
            )
        for column, value in (
            (PilotApplication.sector, filters.sector),
            (PilotApplication.status, filters.status),
            (PilotApplication.batch, filters.batch),
        ):
            if value:
                stmt = stmt.where(column == value)
        return stmt.order_by(PilotApplication.applied_at.desc(), PilotApplication.id.desc())

    def listing(
        self, filters: Filters, *, offset: int = 0, limit: int = 50
    ) -> Page[PilotApplication]:
        """Return one page of applications matching ``filters``."""
        return self.page(self.filtered(filters), offset=offset, limit=limit)


def snapshot(app: PilotApplication) -> dict[str, Any]:
    """Return the audited view of an application."""
    return {
        "enterprise_id": app.enterprise_id,
        "enterprise_org_id": app.enterprise_org_id,
        "sector": app.sector,
        "status": app.status,
        "batch": app.batch,
        "decision_note": app.decision_note,
        "statement": app.statement,
    }


def get(session: Session, scope: Scope, application_id: int) -> PilotApplication:
    """Return an application the bureau owns or the enterprise makes (404 otherwise)."""
    return PilotRepository(session, scope).get(application_id)


def owned(session: Session, scope: Scope, application_id: int) -> PilotApplication:
    """Return an application of the scope's own bureau; the enterprise gets 404 too."""
    app = get(session, scope, application_id)
    if app.org_id != scope.org_id:
        raise NotFound("Pilot application %(id)s not found", params={"id": application_id})
    return app


def enterprises_of(session: Session, apps: Iterable[PilotApplication]) -> dict[int, Enterprise]:
    """Return the registry entries of ``apps`` by id."""
    ids = {app.enterprise_id for app in apps}
    if not ids:
        return {}
    return {e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}


def has_project(session: Session, app: PilotApplication) -> int | None:
    """Return the id of the project opened for the application's enterprise, if any."""
    return session.scalars(
        select(Project.id).where(
            Project.org_id == app.org_id, Project.enterprise_id == app.enterprise_id
        )
    ).first()


def open_enterprises(session: Session, scope: Scope, q: str = "") -> list[Enterprise]:
    """Return the registry entries of the plan's sectors without a live application."""
    plan = active_plan(session, scope.org_id)
    applied = select(PilotApplication.enterprise_id).where(
        PilotApplication.org_id == scope.org_id, PilotApplication.status.in_(LIVE)
    )
    stmt = select(Enterprise).where(
        Enterprise.org_id == scope.org_id,
        Enterprise.sector.in_([s.id for s in plan.sectors]),
        Enterprise.id.not_in(applied),
    )
    if q.strip():
        stmt = stmt.where(Enterprise.name.ilike(f"%{q.strip()}%"))
    return list(session.scalars(stmt.order_by(Enterprise.sector, Enterprise.name, Enterprise.id)))


def _audit(session: Session, scope: Scope, action: str, app: PilotApplication, **kw: Any) -> None:
    action = f"programme.pilot_application.{action}"
    record_scoped(session, scope, action, "pilot_application", app.id, **kw)


def create(
    session: Session, scope: Scope, enterprise_id: int, statement: str = ""
) -> PilotApplication:
    """Record a registry enterprise's application; the enterprise then sees it."""
    clean = text_of(statement, "statement", MAX_STATEMENT)
    entry = session.scalars(
        select(Enterprise).where(Enterprise.id == enterprise_id, Enterprise.org_id == scope.org_id)
    ).first()
    if entry is None:
        raise ValidationFailed(
            "enterprise_id: no enterprise %(id)s in the registry",
            field="enterprise_id",
            params={"id": enterprise_id},
        )
    plan = active_plan(session, scope.org_id)
    if entry.sector not in {s.id for s in plan.sectors}:
        raise ValidationFailed(
            "enterprise_id: %(name)s is in the sector %(sector)s, which the plan has no pilots in",
            field="enterprise_id",
            params={"name": entry.name, "sector": entry.sector},
        )
    live = session.scalars(
        select(PilotApplication).where(
            PilotApplication.org_id == scope.org_id,
            PilotApplication.enterprise_id == entry.id,
            PilotApplication.status.in_(LIVE),
        )
    ).first()
    if live is not None:
        raise Conflict(
            "enterprise_id: %(name)s already has application %(id)s",
            field="enterprise_id",
            params={"name": entry.name, "id": live.id},
        )
    app = PilotApplication(
        org_id=scope.org_id,
        enterprise_id=entry.id,
        # copied so the enterprise's organisation sees its application (participant column)
        enterprise_org_id=entry.enterprise_org_id,
        sector=entry.sector,
        statement=clean,
        status="submitted",
    )
    session.add(app)
    session.flush()
    _audit(session, scope, "submitted", app, after=snapshot(app))
    return app


def decide(
    session: Session,
    scope: Scope,
    app: PilotApplication,
    action: str,
    status: str,
    *,
    note: str = "",
    batch: str | None = None,
) -> PilotApplication:
    """Set the application's status and decision, audited as ``action``."""
    before = snapshot(app)
    app.status = status
    app.batch = batch
    app.decision_note = note
    app.decided_at = None if status == "submitted" else utcnow()
    session.flush()
    _audit(session, scope, action, app, before=before, after=snapshot(app))
    return app


#: why an action is refused in the application's status; %(status)s is the current one
REFUSED_IN_STATUS = {
    "withdraw": "status: only a submitted or selected application can be withdrawn; "
    "this one is %(status)s",
    "not_select": "status: only a submitted application can be marked not selected; "
    "this one is %(status)s",
    "reopen": "status: only a selected or not selected application can be reopened; "
    "this one is %(status)s",
    "score": "status: sheets are entered while the application is submitted; "
    "this one is %(status)s",
}


def status_is(app: PilotApplication, allowed: Sequence[str], action: str) -> None:
    """Refuse ``action`` (a key of ``REFUSED_IN_STATUS``) unless the status is ``allowed``."""
    if app.status not in allowed:
        raise Conflict(REFUSED_IN_STATUS[action], field="status", params={"status": app.status})


def _no_project(session: Session, app: PilotApplication) -> None:
    project = has_project(session, app)
    if project is not None:
        raise Conflict(
            "status: project %(id)s is open for this pilot; withdraw the project instead",
            field="status",
            params={"id": project},
        )


def withdraw(
    session: Session, scope: Scope, application_id: int, reason: str = ""
) -> PilotApplication:
    """Withdraw a submitted application, or a selected one whose project is not open yet."""
    app = owned(session, scope, application_id)
    status_is(app, LIVE, "withdraw")
    _no_project(session, app)
    note = text_of(reason, "reason", MAX_NOTE)
    serialise(session, scope.org_id)
    return decide(session, scope, app, "withdrawn", "withdrawn", note=note)


def not_select(
    session: Session, scope: Scope, application_id: int, reason: str
) -> PilotApplication:
    """Decide that a submitted application is not selected, for a stated reason."""
    app = owned(session, scope, application_id)
    status_is(app, ("submitted",), "not_select")
    note = text_of(reason, "reason", MAX_NOTE, required=True)
    return decide(session, scope, app, "not_selected", "not_selected", note=note)


def reopen(session: Session, scope: Scope, application_id: int) -> PilotApplication:
    """Take a decision back: the application is submitted again (no project may be open)."""
    app = owned(session, scope, application_id)
    status_is(app, ("selected", "not_selected"), "reopen")
    _no_project(session, app)
    live = session.scalars(
        select(PilotApplication.id).where(
            PilotApplication.org_id == app.org_id,
            PilotApplication.enterprise_id == app.enterprise_id,
            PilotApplication.status.in_(LIVE),
            PilotApplication.id != app.id,
        )
    ).first()
    if live is not None:
        raise Conflict(
            "status: the enterprise has a newer application %(id)s",
            field="status",
            params={"id": live},
        )
    return decide(session, scope, app, "reopened", "submitted")


def sheets_of(session: Session, ids: Iterable[int]) -> dict[int, list[PilotScore]]:
    """Return the expert sheets of applications by application id, in the order entered."""
    wanted = set(ids)
    found: dict[int, list[PilotScore]] = {i: [] for i in wanted}
    if wanted:
        stmt = select(PilotScore).where(PilotScore.application_id.in_(wanted))
        for row in session.scalars(stmt.order_by(PilotScore.id)):
            found[row.application_id].append(row)
    return found


def enter_sheet(
    session: Session,
    scope: Scope,
    application_id: int,
    expert: str,
    scores: Mapping[str, object],
) -> PilotScore:
    """Enter an expert's sheet on the plan's principles, or replace that expert's sheet."""
    app = owned(session, scope, application_id)
    status_is(app, ("submitted",), "score")
    plan = active_plan(session, app.org_id)
    name, clean, found = check_sheet("expert", expert, scores, plan.pilot_principles)
    refuse(found)
    row = session.scalars(
        select(PilotScore).where(PilotScore.application_id == app.id, PilotScore.expert == name)
    ).first()
    before = None if row is None else {"expert": row.expert, "scores": dict(row.scores)}
    if row is None:
        row = PilotScore(org_id=app.org_id, application_id=app.id, expert=name)
        session.add(row)
    row.scores = clean
    row.entered_by = scope.actor.label
    row.entered_at = utcnow()
    session.flush()
    action = "programme.pilot_score.entered" if before is None else "programme.pilot_score.replaced"
    after = {"expert": name, "scores": clean}
    record_scoped(session, scope, action, "pilot_application", app.id, before=before, after=after)
    return row


def remove_sheet(session: Session, scope: Scope, application_id: int, sheet_id: int) -> None:
    """Remove one expert's sheet of a submitted application."""
    app = owned(session, scope, application_id)
    status_is(app, ("submitted",), "score")
    row = session.scalars(
        select(PilotScore).where(PilotScore.id == sheet_id, PilotScore.application_id == app.id)
    ).first()
    if row is None:
        raise NotFound("Sheet %(id)s not found", params={"id": sheet_id})
    before = {"expert": row.expert, "scores": dict(row.scores)}
    session.delete(row)
    session.flush()
    record_scoped(
        session, scope, "programme.pilot_score.removed", "pilot_application", app.id, before=before
    )
