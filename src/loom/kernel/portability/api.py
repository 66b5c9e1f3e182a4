"""Download the caller's organisation as an export archive."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.authz.guard import require
from loom.kernel.portability.archive import export_org
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import organisation_of

router = APIRouter(tags=["portability"])


@router.get("/org/export", response_class=Response)
def download_export(
    scope: Scope = require("kernel.org.export"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Return every row of the caller's organisation as a zip with a checksum manifest."""
    org = organisation_of(db, scope)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.zip"
        manifest = export_org(db, org.slug, path)
        data = path.read_bytes()
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    record_scoped(db, scope, "kernel.org.exported", "organisation", org.id, after={"rows": rows})
    filename = f"loom-{org.slug}-{manifest['exported_at'][:10]}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
