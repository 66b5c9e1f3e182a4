"""JSON API of the equipment app's telemetry: OEE figures, the downtime Pareto, ideal cycles.

Devices do not post here: they send records to ``POST /api/v1/ingest/telemetry`` (the kernel's
generic ingest route) or over MQTT to ``loom/{org}/telemetry``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from sqlalchemy.orm import Session

from loom.apps.equipment.permissions import OEE_READ, SETTINGS_WRITE
from loom.apps.equipment.service import oee as svc
from loom.apps.equipment.service.telemetry_settings import machine_settings, set_ideal_cycle
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope

router = APIRouter()
DB = Depends(get_db, scope="function")
LineFilter = Annotated[int | None, Query(ge=1, le=2_147_483_647)]
Day = Annotated[date, Query(description="a day (YYYY-MM-DD) of the factory's calendar")]
DayFrom = Annotated[date, Query(alias="from", description="first day, YYYY-MM-DD")]
DayTo = Annotated[date, Query(alias="to", description="last day, YYYY-MM-DD")]
MachineId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/oee/machines")
def oee_machines(
    day: Day, line_id: LineFilter = None, scope: Scope = require(OEE_READ), db: Session = DB
) -> Any:
    """Return each machine's OEE on a day's shift (of one line when given)."""
    rows = svc.oee_by_machine(db, scope, day=day, line_id=line_id)
    return {"day": day, "items": [asdict(row) for row in rows]}


@router.get("/oee/lines")
def oee_lines(
    day_from: DayFrom, day_to: DayTo, scope: Scope = require(OEE_READ), db: Session = DB
) -> Any:
    """Return each line's OEE over the days."""
    rows = svc.oee_by_line(db, scope, day_from=day_from, day_to=day_to)
    return {"items": [asdict(row) for row in rows]}


@router.get("/oee/shifts")
def oee_shifts(
    day_from: DayFrom,
    day_to: DayTo,
    line_id: LineFilter = None,
    scope: Scope = require(OEE_READ),
    db: Session = DB,
) -> Any:
    """Return each line's OEE per shift."""
    rows = svc.oee_by_shift(db, scope, day_from=day_from, day_to=day_to, line_id=line_id)
    return {"items": [asdict(row) for row in rows]}


@router.get("/oee/pareto")
def oee_pareto(
    day_from: DayFrom,
    day_to: DayTo,
    line_id: LineFilter = None,
    scope: Scope = require(OEE_READ),
    db: Session = DB,
) -> Any:
    """Return unplanned downtime by reason, longest first."""
    rows = svc.downtime_pareto(db, scope, day_from=day_from, day_to=day_to, line_id=line_id)
    return {"items": [asdict(row) for row in rows]}


@router.get("/machines/settings")
def list_machine_settings(scope: Scope = require(OEE_READ), db: Session = DB) -> Any:
    """Return every active machine with its ideal cycle time (seconds per piece, or null)."""
    return {"items": [asdict(row) for row in machine_settings(db, scope)]}


@router.put("/machines/{machine_id}/ideal-cycle")
def put_ideal_cycle(
    machine_id: MachineId,
    ideal_cycle_s: Annotated[Any, Body(embed=True, description="seconds per piece")],
    scope: Scope = require(SETTINGS_WRITE),
    db: Session = DB,
) -> Any:
    """Set a machine's ideal cycle time; a 422 names ``ideal_cycle_s``, another's machine 404."""
    return asdict(set_ideal_cycle(db, scope, machine_id, ideal_cycle_s))
