"""Evidence files of investment lines: checked, then stored by content per organisation."""

from __future__ import annotations

import hashlib
from pathlib import Path

from loom.kernel.errors import ValidationFailed

MAX_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


def stored_path(data_dir: Path, org_id: int, sha256: str) -> Path:
    """Return where a file's bytes live (content-addressed under the owner organisation)."""
    return data_dir / "programme" / str(org_id) / sha256


def store(
    data_dir: Path, org_id: int, filename: str, content_type: str, data: bytes
) -> tuple[str, str, int]:
    """Check and keep a file; return its (name, SHA-256, size) for the investment line."""
    if not data:
        raise ValidationFailed("evidence: the file is empty", field="evidence")
    if len(data) > MAX_BYTES:
        raise ValidationFailed("evidence: at most %(mb)s MB", field="evidence", params={"mb": 10})
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ALLOWED_TYPES:
        raise ValidationFailed(
            "evidence: PDF, image, text, CSV, Excel or Word only", field="evidence"
        )
    digest = hashlib.sha256(data).hexdigest()
    path = stored_path(data_dir, org_id, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    name = Path(filename).name.strip()[:255] or digest[:12]
    return name, digest, len(data)
