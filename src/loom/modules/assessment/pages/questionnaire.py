"""The questionnaire (draft), its result (submitted), evidence files and the rescore preview."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.engine import InvalidQuestionnaire
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.pages.common import (
    BASE,
    DB,
    PLAN,
    READ,
    can_edit,
    check_edit,
    check_files,
    level_name,
    msgid,
    org_names,
    problem_rows,
    questionnaire_from_form,
    ruleset_of,
    ruleset_row,
    translator,
)
from loom.modules.assessment.pages.results import result_view
from loom.modules.assessment.service import assessments as svc
from loom.modules.assessment.service import evidence as ev
from loom.modules.assessment.service.rulesets import list_rulesets

router = APIRouter()


def _page(
    request: Request,
    db: Session,
    scope: Scope,
    a: Assessment,
    *,
    entered: dict[str, Any] | None = None,
    problems: list[dict[str, str]] | None = None,
    notice: str = "",
    rescore: str = "",
) -> Response:
    row = ruleset_row(db, a)
    rules = ruleset_of(row)
    files: dict[str, list[Any]] = defaultdict(list)
    for f in ev.EvidenceRepository(db, scope).for_assessment(a.id):
        files[f.item_id].append(f)
    platform = ev.platform_evidence(db, scope, runtime_of(request).apps, a)
    gettext = translator(request)
    context: dict[str, Any] = {
        "a": a,
        "row": row,
        "rules": rules,
        "q": entered or a.questionnaire,
        "problems": problems or [],
        "by_item": {p["item"]: p for p in reversed(problems or [])},
        "files": files,
        "platform": platform,
        "editable": can_edit(scope, a),
        "can_plan": scope.can(PLAN),
        "orgs": org_names(db, [a.org_id, a.assessor_org_id]),
        "notice": notice,
        "level_name": lambda n: level_name(n, gettext),
    }
    if a.status == "submitted" and a.result is not None:
        context["view"] = result_view(rules, a.result, a.questionnaire, gettext)
        context["rulesets"] = list_rulesets(db)
        context["rescore"] = rescore
        if rescore:
            try:
                other = svc.preview(db, a, rescore)
                context["other"] = result_view(
                    other.rules.ruleset, dict(other.to_dict()), a.questionnaire, gettext
                )
            except InvalidQuestionnaire as exc:
                context["other_problems"] = problem_rows(exc.problems, rules, gettext)
        return render(request, "assessment/result.html", context)
    status = 422 if problems else 200
    return render(request, "assessment/questionnaire.html", context, status=status)


@router.get("/{assessment_id:int}")
def questionnaire(
    request: Request,
    assessment_id: int,
    saved: int = Query(0),
    rescore: str = Query("", max_length=80),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the questionnaire of a draft, or the result of a submitted assessment."""
    a = svc.get(db, scope, assessment_id)
    notice = translator(request)(msgid("Draft saved.")) if saved else ""
    return _page(request, db, scope, a, notice=notice, rescore=rescore)


@router.post("/{assessment_id:int}")
async def save_or_submit(
    request: Request, assessment_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Save the draft, or submit it; a refused submission lists every problem and keeps input."""
    a = svc.get(db, scope, assessment_id)
    check_edit(scope, a)
    form = await request.form()
    rules = ruleset_of(ruleset_row(db, a))
    answers, scenes = questionnaire_from_form(rules, form)
    note = str(form.get("note") or "")
    svc.save_answers(db, scope, a.id, answers, scenes, note)
    if form.get("action") != "submit":
        return RedirectResponse(f"{BASE}/{a.id}?saved=1", status_code=303)
    try:
        svc.submit(db, scope, a.id)
    except InvalidQuestionnaire as exc:
        db.rollback()  # a refused submission stores nothing, not even the draft
        a = svc.get(db, scope, assessment_id)
        rows = problem_rows(exc.problems, rules, translator(request))
        entered = {"answers": answers, "scenes": scenes, "note": note}
        return _page(request, db, scope, a, entered=entered, problems=rows)
    return RedirectResponse(f"{BASE}/{a.id}", status_code=303)


@router.post("/{assessment_id:int}/delete")
def delete_draft(assessment_id: int, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Delete a draft (the page asks for confirmation first)."""
    check_edit(scope, svc.get(db, scope, assessment_id))
    svc.delete_draft(db, scope, assessment_id)
    return RedirectResponse(f"{BASE}/", status_code=303)


@router.post("/{assessment_id:int}/evidence")
async def upload_evidence(
    request: Request,
    assessment_id: int,
    item: str = Form(...),
    file: UploadFile = File(...),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Attach a file to one answer and return to the questionnaire at that item."""
    a = svc.get(db, scope, assessment_id)
    check_files(scope, a)
    data = await file.read(ev.MAX_BYTES + 1)
    try:
        ev.attach(
            db,
            scope,
            runtime_of(request).settings.data_dir,
            a.id,
            item_id=item,
            filename=file.filename or "file",
            content_type=file.content_type or "",
            data=data,
        )
    except DomainError as exc:
        db.rollback()
        a = svc.get(db, scope, assessment_id)
        notice = translator(request)(exc.template, **exc.params)
        rows = [{"item": item, "name": "", "path": item, "text": notice, "detail": ""}]
        return _page(request, db, scope, a, problems=rows)
    return RedirectResponse(f"{BASE}/{a.id}#item-{item}", status_code=303)


@router.get("/evidence/{evidence_id:int}")
def download_evidence(
    request: Request, evidence_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download an evidence file under its own name."""
    row, data = ev.open_file(db, scope, runtime_of(request).settings.data_dir, evidence_id)
    ascii_name = row.filename.encode("ascii", "replace").decode().replace('"', "")
    headers = {"Content-Disposition": f'attachment; filename="{ascii_name}"'}
    return Response(data, media_type=row.content_type, headers=headers)


@router.post("/evidence/{evidence_id:int}/delete")
def delete_evidence(evidence_id: int, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Detach an evidence file and return to its item."""
    row = ev.EvidenceRepository(db, scope).get(evidence_id)
    check_files(scope, svc.get(db, scope, row.assessment_id))
    assessment_id, item = row.assessment_id, row.item_id
    ev.remove(db, scope, evidence_id)
    return RedirectResponse(f"{BASE}/{assessment_id}#item-{item}", status_code=303)
