"""The N+X survey: each pilot's problems and needs, per business stage of the plan.

A need is recorded for a registry enterprise of the bureau. Its sector is the sector the
enterprise is a pilot of (its ``selected`` application), else its registry sector; whether it
counts towards N is decided by ``needs_lists.classify`` from the sector's selected pilots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.engine import Plan
from loom.modules.programme.models import Enterprise, Need, PilotApplication, Scenario
from loom.modules.programme.service.catalogue import FieldProblem
from loom.modules.programme.service.context import programme_bureau
from loom.modules.programme.service.plans import active_plan

#: a need key names one need across pilots, so it is kept plain: ``bundle-scan``, ``mes_lite``
NEED_KEY = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
LIMITS = {"problem": 500, "need_key": 60, "need_title": 200, "code": 40, "title": 200}


@dataclass(frozen=True)
class NeedIn:
    """One problem and need a pilot reported for a business stage."""

    enterprise_id: int
    stage: str
    problem: str
    need_key: str
    need_title: str
    scenario_code: str = ""


@dataclass(frozen=True)
class SurveyFilters:
    """What the survey table is narrowed by; empty values do not filter."""

    sector: str = ""
    stage: str = ""
    q: str = ""


class NeedRepository(TenantRepository[Need]):
    """The bureau's survey needs."""

    model = Need


def programme_plan(session: Session, scope: Scope) -> Plan:
    """Return the plan the caller's bureau works to (the shipped one outside any programme)."""
    bureau = programme_bureau(session, scope)
    return active_plan(session, scope.org_id if bureau is None else bureau)


def check_sector(plan: Plan, sector: str) -> str:
    """Return ``sector`` if the plan has it; else name the field with the plan's sectors."""
    ids = [s.id for s in plan.sectors]
    if sector not in ids:
        raise ValidationFailed(
            "sector: one of the plan's sectors: %(sectors)s",
            field="sector",
            params={"sectors": ", ".join(ids)},
        )
    return sector


def text_problems(values: dict[str, str]) -> list[FieldProblem]:
    """Return the empty and too long ones of required texts, by field (limits in ``LIMITS``)."""
    found = []
    for name, value in values.items():
        if not value.strip():
            found.append(FieldProblem("must not be empty", name))
        elif len(value.strip()) > LIMITS[name]:
            found.append(FieldProblem("at most %(max)s characters", name, {"max": LIMITS[name]}))
    return found


def stage_problems(plan: Plan, stage: str) -> list[FieldProblem]:
    """Return a problem unless ``stage`` is one of the plan's business stages."""
    stages = [s.id for s in plan.business_stages]
    if stage in stages:
        return []
    return [
        FieldProblem("one of the plan's stages: %(stages)s", "stage", {"stages": ", ".join(stages)})
    ]


def refuse(found: list[FieldProblem]) -> None:
    """Raise one ValidationFailed listing every problem, if there are any."""
    if found:
        # no single ``field``: the error handler would replace the list with that one field
        raise ValidationFailed(
            "check these fields: %(fields)s",
            details=[{"field": p.field, "message": p.message} for p in found],
            params={"fields": ", ".join(p.field for p in found)},
        )


def pilot_sector(session: Session, enterprise: Enterprise) -> str:
    """Return the sector the enterprise is a pilot of, else the sector of its registry entry."""
    chosen = session.scalars(
        select(PilotApplication.sector)
        .where(
            PilotApplication.enterprise_id == enterprise.id,
            PilotApplication.org_id == enterprise.org_id,
            PilotApplication.status == "selected",
        )
        .order_by(PilotApplication.id.desc())
    ).first()
    return chosen or enterprise.sector


def scenario_by_code(session: Session, scope: Scope, code: str) -> Scenario | None:
    """Return the bureau's scenario with this code, if any."""
    stmt = select(Scenario).where(Scenario.org_id == scope.org_id, Scenario.code == code)
    return session.scalars(stmt).first()


def _check_need(
    session: Session, scope: Scope, data: NeedIn
) -> tuple[list[FieldProblem], Enterprise | None, str]:
    plan = programme_plan(session, scope)
    found: list[FieldProblem] = []
    enterprise = session.scalars(
        select(Enterprise).where(
            Enterprise.id == data.enterprise_id, Enterprise.org_id == scope.org_id
        )
    ).first()
    if enterprise is None:
        found.append(FieldProblem("not an enterprise of your registry", "enterprise_id"))
    sector = "" if enterprise is None else pilot_sector(session, enterprise)
    found += stage_problems(plan, data.stage)
    found += text_problems(
        {"problem": data.problem, "need_key": data.need_key, "need_title": data.need_title}
    )
    if data.need_key.strip() and not NEED_KEY.fullmatch(data.need_key.strip()):
        found.append(
            FieldProblem(
                "lower-case letters and digits joined by - or _, e.g. bundle-scan", "need_key"
            )
        )
    code = data.scenario_code.strip()
    if code:
        scenario = scenario_by_code(session, scope, code)
        if scenario is None:
            found.append(
                FieldProblem("no scenario has the code %(code)s", "scenario_code", {"code": code})
            )
        elif sector and scenario.sector != sector:
            found.append(
                FieldProblem(
                    "the scenario belongs to the sector %(sector)s",
                    "scenario_code",
                    {"sector": scenario.sector},
                )
            )
    return found, enterprise, sector


def need_problems(session: Session, scope: Scope, data: NeedIn) -> list[FieldProblem]:
    """Return every bad field of a survey need."""
    return _check_need(session, scope, data)[0]


