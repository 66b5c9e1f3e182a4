"""JSON API of the energy app: meters, readings, file upload, revenue, consumption and R1."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session

from loom.apps.energy.permissions import (
    METER_DELETE,
    METER_WRITE,
    READ,
    READING_DELETE,
    READING_WRITE,
    REVENUE_READ,
    REVENUE_WRITE,
)
from loom.apps.energy.schemas import (
    ChangeOut,
    ConsumptionOut,
    DayOut,
    MeterBody,
    MeterOut,
    ReadingBody,
    ReadingOut,
    RevenueBody,
    RevenueOut,
    UploadOut,
    UploadProblemOut,
)
from loom.apps.energy.service import figures, meters, readings, revenue, upload
from loom.apps.energy.service.times import local_today
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.masterdata.service.lines import LineRepository

router = APIRouter()
DB = Depends(get_db, scope="function")
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/meters", response_model=PageOut[MeterOut])
def list_meters(
    q: str = Query("", max_length=100),
    kind: str = Query("", max_length=40),
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List the enterprise's meters by code, searched in code, name and note."""
    page = meters.search(db, scope, q=q, kind=kind, line_id=line_id, offset=offset, limit=limit)
    return PageOut[MeterOut](
        items=[MeterOut.of(m) for m in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.post("/meters", response_model=MeterOut, status_code=201)
def create_meter(body: MeterBody, scope: Scope = require(METER_WRITE), db: Session = DB) -> Any:
    """Add a meter; a 422 names every bad field."""
    return MeterOut.of(meters.create(db, scope, body.to_input()))


@router.get("/meters/{meter_id}", response_model=MeterOut)
def read_meter(meter_id: RowId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one meter."""
    return MeterOut.of(meters.MeterRepository(db, scope).get(meter_id))


@router.put("/meters/{meter_id}", response_model=MeterOut)
def update_meter(
    meter_id: RowId, body: MeterBody, scope: Scope = require(METER_WRITE), db: Session = DB
) -> Any:
    """Replace a meter's fields."""
    return MeterOut.of(meters.update(db, scope, meter_id, body.to_input()))


@router.delete("/meters/{meter_id}", status_code=204)
def delete_meter(
    meter_id: RowId, scope: Scope = require(METER_DELETE), db: Session = DB
) -> Response:
    """Delete a meter with its readings."""
    meters.delete(db, scope, meter_id)
    return Response(status_code=204)


@router.get("/meters/{meter_id}/readings", response_model=PageOut[ReadingOut])
def list_readings(
    meter_id: RowId,
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=500),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List a meter's readings, newest first."""
    page = readings.page_of(db, scope, meter_id, offset=offset, limit=limit)
    return PageOut[ReadingOut](
        items=[ReadingOut.of(r) for r in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.post("/meters/{meter_id}/readings", response_model=ReadingOut, status_code=201)
def add_reading(
    meter_id: RowId, body: ReadingBody, scope: Scope = require(READING_WRITE), db: Session = DB
) -> Any:
    """Record a reading; a figure that does not fit its neighbours is refused naming the field."""
    return ReadingOut.of(readings.add(db, scope, meter_id, body.to_input()))


@router.delete("/readings/{reading_id}", status_code=204)
def delete_reading(
    reading_id: RowId, scope: Scope = require(READING_DELETE), db: Session = DB
) -> Response:
    """Delete a reading."""
    readings.delete(db, scope, reading_id)
    return Response(status_code=204)


@router.post("/readings/upload", response_model=UploadOut)
async def upload_readings(
    file: UploadFile = File(...), scope: Scope = require(READING_WRITE), db: Session = DB
) -> Any:
    """Store the good rows of an Excel or CSV file of readings; list each bad row."""
    data = await file.read(upload.MAX_BYTES + 1)
    name = file.filename or "readings"
    result = upload.import_rows(db, scope, name, upload.read_rows(name, data))
    return UploadOut(
        accepted=result.accepted,
        rejected=[
            UploadProblemOut(
                row=p.row, field=p.field, message=p.template % p.params if p.params else p.template
            )
            for p in result.rejected
        ],
    )


@router.get("/revenue", response_model=PageOut[RevenueOut])
def list_revenue(
    q: str = Query("", max_length=10),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(24, ge=1, le=200),
    scope: Scope = require(REVENUE_READ),
    db: Session = DB,
) -> Any:
    """List monthly revenue, newest first (``q`` = a year narrows it)."""
    page = revenue.page_of(db, scope, q=q, offset=offset, limit=limit)
    return PageOut[RevenueOut](
        items=[RevenueOut.of(r) for r in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.put("/revenue", response_model=RevenueOut)
def save_revenue(body: RevenueBody, scope: Scope = require(REVENUE_WRITE), db: Session = DB) -> Any:
    """Set one month's revenue, replacing the figure stored for that month."""
    return RevenueOut.of(revenue.save(db, scope, body.to_input(), local_today()))


@router.delete("/revenue/{revenue_id}", status_code=204)
def delete_revenue(
    revenue_id: RowId, scope: Scope = require(REVENUE_WRITE), db: Session = DB
) -> Response:
    """Delete one month's revenue."""
    revenue.delete(db, scope, revenue_id)
    return Response(status_code=204)


@router.get("/consumption", response_model=ConsumptionOut)
def consumption(
    request: Request,
    first: date | None = Query(None, alias="from"),
    last: date | None = Query(None, alias="to"),
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """Return consumption per day (the last 30 days by default), per piece, in kgce and tce."""
    end = last or local_today()
    start = first or end - timedelta(days=29)
    if line_id is not None:
        LineRepository(db, scope).get(line_id)
    board = figures.dashboard(db, scope, start, end, line_id)
    c = board.coefficients
    return ConsumptionOut(
        first=board.first,
        last=board.last,
        line_id=line_id,
        days=[DayOut.of(d) for d in board.days],
        total_kgce=round(board.total.kgce, 4),
        total_tce=round(board.total.kgce / 1000, 6),
        pieces=board.total.pieces,
        kgce_per_piece=None
        if board.total.kgce_per_piece is None
        else round(board.total.kgce_per_piece, 6),
        skipped_intervals=board.skipped,
        coefficients={k: c.kgce_per_unit(k) for k in ("electricity", "natural_gas", "steam")},
    )


@router.get("/r1", response_model=ChangeOut)
def r1(scope: Scope = require(REVENUE_READ), db: Session = DB) -> Any:
    """Return R1: energy per 100 CNY of revenue in the before and after periods, and the option."""
    return ChangeOut.of(figures.r1_change(db, scope, local_today()))
