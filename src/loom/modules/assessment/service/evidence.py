"""Evidence: files attached to answers, and what Loom's own apps can prove."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.plugins.enablement import enabled_apps
from loom.kernel.plugins.spec import AppSpec, Evidence
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.models import Assessment, EvidenceFile
from loom.modules.assessment.service.assessments import editable

MAX_BYTES = 10 * 1024 * 1024
ITEM_ID = re.compile(r"^(?:[BMR][1-9]|S(?:0[1-9]|1[0-9]))$")
ALLOWED_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


class EvidenceRepository(TenantRepository[EvidenceFile]):
    """Evidence files visible to the scope (owner enterprise or assessor)."""

    model = EvidenceFile

    def for_assessment(self, assessment_id: int) -> list[EvidenceFile]:
        """Return an assessment's files, by item then time."""
        stmt = self.select().where(EvidenceFile.assessment_id == assessment_id)
        return list(self.session.scalars(stmt.order_by(EvidenceFile.item_id, EvidenceFile.id)))


def storage_path(data_dir: Path, org_id: int, sha256: str) -> Path:
    """Return where a file's bytes live (content-addressed per organisation)."""
    return data_dir / "evidence" / str(org_id) / sha256


def attach(
    session: Session,
    scope: Scope,
    data_dir: Path,
    assessment_id: int,
    *,
    item_id: str,
    filename: str,
    content_type: str,
    data: bytes,
) -> EvidenceFile:
    """Store a file for one answer of an assessment the caller may see."""
    # Only the author may attach, and only while the assessment is a draft.
    assessment: Assessment = editable(session, scope, assessment_id)
    if not ITEM_ID.match(item_id):
        raise ValidationFailed("item: an indicator (B1…R4) or scene (S01…S16) id", field="item")
    if not data:
        raise ValidationFailed("file: the file is empty", field="file")
    if len(data) > MAX_BYTES:
        raise ValidationFailed("file: at most %(mb)s MB", field="file", params={"mb": 10})
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ALLOWED_TYPES:
        raise ValidationFailed("file: PDF, image, text, CSV, Excel or Word only", field="file")
    digest = hashlib.sha256(data).hexdigest()
    path = storage_path(data_dir, assessment.org_id, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    row = EvidenceFile(
        org_id=assessment.org_id,
        assessor_org_id=assessment.assessor_org_id,
        assessment_id=assessment.id,
        item_id=item_id,
        filename=Path(filename).name[:255] or "file",
        content_type=kind,
        size=len(data),
        sha256=digest,
        uploaded_by=scope.actor.label,
    )
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "assessment.evidence.attached",
        "evidence",
        row.id,
        after={
            "assessment": assessment.id,
            "item": item_id,
            "file": row.filename,
            "sha256": digest,
            "size": row.size,
        },
    )
    return row


def open_file(
    session: Session, scope: Scope, data_dir: Path, evidence_id: int
) -> tuple[EvidenceFile, bytes]:
    """Return an evidence row and its bytes (404 for files of other organisations)."""
    row = EvidenceRepository(session, scope).get(evidence_id)
    path = storage_path(data_dir, row.org_id, row.sha256)
    if not path.is_file():
        raise NotFound("the file's content is missing from storage", field="evidence")
    return row, path.read_bytes()


def remove(session: Session, scope: Scope, evidence_id: int) -> None:
    """Detach a file (its bytes stay while another row uses them)."""
    repo = EvidenceRepository(session, scope)
    row = repo.get(evidence_id)
    editable(session, scope, row.assessment_id)
    before = {"assessment": row.assessment_id, "item": row.item_id, "file": row.filename}
    repo.delete(row)
    record_scoped(
        session, scope, "assessment.evidence.removed", "evidence", evidence_id, before=before
    )


@dataclass(frozen=True)
class PlatformEvidence:
    """What one app proves for one item, as shown next to the question."""

    app: str
    evidence: Evidence


def platform_evidence(
    session: Session, scope: Scope, apps: dict[str, AppSpec], assessment: Assessment
) -> dict[str, list[PlatformEvidence]]:
    """Ask every app enabled for the assessed enterprise what it can prove, by item id."""
    org = session.scalar(select(Organisation).where(Organisation.id == assessment.org_id))
    if org is None or assessment.org_id != scope.org_id:
        # Providers read the enterprise's own data; assessors see what the enterprise saw.
        return {}
    found: dict[str, list[PlatformEvidence]] = {}
    for spec in enabled_apps(session, org, apps):
        for provider in spec.evidence_providers:
            for item in provider(session, scope):
                found.setdefault(item.item_id, []).append(PlatformEvidence(spec.slug, item))
    return found
