"""JSON API of the assessment module (mounted at /api/v1/assessment)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.assessment.models import Assessment, RuleSetVersion
from loom.modules.assessment.schemas import (
    AnswersIn,
    AssessmentCreate,
    AssessmentOut,
    ComparisonOut,
    EvidenceOut,
    PlanIn,
    RescoreIn,
    RuleSetCorrection,
    RuleSetDetail,
    RuleSetOut,
)
from loom.modules.assessment.service import assessments as svc
from loom.modules.assessment.service import evidence as ev
from loom.modules.assessment.service.compare import Change, compare
from loom.modules.assessment.service.planning import PlanRequest, plan_for
from loom.modules.assessment.service.rulesets import (
    get_ruleset,
    list_rulesets,
    publish_correction,
    unverified_items,
)

router = APIRouter(tags=["assessment"])
DB = Depends(get_db, scope="function")


def assessment_out(session: Session, a: Assessment) -> AssessmentOut:
    """Return the API view of an assessment, with its rule-set code."""
    ruleset = session.get(RuleSetVersion, a.ruleset_id)
    data = {k: getattr(a, k) for k in AssessmentOut.model_fields if k != "ruleset"}
    return AssessmentOut(**data, ruleset=ruleset.code if ruleset else "")


def _change(c: Change) -> dict[str, Any]:
    return {"item_id": c.item_id, "before": c.before, "after": c.after, "delta": c.delta}


@router.get("/rulesets", response_model=list[RuleSetOut])
def rulesets(scope: Scope = require("assessment.ruleset.read"), db: Session = DB) -> Any:
    """List rule-set versions, newest first."""
    return list_rulesets(db)


@router.get("/rulesets/{code}", response_model=RuleSetDetail)
def ruleset(code: str, scope: Scope = require("assessment.ruleset.read"), db: Session = DB) -> Any:
    """Return one rule-set version with the items still marked unverified."""
    row = get_ruleset(db, code)
    # Plain JSON numbers (not Decimal, which pydantic would send as strings) so that a client
    # can edit the document and post it back as a correction.
    document = json.loads(row.document_json)
    return RuleSetDetail(
        **RuleSetOut.model_validate(row).model_dump(),
        document=document,
        unverified=unverified_items(document),
    )


@router.post("/rulesets", response_model=RuleSetOut, status_code=201)
def publish(
    body: RuleSetCorrection, scope: Scope = require("assessment.ruleset.manage"), db: Session = DB
) -> Any:
    """Publish a corrected rule set as the next version; assessments keep their own version."""
    return publish_correction(db, scope, body.base, body.document, body.note)


@router.get("/assessments", response_model=PageOut[AssessmentOut])
def list_assessments(
    kind: str = Query("", pattern="^(|self|onsite)$"),
    phase: str = Query("", pattern="^(|before|after)$"),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require("assessment.assessment.read"),
    db: Session = DB,
) -> Any:
    """List assessments of (or, for assessors, by) this organisation."""
    page = svc.AssessmentRepository(db, scope).listing(
        kind=kind, phase=phase, q=q, offset=offset, limit=limit
    )
    items = [assessment_out(db, a) for a in page.items]
    next_offset = page.offset + len(page.items) if page.has_next else None
    return PageOut[AssessmentOut](
        items=items, total=page.total, offset=page.offset, limit=page.limit, next_offset=next_offset
    )


def _create(body: AssessmentCreate, scope: Scope, db: Session) -> AssessmentOut:
    a = svc.create(
        db,
        scope,
        phase=body.phase,
        assessed_on=body.assessed_on,
        title=body.title,
        ruleset=body.ruleset,
        enterprise_org_id=body.enterprise_org_id,
    )
    return assessment_out(db, a)


@router.post("/assessments", response_model=AssessmentOut, status_code=201)
def create_self(
    body: AssessmentCreate, scope: Scope = require("assessment.assessment.write"), db: Session = DB
) -> Any:
    """Start a self-assessment of the caller's enterprise."""
    return _create(body, scope, db)


@router.post("/onsite", response_model=AssessmentOut, status_code=201)
def create_onsite(
    body: AssessmentCreate, scope: Scope = require("assessment.onsite.write"), db: Session = DB
) -> Any:
    """Start an on-site assessment of an enterprise (assessor organisations)."""
    return _create(body, scope, db)


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut)
def read(
    assessment_id: int, scope: Scope = require("assessment.assessment.read"), db: Session = DB
) -> Any:
    """Return one assessment."""
    return assessment_out(db, svc.get(db, scope, assessment_id))


