"""JSON API of inline and end-of-line inspections and of the DHU figures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.apps.quality.engine.dhu import DhuRow, dhu
from loom.apps.quality.permissions import INSPECTION_DELETE, INSPECTION_READ, INSPECTION_WRITE
from loom.apps.quality.schemas import (
    DhuRowOut,
    FiguresOut,
    InspectionBody,
    InspectionOut,
    ParetoOut,
    TracedDefectOut,
)
from loom.apps.quality.service import figures as fig
from loom.apps.quality.service import inspections as svc
from loom.apps.quality.service import views
from loom.apps.quality.service.aql import local_today_now
from loom.kernel.authz.guard import require
from loom.kernel.errors import ValidationFailed
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter(prefix="/inspections")
DB = Depends(get_db, scope="function")
InspectionId = Annotated[int, Path(ge=1, le=2_147_483_647)]
KIND = Query("", pattern="^(inline|endline)?$")


def inspection_out(detail: views.Detail) -> InspectionOut:
    """Return the API shape of an inspection."""
    row, shown = detail.inspection, detail.names
    bundle = shown.bundles.get(row.bundle_id or 0)
    value = dhu(row.defects_total, row.pieces_checked)
    return InspectionOut(
        id=row.id,
        kind=row.kind,
        inspected_at=row.inspected_at,
        day=row.day,
        line_id=row.line_id,
        line=shown.line(row.line_id),
        operation_id=row.operation_id,
        operation=shown.operation(row.operation_id),
        operator_id=row.operator_id,
        operator=shown.operator(row.operator_id),
        operator_source=row.operator_source,
        bundle_id=row.bundle_id,
        bundle_no=bundle.number if bundle is not None else None,
        order_id=row.order_id,
        order=shown.order(row.order_id),
        pieces_checked=row.pieces_checked,
        defects_total=row.defects_total,
        defective_pieces=row.defective_pieces,
        dhu=str(value) if value is not None else None,
        inspector=row.inspector,
        note=row.note,
        defects=[
            TracedDefectOut(
                code=d.defect.code if d.defect else "?",
                name=d.defect.name if d.defect else "",
                defect_class=d.defect.defect_class if d.defect else "",
                qty=d.row.qty,
                operation_id=d.row.operation_id,
                operator_id=d.row.operator_id,
                operator=shown.operator(d.row.operator_id),
            )
            for d in detail.defects
        ],
    )


@router.get("", response_model=PageOut[InspectionOut])
def list_inspections(
    q: str = Query("", max_length=100),
    kind: str = KIND,
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    day_from: date | None = None,
    day_to: date | None = None,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Any:
    """List inspections, the latest first; ``q`` finds an operator or a bundle number."""
    page = views.search(
        db,
        scope,
        q=q,
        kind=kind,
        line_id=line_id,
        day_from=day_from,
        day_to=day_to,
        offset=offset,
        limit=limit,
    )
    items = [inspection_out(views.detail(db, scope, row.id)) for row in page.items]
    return PageOut[InspectionOut](
        items=items,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.post("", response_model=InspectionOut, status_code=201)
def create_inspection(
    body: InspectionBody, scope: Scope = require(INSPECTION_WRITE), db: Session = DB
) -> Any:
    """Record an inspection; defects are traced to operators through the scans."""
    row = svc.create(db, scope, body.to_input())
    return inspection_out(views.detail(db, scope, row.id))


def _row(key: str, label: str, row: DhuRow) -> DhuRowOut:
    value = row.dhu
    return DhuRowOut(
        key=key,
        label=label,
        pieces=row.pieces,
        defects=row.defects,
        dhu=str(value) if value is not None else None,
    )


def window_of(
    day_from: date | None, day_to: date | None, kind: str, line_id: int | None
) -> fig.Window:
    """Return the figures' window: the last 14 days by default, at most a year."""
    last = day_to or local_today_now()
    first = day_from or last - timedelta(days=13)
    if first > last:
        raise ValidationFailed("day_from: must not be after day_to", field="day_from")
    if (last - first).days >= fig.MAX_DAYS:
        raise ValidationFailed(
            "day_from: at most %(n)s days", field="day_from", params={"n": fig.MAX_DAYS}
        )
    return fig.Window(first, last, kind, line_id)


@router.get("/figures", response_model=FiguresOut)
def figures(
    day_from: date | None = None,
    day_to: date | None = None,
    kind: str = KIND,
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Any:
    """Return DHU per line, day, operator and operation, and the defect Pareto."""
    found = fig.compute(db, scope, window_of(day_from, day_to, kind, line_id))
    n = found.names
    return FiguresOut(
        first=found.window.first,
        last=found.window.last,
        kind=kind,
        total=_row("all", "", found.total),
        by_line=[_row(str(r.key), n.line(r.key), r) for r in found.by_line],  # type: ignore[arg-type]
        by_day=[_row(str(r.key), str(r.key), r) for r in found.by_day],
        by_operator=[_row(str(r.key), n.operator(r.key), r) for r in found.by_operator],  # type: ignore[arg-type]
        by_operation=[_row(str(r.key), n.operation(r.key), r) for r in found.by_operation],  # type: ignore[arg-type]
        pareto=[
            ParetoOut(
                code=p.key,
                name=found.defect_names.get(p.key, ""),
                count=p.count,
                share=str(p.share),
                cumulative=str(p.cumulative),
            )
            for p in found.pareto
        ],
    )


@router.get("/{inspection_id}", response_model=InspectionOut)
def read_inspection(
    inspection_id: InspectionId, scope: Scope = require(INSPECTION_READ), db: Session = DB
) -> Any:
    """Return one inspection with its traced defects."""
    return inspection_out(views.detail(db, scope, inspection_id))


@router.delete("/{inspection_id}", status_code=204)
def delete_inspection(
    inspection_id: InspectionId, scope: Scope = require(INSPECTION_DELETE), db: Session = DB
) -> Response:
    """Delete an inspection with its defect rows."""
    svc.delete(db, scope, inspection_id)
    return Response(status_code=204)
