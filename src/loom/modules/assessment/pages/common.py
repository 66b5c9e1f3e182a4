"""Shared helpers of the assessment pages: rule sets, form parsing, labels, permissions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from loom.kernel.errors import Conflict, PermissionDenied
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import organisation_names
from loom.kernel.web.templating import page_context
from loom.modules.assessment.engine import Problem, RuleSet
from loom.modules.assessment.models import Assessment, RuleSetVersion
from loom.modules.assessment.service.rulesets import compiled_rules

BASE = "/apps/assessment"
DB = Depends(get_db, scope="function")
READ = "assessment.assessment.read"
WRITE = "assessment.assessment.write"
ONSITE = "assessment.onsite.write"
PLAN = "assessment.plan.run"
RULES_READ = "assessment.ruleset.read"
RULES_MANAGE = "assessment.ruleset.manage"
ITEM_OF_PATH = re.compile(r"^(?:answers|scenes)\.([A-Za-z0-9_]+)")


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def ruleset_of(row: RuleSetVersion) -> RuleSet:
    """Return the parsed rule set of a stored version (cached with its compiled rules)."""
    return compiled_rules(row).ruleset


def ruleset_row(db: Session, a: Assessment) -> RuleSetVersion:
    """Return the rule-set version an assessment is scored with."""
    row = db.get(RuleSetVersion, a.ruleset_id)
    assert row is not None  # a foreign key holds it
    return row


def author_org(a: Assessment) -> int | None:
    """Return the organisation that writes the assessment (assessor for on-site ones)."""
    return a.assessor_org_id if a.kind == "onsite" else a.org_id


def can_edit(scope: Scope, a: Assessment) -> bool:
    """Return whether the caller may change the answers of ``a`` now."""
    permission = ONSITE if a.kind == "onsite" else WRITE
    return a.status == "draft" and author_org(a) == scope.org_id and scope.can(permission)


def check_edit(scope: Scope, a: Assessment) -> None:
    """Refuse callers that may read but not write this assessment (members, the enterprise)."""
    if author_org(a) == scope.org_id and not scope.can(ONSITE if a.kind == "onsite" else WRITE):
        raise PermissionDenied("only managers fill in and submit assessments")


def check_files(scope: Scope, a: Assessment) -> None:
    """Refuse to attach or detach files except by the author, while the assessment is a draft."""
    if a.status != "draft":
        raise Conflict("this assessment is submitted; start a new one to change answers")
    if not can_edit(scope, a):
        raise PermissionDenied("only the organisation that writes this assessment may change it")


def org_names(db: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Return organisation names by id (one query for a whole listing)."""
    return organisation_names(db, ids)


def _number(raw: str) -> int | float | str:
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return raw  # the engine names it: "expected a number"
    if not value.is_finite():
        return raw
    return int(value) if value == value.to_integral_value() else float(value)


def questionnaire_from_form(
    ruleset: RuleSet, form: FormData
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (answers, scenes) as typed in the questionnaire form; blanks are left out."""
    answers: dict[str, Any] = {}
    for ind in ruleset.indicators():
        key = f"a.{ind.id}"
        if ind.type == "single":
            value = str(form.get(key) or "")
            if value:
                answers[ind.id] = value
        elif ind.type == "multi":
            ticked = [str(v) for v in form.getlist(key) if v]
            if ticked:
                answers[ind.id] = ticked
        elif ind.rate is not None:
            figures: dict[str, Any] = {}
            for field in (ind.rate.numerator, ind.rate.denominator):
                raw = str(form.get(f"r.{ind.id}.{field.id}") or "").strip()
                if field.shared_from is None and raw:
                    figures[field.id] = _number(raw)
            if figures:
                answers[ind.id] = figures
    scenes: dict[str, Any] = {}
    for scene in ruleset.scenes():
        raw = str(form.get(f"s.{scene.id}") or "").strip()
        if raw:
            scenes[scene.id] = int(raw) if raw.isdigit() else raw
    return answers, scenes


PROBLEM_WORDS = (
    (re.compile(r"^missing answer \(required\)$"), msgid("not answered (required)")),
    (re.compile(r"^missing level"), msgid("choose a level (0 = not reached)")),
    (re.compile(r"^tick at least one option"), msgid("tick at least one option")),
    (
        re.compile(r"excludes every other option"),
        msgid("the “none” option cannot be ticked with other options"),
    ),
    (re.compile(r"^missing"), msgid("enter this number")),
    (re.compile(r"^expected a number"), msgid("enter a number")),
    (re.compile(r"^must not be negative"), msgid("must not be negative")),
    (re.compile(r"^must be a whole number"), msgid("enter a whole number")),
)


def problem_rows(
    problems: Iterable[Problem], ruleset: RuleSet, gettext: Callable[..., str]
) -> list[dict[str, str]]:
    """Return each problem with its item id, item name and a translated explanation."""
    names = {i.id: i.name for i in ruleset.indicators()} | {s.id: s.name for s in ruleset.scenes()}
    rows = []
    for p in problems:
        match = ITEM_OF_PATH.match(p.path)
        item = match.group(1) if match else ""
        words = next((gettext(w) for pattern, w in PROBLEM_WORDS if pattern.search(p.message)), "")
        rows.append(
            {
                "item": item,
                "name": names.get(item, ""),
                "path": p.path,
                "text": words or p.message,
                "detail": p.message,
            }
        )
    return rows


def level_name(level: int | None, gettext: Callable[..., str]) -> str:
    """Return "Level 2" or "Not graded" in the page's language."""
    if level is None:
        return "—"
    if level <= 0:
        return gettext(msgid("Not graded"))
    return gettext(msgid("Level %(n)s"), n=level)
