"""Pages of the enterprise registry: the Excel import, and the marked-up sheet of its errors.

A refused upload's error workbook is kept on disk for an hour, one per user (the newest only),
under the data directory; its name is a random token, and only the user who uploaded it can
fetch it. Nothing of it stays in memory between requests.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, NotFound
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.api.registry import WRITE, read_upload, xlsx
from loom.modules.programme.pages.common import BASE, DB, translator
from loom.modules.programme.registry import MAX_BYTES, SheetRejected, error_workbook
from loom.modules.programme.service import registry as svc

#: how long a refused upload's error workbook can be downloaded
KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

router = APIRouter()


def _imports_dir(request: Request) -> Path:
    return runtime_of(request).settings.data_dir / "programme" / "imports"


def _owner_dir(request: Request, scope: Scope) -> Path:
    actor = scope.actor
    who = f"u{actor.user_id}" if actor.user_id else f"t{actor.token_id}"
    return _imports_dir(request) / f"{scope.org_id}-{who}"


def _sweep(root: Path) -> None:
    # stale workbooks of every user go on the next save: no job needed to clean them
    cutoff = time.time() - KEEP_SECONDS
    for path in root.glob("*/*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def keep_error_workbook(request: Request, scope: Scope, content: bytes) -> str:
    """Store ``content`` as the user's only error workbook and return its token."""
    root = _imports_dir(request)
    folder = _owner_dir(request, scope)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink(missing_ok=True)
    _sweep(root)
    token = secrets.token_urlsafe(18)
    (folder / f"{token}.xlsx").write_bytes(content)
    return token


def load_error_workbook(request: Request, scope: Scope, token: str) -> bytes:
    """Return the user's error workbook of ``token``, or raise NotFound (expired, not theirs)."""
    path = _owner_dir(request, scope) / f"{token}.xlsx"
    if not _TOKEN.match(token) or not path.is_file():
        raise NotFound("this error sheet has expired; upload the file again")
    if path.stat().st_mtime < time.time() - KEEP_SECONDS:
        path.unlink(missing_ok=True)
        raise NotFound("this error sheet has expired; upload the file again")
    return path.read_bytes()


def _page(request: Request, status: int = 200, **context: object) -> Response:
    full = {"tab": "registry", "max_mb": MAX_BYTES // (1024 * 1024), **context}
    return render(request, "programme/registry_import.html", full, status=status)


@router.get("/registry/import")
def registry_import_page(request: Request, scope: Scope = require(WRITE)) -> Response:
    """Show the upload form and how to fill in the sheet."""
    return _page(request)


@router.post("/registry/import")
async def registry_import(
    request: Request,
    file: UploadFile = File(...),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Import a clean sheet whole, or list every problem and offer the marked-up sheet."""
    data = await read_upload(file)
    filename = file.filename or ""
    try:
        outcome = svc.import_workbook(db, scope, data)
        errors = outcome.result.errors
        if not errors:
            count = len(outcome.created)
            return RedirectResponse(f"{BASE}/registry?imported={count}", status_code=303)
        token = keep_error_workbook(request, scope, error_workbook(data, errors))
    except SheetRejected as exc:
        return _page(request, 422, rejected=str(exc), filename=filename)
    except DomainError as exc:
        db.rollback()
        rejected = translator(request)(exc.template, **exc.params)
        return _page(request, exc.status_code, rejected=rejected, filename=filename)
    return _page(request, 422, errors=errors, token=token, filename=filename)


@router.get("/registry/import/errors/{token}.xlsx")
def registry_import_errors(request: Request, token: str, scope: Scope = require(WRITE)) -> Response:
    """Download the last refused upload with its problems marked."""
    return xlsx(load_error_workbook(request, scope, token), "registry-errors.xlsx")