@router.put("/assessments/{assessment_id}/answers", response_model=AssessmentOut)
def save(
    assessment_id: int,
    body: AnswersIn,
    scope: Scope = require("assessment.answers.write"),
    db: Session = DB,
) -> Any:
    """Save draft answers (the author organisation only; checked again in the service)."""
    a = svc.save_answers(db, scope, assessment_id, body.answers, body.scenes, body.note)
    return assessment_out(db, a)


@router.post("/assessments/{assessment_id}/submit", response_model=AssessmentOut)
def submit(
    assessment_id: int, scope: Scope = require("assessment.answers.write"), db: Session = DB
) -> Any:
    """Score and freeze the answers; a 422 lists every problem and nothing is stored."""
    return assessment_out(db, svc.submit(db, scope, assessment_id))


@router.post("/assessments/{assessment_id}/rescore")
def rescore(
    assessment_id: int,
    body: RescoreIn,
    scope: Scope = require("assessment.assessment.read"),
    db: Session = DB,
) -> Any:
    """Score the stored answers under another rule-set version (nothing is changed)."""
    a = svc.get(db, scope, assessment_id)
    return svc.preview(db, a, body.ruleset).to_dict()


@router.delete("/assessments/{assessment_id}", status_code=204)
def delete(
    assessment_id: int, scope: Scope = require("assessment.answers.write"), db: Session = DB
) -> Response:
    """Delete a draft assessment."""
    svc.delete_draft(db, scope, assessment_id)
    return Response(status_code=204)


@router.get("/compare", response_model=ComparisonOut)
def compare_view(
    before: int = Query(...),
    after: int = Query(...),
    scope: Scope = require("assessment.assessment.read"),
    db: Session = DB,
) -> Any:
    """Compare a before and an after assessment of one enterprise."""
    c = compare(svc.get(db, scope, before), svc.get(db, scope, after))
    return ComparisonOut(
        before_id=before,
        after_id=after,
        score=_change(c.score),
        level=_change(c.level),
        indicators=[_change(x) for x in c.indicators],
        scenes=[_change(x) for x in c.scenes],
    )


@router.get("/assessments/{assessment_id}/evidence", response_model=list[EvidenceOut])
def list_evidence(
    assessment_id: int, scope: Scope = require("assessment.assessment.read"), db: Session = DB
) -> Any:
    """List the files attached to an assessment's answers."""
    svc.get(db, scope, assessment_id)
    return ev.EvidenceRepository(db, scope).for_assessment(assessment_id)


@router.post("/assessments/{assessment_id}/evidence", response_model=EvidenceOut, status_code=201)
async def upload_evidence(
    assessment_id: int,
    request: Request,
    item: str = Form(...),
    file: UploadFile = File(...),
    scope: Scope = require("assessment.answers.write"),
    db: Session = DB,
) -> Any:
    """Attach a file (PDF, image, text, CSV, Excel, Word; at most 10 MB) to one answer."""
    data = await file.read(ev.MAX_BYTES + 1)
    return ev.attach(
        db,
        scope,
        runtime_of(request).settings.data_dir,
        assessment_id,
        item_id=item,
        filename=file.filename or "file",
        content_type=file.content_type or "",
        data=data,
    )


@router.get("/evidence/{evidence_id}")
def download_evidence(
    evidence_id: int,
    request: Request,
    scope: Scope = require("assessment.assessment.read"),
    db: Session = DB,
) -> Response:
    """Download an evidence file."""
    row, data = ev.open_file(db, scope, runtime_of(request).settings.data_dir, evidence_id)
    return Response(
        data,
        media_type=row.content_type,
        headers={"Content-Disposition": f'attachment; filename="evidence-{row.id}"'},
    )


@router.delete("/evidence/{evidence_id}", status_code=204)
def delete_evidence(
    evidence_id: int, scope: Scope = require("assessment.answers.write"), db: Session = DB
) -> Response:
    """Detach an evidence file."""
    ev.remove(db, scope, evidence_id)
    return Response(status_code=204)


@router.post("/assessments/{assessment_id}/plan")
def plan(
    http: Request,
    assessment_id: int,
    body: PlanIn,
    scope: Scope = require("assessment.plan.run"),
    db: Session = DB,
) -> Any:
    """Return the minimum-cost plan to the target level (and the best level within a budget)."""
    a = svc.get(db, scope, assessment_id)
    request = PlanRequest(
        target_level=body.target_level, budget_cny=body.budget_cny, subsidy=body.subsidy
    )
    return plan_for(db, a, request, runtime_of(http).apps.values())
