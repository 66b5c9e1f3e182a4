"""Pages of the N+X scenarios: add, change and remove a sector's application scenarios."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from loom.kernel.authz.guard import require
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.engine import CompiledRules
from loom.modules.programme.models import Scenario
from loom.modules.programme.pages.common import DB, translator
from loom.modules.programme.pages.needs_common import (
    HOME,
    MANAGE,
    chosen_sector,
    labels,
    translated,
)
from loom.modules.programme.service import needs as svc
from loom.modules.programme.service import needs_scenarios as scen

router = APIRouter()
TEXT_FIELDS = ("code", "title", "sector", "stage", "description")


def scenario_rows(db: Session, scope: Scope, rows: Sequence[Scenario]) -> dict[str, Any]:
    """Return scenarios with the products that name them, their needs and the scene names."""
    pointing = scen.needs_per_scenario(db, scope)
    rules = scen.index_rules(db)
    return {
        "scenarios": rows,
        "products": scen.linked_products(db, [r.code for r in rows]),
        "need_counts": {
            r.code: sum(n for (code, _s), n in pointing.items() if code == r.code) for r in rows
        },
        "scene_names": {s.id: s.name for s in rules.ruleset.scenes()},
    }


def _values(form: FormData, rules: CompiledRules) -> dict[str, Any]:
    values: dict[str, Any] = {key: str(form.get(key) or "") for key in TEXT_FIELDS}
    values["scenes"] = {s: str(form.get(f"s.{s}") or "") for s in rules.scene_ids}
    return values


def _scenario_of(values: dict[str, Any]) -> scen.ScenarioIn:
    # an unreadable level becomes -1, which the service names as out of range
    levels = {s: int(v) if v.isdigit() else -1 for s, v in values["scenes"].items() if v}
    return scen.ScenarioIn(
        code=values["code"],
        title=values["title"],
        sector=values["sector"],
        stage=values["stage"],
        scenes=levels,
        description=values["description"],
    )


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, Any],
    errors: dict[str, str],
    scenario: Scenario | None = None,
) -> Response:
    rules = scen.index_rules(db)
    context = {
        "tab": "needs",
        "values": values,
        "errors": errors,
        "scenario": scenario,
        "scenes": list(rules.ruleset.scenes()),
        **labels(request, svc.programme_plan(db, scope)),
    }
    status = 422 if errors else 200
    return render(request, "programme/needs_scenario_form.html", context, status=status)


async def _save(request: Request, db: Session, scope: Scope, scenario: Scenario | None) -> Response:
    """Save the scenario, or show the form again with every bad field named."""
    gettext = translator(request)
    rules = scen.index_rules(db)
    values = _values(await request.form(), rules)
    data = _scenario_of(values)
    errors = translated(gettext, scen.scenario_problems(db, scope, data, rules))
    if not errors:
        try:
            if scenario is None:
                saved = scen.create_scenario(db, scope, data)
            else:
                saved = scen.update_scenario(db, scope, scenario.id, data)
        except Conflict as exc:
            db.rollback()
            errors = {exc.field or "code": gettext(exc.template, **exc.params)}
        else:
            return RedirectResponse(f"{HOME}?sector={saved.sector}#scenarios", status_code=303)
    return _form_page(request, db, scope, values, errors, scenario)


@router.get("/needs/scenarios/new")
def new_scenario(
    request: Request,
    sector: str = Query("", max_length=30),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Show the form that adds a scenario to a sector."""
    sector = chosen_sector(svc.programme_plan(db, scope), sector)
    return _form_page(request, db, scope, {"sector": sector, "scenes": {}}, {})


@router.post("/needs/scenarios/new")
async def create_scenario(
    request: Request, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Add the scenario, or show the form again with the problems."""
    return await _save(request, db, scope, None)


@router.get("/needs/scenarios/{scenario_id:int}/edit")
def edit_scenario(
    request: Request, scenario_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Show the form that changes a scenario."""
    row = scen.get_scenario(db, scope, scenario_id)
    values: dict[str, Any] = {key: str(getattr(row, key)) for key in TEXT_FIELDS}
    values["scenes"] = {s: str(level) for s, level in row.scenes.items()}
    return _form_page(request, db, scope, values, {}, row)


@router.post("/needs/scenarios/{scenario_id:int}/edit")
async def save_scenario(
    request: Request, scenario_id: int, scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Save the changed scenario; needs pointing to it follow a new code."""
    row = scen.get_scenario(db, scope, scenario_id)  # 404 first for another bureau's id
    return await _save(request, db, scope, row)


@router.post("/needs/scenarios/{scenario_id:int}/delete")
def delete_scenario(scenario_id: int, scope: Scope = require(MANAGE), db: Session = DB) -> Response:
    """Remove a scenario no need points to (the page asks first; 409 names the needs)."""
    sector = scen.get_scenario(db, scope, scenario_id).sector
    scen.delete_scenario(db, scope, scenario_id)
    return RedirectResponse(f"{HOME}?sector={sector}#scenarios", status_code=303)
