"""Rule-set versions: list, detail with unverified items, and the bureau's correction form."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.engine import ProblemsError
from loom.modules.assessment.models import RuleSetVersion
from loom.modules.assessment.pages.common import (
    BASE,
    DB,
    RULES_MANAGE,
    RULES_READ,
    msgid,
    translator,
)
from loom.modules.assessment.service.rulesets import (
    get_ruleset,
    list_rulesets,
    publish_correction,
    unverified_items,
)

router = APIRouter()
FIELDS = (
    ("min_score", "min_score", False),
    ("min_scenes", "min_scenes_at_or_above_level", True),
    ("min_constrained", "min_constrained_scenes_at_or_above_level", True),
)


@router.get("/rulesets")
def ruleset_list(
    request: Request, scope: Scope = require(RULES_READ), db: Session = DB
) -> Response:
    """List every rule-set version with the items still marked unverified."""
    rows = list_rulesets(db)
    unverified = {row.code: unverified_items(row.document) for row in rows}
    return render(request, "assessment/rulesets.html", {"rows": rows, "unverified": unverified})


def _values(row: RuleSetVersion) -> dict[str, str]:
    values: dict[str, str] = {"note": ""}
    for level in row.document["level_rules"]["levels"]:
        for name, key, _whole in FIELDS:
            values[f"{name}.{level['level']}"] = (
                f"{level[key]:g}" if isinstance(level[key], float) else str(level[key])
            )
    return values


def _detail(
    request: Request,
    scope: Scope,
    row: RuleSetVersion,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> Response:
    context: dict[str, Any] = {
        "row": row,
        "level_rules": row.document["level_rules"],
        "provenance": row.document.get("provenance", {}),
        "unverified": unverified_items(row.document),
        "can_manage": scope.can(RULES_MANAGE),
        "values": values or _values(row),
        "errors": errors or {},
        "problems": problems or [],
    }
    status = 422 if errors or problems else 200
    return render(request, "assessment/ruleset.html", context, status=status)


@router.get("/rulesets/{code}")
def ruleset_detail(
    request: Request, code: str, scope: Scope = require(RULES_READ), db: Session = DB
) -> Response:
    """Show one version: level thresholds, provenance and unverified items."""
    return _detail(request, scope, get_ruleset(db, code))


def _number(raw: str, whole: bool) -> int | float | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or (whole and value != value.to_integral_value()):
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@router.post("/rulesets/{code}")
async def publish(
    request: Request, code: str, scope: Scope = require(RULES_MANAGE), db: Session = DB
) -> Response:
    """Publish corrected level thresholds as the next version, or show what is wrong."""
    base = get_ruleset(db, code)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    gettext = translator(request)
    document = copy.deepcopy(base.document)
    errors: dict[str, str] = {}
    for level in document["level_rules"]["levels"]:
        for name, key, whole in FIELDS:
            field = f"{name}.{level['level']}"
            number = _number(values.get(field, ""), whole)
            if number is None:
                hint = (
                    msgid("Enter a whole number, 0 or more.")
                    if whole
                    else msgid("Enter a number, 0 or more.")
                )
                errors[field] = gettext(hint)
            else:
                level[key] = number
        if values.get("verified") == "yes":
            level["verified"] = True
    if values.get("verified") == "yes":
        document["level_rules"]["verified"] = True
    if not values.get("note", "").strip():
        errors["note"] = gettext("note: say what was corrected and on what authority")
    if errors:
        return _detail(request, scope, base, values, errors)
    try:
        row = publish_correction(db, scope, base.code, document, values["note"][:500])
    except ProblemsError as exc:
        db.rollback()
        return _detail(request, scope, base, values, problems=[str(p) for p in exc.problems])
    except DomainError as exc:
        db.rollback()
        errors[exc.field or "note"] = gettext(exc.template, **exc.params)
        return _detail(request, scope, base, values, errors)
    return RedirectResponse(f"{BASE}/rulesets/{row.code}", status_code=303)
