"""General-contractor selection (四(二)2): bids, consortia and the evaluators' sheets.

A contractor applies to a bureau's programme, alone or leading a consortium (联合体). The bureau
owns the application and the contractor takes part in it (participant column), so a contractor
sees its own bids and never a competitor's. The ranking and the choice of one general
contractor per sector are in ``contractor_ranking``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound, PermissionDenied
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme import engine
from loom.modules.programme.models import ContractorApplication, ContractorScore
from loom.modules.programme.service.plans import active_plan
from loom.modules.programme.service.selection_sheets import (
    MAX_NOTE,
    MAX_STATEMENT,
    check_sheet,
    detail,
    refuse,
    text_of,
)

STATUSES = ("submitted", "chosen", "not_chosen", "withdrawn")
#: bids that still compete; a contractor leads at most one of these per bureau and sector
LIVE = ("submitted", "chosen")
#: statuses that take part in the ranking
RANKED = ("submitted", "chosen", "not_chosen")
#: why an action is refused in the bid's status; %(status)s is the current one
REFUSED_IN_STATUS = {
    "withdraw": "status: only a submitted application can be withdrawn; this one is %(status)s",
    "score": "status: sheets are entered while the application is submitted; "
    "this one is %(status)s",
    "choose": "status: only a submitted or not chosen application can be chosen; "
    "this one is %(status)s",
    "decline": "status: only a submitted or chosen application can be declined; "
    "this one is %(status)s",
}


@dataclass(frozen=True)
class Filters:
    """What the bid list is narrowed by; empty values do not filter."""

    q: str = ""
    sector: str = ""
    status: str = ""


class ContractorRepository(TenantRepository[ContractorApplication]):
    """Bids the bureau owns; a contractor sees the ones it leads."""

    model = ContractorApplication

    def filtered(self, filters: Filters) -> Select[ContractorApplication]:
        """Return the select of bids matching ``filters``, newest first."""
        stmt = self.select()
        words = filters.q.strip()
        if words:
            stmt = stmt.join(
                Organisation, Organisation.id == ContractorApplication.contractor_org_id
            ).where(Organisation.name.ilike(f"%{words}%"))
        if filters.sector:
            stmt = stmt.where(ContractorApplication.sector == filters.sector)
        if filters.status:
            stmt = stmt.where(ContractorApplication.status == filters.status)
        return stmt.order_by(
            ContractorApplication.applied_at.desc(), ContractorApplication.id.desc()
        )

    def listing(
        self, filters: Filters, *, offset: int = 0, limit: int = 50
    ) -> Page[ContractorApplication]:
        """Return one page of bids matching ``filters``."""
        return self.page(self.filtered(filters), offset=offset, limit=limit)


def snapshot(app: ContractorApplication) -> dict[str, Any]:
    """Return the audited view of a bid."""
    return {
        "contractor_org_id": app.contractor_org_id,
        "member_org_ids": list(app.member_org_ids),
        "sector": app.sector,
        "status": app.status,
        "decision_note": app.decision_note,
        "statement": app.statement,
    }


def audit(
    session: Session, scope: Scope, action: str, app: ContractorApplication, **kw: Any
) -> None:
    """Record ``programme.contractor_application.<action>`` about a bid."""
    name = f"programme.contractor_application.{action}"
    record_scoped(session, scope, name, "contractor_application", app.id, **kw)


def get(session: Session, scope: Scope, application_id: int) -> ContractorApplication:
    """Return a bid the bureau owns or the contractor leads (404 otherwise)."""
    return ContractorRepository(session, scope).get(application_id)


def owned(session: Session, scope: Scope, application_id: int) -> ContractorApplication:
    """Return a bid made to the scope's own bureau; the contractor gets 404."""
    app = get(session, scope, application_id)
    if app.org_id != scope.org_id:
        raise NotFound("Contractor application %(id)s not found", params={"id": application_id})
    return app


def status_is(app: ContractorApplication, allowed: Sequence[str], action: str) -> None:
    """Refuse ``action`` (a key of ``REFUSED_IN_STATUS``) unless the status is ``allowed``."""
    if app.status not in allowed:
        raise Conflict(REFUSED_IN_STATUS[action], field="status", params={"status": app.status})


def organisations(session: Session, kind: OrgKind, but: int | None = None) -> list[Organisation]:
    """Return the active organisations of ``kind`` by name (a bureau to apply to, members)."""
    stmt = select(Organisation).where(Organisation.kind == kind, Organisation.is_active.is_(True))
    if but is not None:
        stmt = stmt.where(Organisation.id != but)
    return list(session.scalars(stmt.order_by(Organisation.name, Organisation.id)))


def bid_of(app: ContractorApplication) -> engine.Bid:
    """Return the engine's view of a bid: its sector, lead and consortium members."""
    return engine.Bid(app.id, app.sector, app.contractor_org_id, frozenset(app.member_org_ids))