def need_snapshot(need: Need) -> dict[str, Any]:
    """Return the audited view of a survey need."""
    return {
        "enterprise_id": need.enterprise_id,
        "sector": need.sector,
        "stage": need.stage,
        "problem": need.problem,
        "need_key": need.need_key,
        "need_title": need.need_title,
        "scenario_code": need.scenario_code,
    }


def _refuse_repeat(session: Session, scope: Scope, data: NeedIn, but: int | None) -> None:
    stmt = select(Need.id).where(
        Need.org_id == scope.org_id,
        Need.enterprise_id == data.enterprise_id,
        Need.need_key == data.need_key.strip(),
    )
    if but is not None:
        stmt = stmt.where(Need.id != but)
    if session.scalars(stmt).first() is not None:
        # one pilot reports a need once: the share counts pilots, not rows
        raise Conflict(
            "need_key: this enterprise already reported the need %(key)s",
            field="need_key",
            params={"key": data.need_key.strip()},
        )


def _save_need(session: Session, scope: Scope, data: NeedIn, need: Need | None) -> Need:
    found, _enterprise, sector = _check_need(session, scope, data)
    refuse(found)
    _refuse_repeat(session, scope, data, None if need is None else need.id)
    before = None if need is None else need_snapshot(need)
    if need is None:
        need = Need(org_id=scope.org_id, created_by=scope.actor.label)
        session.add(need)
    need.enterprise_id = data.enterprise_id
    need.sector = sector
    need.stage = data.stage
    need.problem = data.problem.strip()
    need.need_key = data.need_key.strip()
    need.need_title = data.need_title.strip()
    need.scenario_code = data.scenario_code.strip()
    session.flush()
    action = "programme.need.recorded" if before is None else "programme.need.updated"
    record_scoped(session, scope, action, "need", need.id, before=before, after=need_snapshot(need))
    return need


def record_need(session: Session, scope: Scope, data: NeedIn) -> Need:
    """Record a problem and need a registry enterprise reported in the survey."""
    return _save_need(session, scope, data, None)


def get_need(session: Session, scope: Scope, need_id: int) -> Need:
    """Return a survey need of the bureau (404 for anyone else's)."""
    return NeedRepository(session, scope).get(need_id)


def update_need(session: Session, scope: Scope, need_id: int, data: NeedIn) -> Need:
    """Change a survey need; it is checked again as a whole."""
    return _save_need(session, scope, data, get_need(session, scope, need_id))


def delete_need(session: Session, scope: Scope, need_id: int) -> None:
    """Remove a survey need (published lists keep their snapshot)."""
    need = get_need(session, scope, need_id)
    before = need_snapshot(need)
    NeedRepository(session, scope).delete(need)
    record_scoped(session, scope, "programme.need.deleted", "need", need_id, before=before)


def _survey_select(repo: NeedRepository, filters: SurveyFilters) -> Select[Need]:
    stmt = repo.select().join(Enterprise, Enterprise.id == Need.enterprise_id)
    if filters.sector:
        stmt = stmt.where(Need.sector == filters.sector)
    if filters.stage:
        stmt = stmt.where(Need.stage == filters.stage)
    text = filters.q.strip()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            or_(
                Enterprise.name.ilike(like),
                Need.problem.ilike(like),
                Need.need_key.ilike(like),
                Need.need_title.ilike(like),
                Need.scenario_code.ilike(like),
            )
        )
    return stmt.order_by(Enterprise.name, Need.stage, Need.id)


def survey(
    session: Session, scope: Scope, filters: SurveyFilters, *, offset: int = 0, limit: int = 50
) -> Page[Need]:
    """Return one page of survey needs matching ``filters``, by enterprise name."""
    repo = NeedRepository(session, scope)
    return repo.page(_survey_select(repo, filters), offset=offset, limit=limit)


def survey_rows(session: Session, scope: Scope, filters: SurveyFilters) -> list[Need]:
    """Return every survey need matching ``filters``."""
    repo = NeedRepository(session, scope)
    return list(session.scalars(_survey_select(repo, filters)))


def enterprise_names(session: Session, scope: Scope, ids: Iterable[int]) -> dict[int, str]:
    """Return the names of the bureau's registry enterprises by id."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = select(Enterprise.id, Enterprise.name).where(
        Enterprise.id.in_(wanted), Enterprise.org_id == scope.org_id
    )
    return {row.id: row.name for row in session.execute(stmt)}


def sector_enterprises(session: Session, scope: Scope, sector: str) -> list[tuple[int, str, bool]]:
    """Return (id, name, is a selected pilot) of the registry entries surveyed for ``sector``."""
    pilots = set(
        session.scalars(
            select(PilotApplication.enterprise_id).where(
                PilotApplication.org_id == scope.org_id,
                PilotApplication.sector == sector,
                PilotApplication.status == "selected",
            )
        )
    )
    surveyed = Enterprise.sector == sector
    if pilots:
        surveyed = or_(surveyed, Enterprise.id.in_(pilots))
    stmt = (
        select(Enterprise.id, Enterprise.name)
        .where(Enterprise.org_id == scope.org_id, surveyed)
        .order_by(Enterprise.name, Enterprise.id)
    )
    rows = [(row.id, row.name, row.id in pilots) for row in session.execute(stmt)]
    # pilots first: they are who the survey is about
    return sorted(rows, key=lambda r: not r[2])
