"""The printable report and the Excel export of one assessment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.engine import InvalidQuestionnaire
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.pages.common import (
    DB,
    READ,
    level_name,
    org_names,
    ruleset_of,
    ruleset_row,
    translator,
)
from loom.modules.assessment.pages.export import XLSX, assessment_workbook
from loom.modules.assessment.pages.results import result_view
from loom.modules.assessment.service import assessments as svc

router = APIRouter()


def _view(db: Session, a: Assessment, gettext: Callable[..., str]) -> dict[str, Any] | None:
    """Return the result view of a submitted assessment, or a draft's provisional one if valid."""
    rules = ruleset_of(ruleset_row(db, a))
    if a.result is not None:
        return result_view(rules, a.result, a.questionnaire, gettext)
    try:
        provisional = svc.preview(db, a)
    except InvalidQuestionnaire:
        return None
    return result_view(rules, dict(provisional.to_dict()), a.questionnaire, gettext)


@router.get("/{assessment_id:int}/report")
def report(
    request: Request, assessment_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a printable report: who, when, which rules, every answer, level and gaps."""
    a = svc.get(db, scope, assessment_id)
    row = ruleset_row(db, a)
    gettext = translator(request)
    context = {
        "a": a,
        "row": row,
        "view": _view(db, a, gettext),
        "orgs": org_names(db, [a.org_id, a.assessor_org_id]),
        "level_name": lambda n: level_name(n, gettext),
    }
    return render(request, "assessment/report.html", context)


@router.get("/{assessment_id:int}.xlsx")
def export(
    request: Request, assessment_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download the assessment as an Excel workbook (summary, indicators, scenes, levels)."""
    a = svc.get(db, scope, assessment_id)
    gettext = translator(request)
    view = _view(db, a, gettext)
    if view is None:
        svc.preview(db, a)  # raises InvalidQuestionnaire listing what is still missing
    assert view is not None
    content = assessment_workbook(a, view, org_names(db, [a.org_id, a.assessor_org_id]), gettext)
    headers = {"Content-Disposition": f'attachment; filename="assessment-{a.id}.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)