def apply(
    session: Session,
    scope: Scope,
    *,
    bureau_org_id: int,
    sector: str,
    member_org_ids: Iterable[int] = (),
    statement: str = "",
) -> ContractorApplication:
    """Apply, as a contractor, to be a bureau's general contractor for one sector."""
    if scope.org_kind != OrgKind.CONTRACTOR:
        raise PermissionDenied("only a contractor applies to be a general contractor")
    found: list[dict[str, str]] = []
    bureau = session.get(Organisation, bureau_org_id)
    if bureau is None or bureau.kind != OrgKind.BUREAU or not bureau.is_active:
        found.append(detail("bureau_org_id", f"no active bureau {bureau_org_id}"))
    elif sector not in {s.id for s in active_plan(session, bureau.id).sectors}:
        found.append(detail("sector", f"the bureau's plan has no sector {sector!r}"))
    members = list(dict.fromkeys(member_org_ids))
    allowed = {org.id for org in organisations(session, OrgKind.CONTRACTOR, but=scope.org_id)}
    found.extend(
        detail(f"member_org_ids.{org_id}", "not another active contractor organisation")
        for org_id in members
        if org_id not in allowed
    )
    clean = statement.strip()
    if len(clean) > MAX_STATEMENT:
        found.append(detail("statement", f"at most {MAX_STATEMENT} characters"))
    refuse(found)
    mine = session.scalars(
        select(ContractorApplication).where(
            ContractorApplication.org_id == bureau_org_id,
            ContractorApplication.contractor_org_id == scope.org_id,
            ContractorApplication.sector == sector,
            ContractorApplication.status.in_(LIVE),
        )
    ).first()
    if mine is not None:
        raise Conflict(
            "sector: your application %(id)s for this sector is still open",
            field="sector",
            params={"id": mine.id},
        )
    app = ContractorApplication(
        org_id=bureau_org_id,  # the bureau owns it; the lead takes part through its column
        contractor_org_id=scope.org_id,
        sector=sector,
        member_org_ids=members,
        statement=clean,
        status="submitted",
    )
    session.add(app)
    session.flush()
    audit(session, scope, "submitted", app, after=snapshot(app))
    return app


def withdraw(session: Session, scope: Scope, application_id: int) -> ContractorApplication:
    """Withdraw one's own submitted bid (the contractor that leads it)."""
    app = get(session, scope, application_id)
    if app.contractor_org_id != scope.org_id:
        raise NotFound("Contractor application %(id)s not found", params={"id": application_id})
    status_is(app, ("submitted",), "withdraw")
    before = snapshot(app)
    app.status = "withdrawn"
    app.decided_at = utcnow()
    session.flush()
    audit(session, scope, "withdrawn", app, before=before, after=snapshot(app))
    return app


def decline(
    session: Session, scope: Scope, application_id: int, reason: str
) -> ContractorApplication:
    """Decide that a bid is not chosen, for a stated reason (a chosen one is un-chosen)."""
    app = owned(session, scope, application_id)
    status_is(app, LIVE, "decline")
    note = text_of(reason, "reason", MAX_NOTE, required=True)
    before = snapshot(app)
    app.status = "not_chosen"
    app.decision_note = note
    app.decided_at = utcnow()
    session.flush()
    audit(session, scope, "not_chosen", app, before=before, after=snapshot(app))
    return app


def sheets_of(session: Session, ids: Iterable[int]) -> dict[int, list[ContractorScore]]:
    """Return the evaluators' sheets of bids by bid id, by group and evaluator."""
    wanted = set(ids)
    found: dict[int, list[ContractorScore]] = {i: [] for i in wanted}
    if wanted:
        stmt = select(ContractorScore).where(ContractorScore.application_id.in_(wanted))
        order = (ContractorScore.evaluator_group, ContractorScore.evaluator, ContractorScore.id)
        for row in session.scalars(stmt.order_by(*order)):
            found[row.application_id].append(row)
    return found


def enter_sheet(
    session: Session,
    scope: Scope,
    application_id: int,
    *,
    group: str,
    evaluator: str,
    scores: Mapping[str, object],
) -> ContractorScore:
    """Enter an evaluator's sheet on the plan's criteria, or replace that evaluator's sheet."""
    app = owned(session, scope, application_id)
    status_is(app, ("submitted",), "score")
    plan = active_plan(session, app.org_id)
    name, clean, found = check_sheet("evaluator", evaluator, scores, plan.contractor_criteria)
    groups = [g.id for g in plan.evaluator_groups]
    if group not in groups:
        found.insert(0, detail("group", f"one of {', '.join(groups)}"))
    refuse(found)
    row = session.scalars(
        select(ContractorScore).where(
            ContractorScore.application_id == app.id,
            ContractorScore.evaluator_group == group,
            ContractorScore.evaluator == name,
        )
    ).first()
    before = None if row is None else _sheet_view(row)
    if row is None:
        row = ContractorScore(
            org_id=app.org_id, application_id=app.id, evaluator_group=group, evaluator=name
        )
        session.add(row)
    row.scores = clean
    row.entered_by = scope.actor.label
    row.entered_at = utcnow()
    session.flush()
    action = "entered" if before is None else "replaced"
    record_scoped(
        session,
        scope,
        f"programme.contractor_score.{action}",
        "contractor_application",
        app.id,
        before=before,
        after=_sheet_view(row),
    )
    return row


def _sheet_view(row: ContractorScore) -> dict[str, Any]:
    return {"group": row.evaluator_group, "evaluator": row.evaluator, "scores": dict(row.scores)}


def remove_sheet(session: Session, scope: Scope, application_id: int, sheet_id: int) -> None:
    """Remove one evaluator's sheet of a submitted bid."""
    app = owned(session, scope, application_id)
    status_is(app, ("submitted",), "score")
    row = session.scalars(
        select(ContractorScore).where(
            ContractorScore.id == sheet_id, ContractorScore.application_id == app.id
        )
    ).first()
    if row is None:
        raise NotFound("Sheet %(id)s not found", params={"id": sheet_id})
    before = _sheet_view(row)
    session.delete(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.contractor_score.removed",
        "contractor_application",
        app.id,
        before=before,
    )
