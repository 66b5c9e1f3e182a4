"""Application scenarios of the N+X lists: each answers needs and maps to national scenes.

A scenario's scenes (S01–S16) and levels are checked against the assessment's rule set, and the
小快轻准 products that name its code are read from the public catalogue.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.engine import CompiledRules
from loom.modules.assessment.service.rulesets import compiled_rules, get_ruleset
from loom.modules.programme.models import Need, Product, Scenario
from loom.modules.programme.service.catalogue import ALL_TENANTS, FieldProblem, public_products
from loom.modules.programme.service.needs import (
    programme_plan,
    refuse,
    scenario_by_code,
    stage_problems,
    text_problems,
)

SCENARIO_CODE = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class ScenarioIn:
    """An application scenario of a sector, with the national scenes and levels it delivers."""

    code: str
    title: str
    sector: str
    stage: str
    scenes: dict[str, int] = field(default_factory=dict)
    description: str = ""


class ScenarioRepository(TenantRepository[Scenario]):
    """The bureau's application scenarios."""

    model = Scenario


def index_rules(session: Session) -> CompiledRules:
    """Return the newest national index rules: the scene ids and levels scenarios may name."""
    return compiled_rules(get_ruleset(session, None))


def scenario_problems(
    session: Session, scope: Scope, data: ScenarioIn, rules: CompiledRules | None = None
) -> list[FieldProblem]:
    """Return every bad field of a scenario; scenes are checked against the national index."""
    plan = programme_plan(session, scope)
    rules = rules or index_rules(session)
    found = text_problems({"code": data.code, "title": data.title})
    if data.code.strip() and not SCENARIO_CODE.fullmatch(data.code.strip()):
        found.append(FieldProblem("letters and digits joined by -, _ or ., e.g. N05", "code"))
    sectors = [s.id for s in plan.sectors]
    if data.sector not in sectors:
        found.append(
            FieldProblem(
                "one of the plan's sectors: %(sectors)s", "sector", {"sectors": ", ".join(sectors)}
            )
        )
    found += stage_problems(plan, data.stage)
    scene_max = dict(zip(rules.scene_ids, rules.scene_max_level, strict=True))
    for scene, level in data.scenes.items():
        top = scene_max.get(scene)
        if top is None:
            found.append(FieldProblem("not a scene of the national index", f"scenes.{scene}"))
        elif type(level) is not int or not 1 <= level <= top:
            found.append(FieldProblem("a level from 1 to %(top)s", f"scenes.{scene}", {"top": top}))
    if not data.scenes:
        found.append(FieldProblem("name at least one national scene and its level", "scenes"))
    if len(data.description.strip()) > DESCRIPTION_MAX:
        found.append(
            FieldProblem("at most %(max)s characters", "description", {"max": DESCRIPTION_MAX})
        )
    return found


def scenario_snapshot(row: Scenario) -> dict[str, Any]:
    """Return the audited view of a scenario."""
    return {
        "code": row.code,
        "title": row.title,
        "sector": row.sector,
        "stage": row.stage,
        "scenes": dict(sorted(row.scenes.items())),
        "description": row.description,
    }


def needs_per_scenario(session: Session, scope: Scope) -> Counter[tuple[str, str]]:
    """Return how many survey needs point to each scenario code, by (code, sector)."""
    stmt = (
        select(Need.scenario_code, Need.sector, func.count())
        .where(Need.org_id == scope.org_id, Need.scenario_code != "")
        .group_by(Need.scenario_code, Need.sector)
    )
    return Counter({(code, sector): n for code, sector, n in session.execute(stmt)})


def _save_scenario(
    session: Session, scope: Scope, data: ScenarioIn, row: Scenario | None
) -> Scenario:
    refuse(scenario_problems(session, scope, data))
    code = data.code.strip()
    taken = scenario_by_code(session, scope, code)
    if taken is not None and taken is not row:
        raise Conflict(
            "code: a scenario already has the code %(code)s", field="code", params={"code": code}
        )
    before = None if row is None else scenario_snapshot(row)
    if row is not None:
        pointing = needs_per_scenario(session, scope)
        elsewhere = sum(n for (c, s), n in pointing.items() if c == row.code and s != data.sector)
        if elsewhere:
            raise Conflict(
                "sector: %(count)s survey needs of another sector point to this scenario",
                field="sector",
                params={"count": elsewhere},
            )
        if code != row.code:
            # a renamed scenario keeps its needs: they follow the new code
            session.execute(
                update(Need)
                .where(Need.org_id == scope.org_id, Need.scenario_code == row.code)
                .values(scenario_code=code)
            )
    else:
        row = Scenario(org_id=scope.org_id)
        session.add(row)
    row.code = code
    row.title = data.title.strip()
    row.sector = data.sector
    row.stage = data.stage
    row.scenes = dict(sorted(data.scenes.items()))
    row.description = data.description.strip()
    session.flush()
    action = "programme.scenario.created" if before is None else "programme.scenario.updated"
    record_scoped(
        session, scope, action, "scenario", row.id, before=before, after=scenario_snapshot(row)
    )
    return row


def create_scenario(session: Session, scope: Scope, data: ScenarioIn) -> Scenario:
    """Add a scenario of a sector, mapped to national scenes and levels."""
    return _save_scenario(session, scope, data, None)


def get_scenario(session: Session, scope: Scope, scenario_id: int) -> Scenario:
    """Return a scenario of the bureau (404 for anyone else's)."""
    return ScenarioRepository(session, scope).get(scenario_id)


def update_scenario(session: Session, scope: Scope, scenario_id: int, data: ScenarioIn) -> Scenario:
    """Change a scenario; a new code is carried over to the needs that point to it."""
    return _save_scenario(session, scope, data, get_scenario(session, scope, scenario_id))


def delete_scenario(session: Session, scope: Scope, scenario_id: int) -> None:
    """Remove a scenario no survey need points to."""
    row = get_scenario(session, scope, scenario_id)
    count = sum(
        n for (code, _s), n in needs_per_scenario(session, scope).items() if code == row.code
    )
    if count:
        raise Conflict(
            "%(count)s survey needs point to this scenario: point them elsewhere first",
            params={"count": count},
        )
    before = scenario_snapshot(row)
    ScenarioRepository(session, scope).delete(row)
    record_scoped(
        session, scope, "programme.scenario.deleted", "scenario", scenario_id, before=before
    )


def scenarios(session: Session, scope: Scope, sector: str = "") -> list[Scenario]:
    """Return the bureau's scenarios, of one sector if given, by code."""
    stmt = ScenarioRepository(session, scope).select()
    if sector:
        stmt = stmt.where(Scenario.sector == sector)
    return list(session.scalars(stmt.order_by(Scenario.code)))


def linked_products(session: Session, codes: Iterable[str]) -> dict[str, list[Product]]:
    """Return the published 小快轻准 products of any contractor by the scenario code they name.

    The catalogue is public by design; this is its explicit all-tenants read.
    """
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    stmt = public_products().where(Product.scenario_code.in_(wanted))
    found: dict[str, list[Product]] = {}
    for product in session.scalars(stmt, execution_options=ALL_TENANTS):
        found.setdefault(product.scenario_code, []).append(product)
    return found
