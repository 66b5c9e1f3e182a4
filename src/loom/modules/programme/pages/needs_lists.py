"""Pages of the published N+X lists: publish, versions, one version, a diff, Excel exports."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.pages.common import DB, PAGE_SIZE, msgid, translator
from loom.modules.programme.pages.needs_common import (
    HOME,
    MANAGE,
    READ,
    chosen_sector,
    labels,
)
from loom.modules.programme.service import needs as svc
from loom.modules.programme.service import needs_lists as lists

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND = "^(|problems|needs|scenarios)$"
#: the columns of each list's sheet, and each column's width
COLUMNS: dict[str, tuple[tuple[str, int], ...]] = {
    "problems": (
        (msgid("Stage"), 16),
        (msgid("Enterprise"), 28),
        (msgid("Need key"), 18),
        (msgid("Problem"), 60),
    ),
    "needs": (
        (msgid("Need key"), 18),
        (msgid("Need"), 30),
        (msgid("N or X"), 8),
        (msgid("Pilots reporting it"), 10),
        (msgid("Pilots of the sector"), 10),
        (msgid("Share (%)"), 10),
        (msgid("Stages"), 24),
        (msgid("Scenarios"), 16),
        (msgid("Pilots behind it"), 40),
    ),
    "scenarios": (
        (msgid("Code"), 10),
        (msgid("Scenario"), 30),
        (msgid("Stage"), 16),
        (msgid("National scenes and levels"), 28),
        (msgid("小快轻准 products"), 36),
        (msgid("Description"), 50),
    ),
}


def _rows(kind: str, items: list[dict[str, Any]], stage: Callable[[str], str]) -> list[list[Any]]:
    """Return a list's items as sheet rows, in the order of ``COLUMNS[kind]``."""
    if kind == "problems":
        return [
            [stage(g["stage"]), p["enterprise"], p["need_key"], p["problem"]]
            for g in items
            for p in g["problems"]
        ]
    if kind == "needs":
        return [
            [
                n["key"],
                n["title"],
                n["kind"],
                n["pilots"],
                n["sector_pilots"],
                None if n["share"] is None else float(n["share"]) * 100,
                "、".join(stage(s) for s in n["stages"]),
                "、".join(n["scenarios"]),
                "、".join(n["enterprises"]),
            ]
            for n in items
        ]
    return [
        [
            s["code"],
            s["title"],
            stage(s["stage"]),
            "；".join(f"{scene} L{level}" for scene, level in sorted(s["scenes"].items())),
            "；".join(p["name"] for p in s["products"]),
            s["description"],
        ]
        for s in items
    ]


def workbook(
    kind: str, items: list[dict[str, Any]], gettext: Callable[..., str], names: dict[str, Any]
) -> bytes:
    """Return one list as an Excel workbook with translated headers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = names["list_names"][kind][:31]
    sheet.append([gettext(title) for title, _width in COLUMNS[kind]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_title, width) in enumerate(COLUMNS[kind], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    stage_names = names["stage_names"]
    for row in _rows(kind, items, lambda s: stage_names.get(s, s)):
        sheet.append(row)
        if kind == "needs":
            sheet.cell(row=sheet.max_row, column=6).number_format = "0.0"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _download(content: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)


@router.post("/needs/publish")
def publish(
    sector: str = Form(..., max_length=30), scope: Scope = require(MANAGE), db: Session = DB
) -> Response:
    """Publish the next version of the sector's three lists (the page asks first)."""
    made = lists.publish(db, scope, sector)
    version = made[0].version
    return RedirectResponse(f"{HOME}/versions?sector={sector}&published={version}", status_code=303)


@router.get("/needs/export.xlsx")
def export_current(
    request: Request,
    sector: str = Query("", max_length=30),
    kind: str = Query("needs", pattern=KIND),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download one of the sector's lists as it stands now, unpublished."""
    plan = svc.programme_plan(db, scope)
    sector = chosen_sector(plan, sector)
    kind = kind or "needs"
    items = lists.current_lists(db, scope, sector)[kind]
    content = workbook(kind, items, translator(request), labels(request, plan))
    return _download(content, f"{sector}-{kind}-current.xlsx")


@router.get("/needs/versions")
def versions(
    request: Request,
    sector: str = Query("", max_length=30),
    kind: str = Query("", pattern=KIND),
    published: int | None = Query(None, ge=1),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the published versions of a sector's lists, newest first."""
    plan = svc.programme_plan(db, scope)
    sector = chosen_sector(plan, sector)
    page = lists.versions(db, scope, sector=sector, kind=kind, offset=offset, limit=PAGE_SIZE)
    context = {
        "tab": "needs",
        "sector": sector,
        "kind": kind,
        "page": page,
        "published": published,
        **labels(request, plan),
    }
    return render(request, "programme/needs_versions.html", context)


@router.get("/needs/versions/{list_id:int}")
def version(
    request: Request, list_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show one published version of a list."""
    row = lists.get_version(db, scope, list_id)
    context = {
        "tab": "needs",
        "row": row,
        "before": lists.previous(db, scope, row),
        **labels(request, svc.programme_plan(db, scope)),
    }
    return render(request, "programme/needs_version.html", context)


@router.get("/needs/versions/{list_id:int}/diff")
def diff(
    request: Request,
    list_id: int,
    against: int | None = Query(None, ge=1),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show what changed in a list from another version (default: the one before)."""
    found = lists.compare(db, scope, list_id, against)
    others = lists.versions(db, scope, sector=found.new.sector, kind=found.new.kind, limit=200)
    context = {
        "tab": "needs",
        "found": found,
        "others": [v for v in others.items if v.id != found.new.id],
        **labels(request, svc.programme_plan(db, scope)),
    }
    return render(request, "programme/needs_diff.html", context)


@router.get("/needs/versions/{list_id:int}/export.xlsx")
def export_version(
    request: Request, list_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download one published version of a list as an Excel workbook."""
    row = lists.get_version(db, scope, list_id)
    names = labels(request, svc.programme_plan(db, scope))
    content = workbook(row.kind, row.items, translator(request), names)
    return _download(content, f"{row.sector}-{row.kind}-v{row.version}.xlsx")
