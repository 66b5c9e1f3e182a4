"""JSON API of the shop-floor figures: line dashboard, operator hours and order WIP.

Piece-rate pay is in ``figures_pay``, mounted on this router. Minutes are given twice: as exact
decimal strings and as the stored integers in ten-thousandths (``*_e4``); efficiencies and
progress as percent strings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.base import utcnow
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.api import figures_pay
from loom.modules.shopfloor.engine.figures import local_today, percent, plain_e4
from loom.modules.shopfloor.service import figures, figures_line

router = APIRouter()
# the pay routes live in their own part; mounted here so the module router stays as it is
router.include_router(figures_pay.router)
DB = Depends(get_db, scope="function")
READ = "shopfloor.event.read"
#: ids the INTEGER columns can hold; PostgreSQL would fail on larger ones instead of answering
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
DAY = Query("", max_length=20, description="a local (Beijing) day YYYY-MM-DD; today if empty")


class HourOut(BaseModel):
    """One hour of a line's day."""

    hour: datetime
    local: str
    output_qty: int
    done_qty: int
    earned_minutes: str
    earned_e4: int
    rework_qty: int
    defect_qty: int
    operator_hours: int
    efficiency: str | None


class WipOut(BaseModel):
    """WIP at one operation."""

    operation_id: int
    code: str
    name: str
    seq: int
    wip: int


class TopOut(BaseModel):
    """One operator's day on the line."""

    operator_id: int
    code: str
    name: str
    done_qty: int
    earned_minutes: str
    hours: int
    efficiency: str | None


class DashboardOut(BaseModel):
    """A line's local day."""

    line_id: int
    line_code: str
    line_name: str
    date: date
    output_qty: int
    done_qty: int
    earned_minutes: str
    earned_e4: int
    rework_qty: int
    defect_qty: int
    operators: int
    operator_hours: int
    efficiency: str | None
    hours: list[HourOut]
    wip: list[WipOut]
    top_operators: list[TopOut]


def dashboard_out(day: figures_line.LineDay) -> DashboardOut:
    """Return the JSON shape of a line's day."""
    return DashboardOut(
        line_id=day.line.id,
        line_code=day.line.code,
        line_name=day.line.name,
        date=day.day,
        output_qty=day.output_qty,
        done_qty=day.done_qty,
        earned_minutes=plain_e4(day.earned_e4),
        earned_e4=day.earned_e4,
        rework_qty=day.rework_qty,
        defect_qty=day.defect_qty,
        operators=day.operators,
        operator_hours=day.operator_hours,
        efficiency=percent(day.efficiency),
        hours=[
            HourOut(
                hour=h.hour,
                local=h.label,
                output_qty=h.output_qty,
                done_qty=h.done_qty,
                earned_minutes=plain_e4(h.earned_e4),
                earned_e4=h.earned_e4,
                rework_qty=h.rework_qty,
                defect_qty=h.defect_qty,
                operator_hours=h.operator_hours,
                efficiency=percent(h.efficiency),
            )
            for h in day.hours
        ],
        wip=[WipOut(**vars(w)) for w in day.wip],
        top_operators=[
            TopOut(
                operator_id=t.operator_id,
                code=t.code,
                name=t.name,
                done_qty=t.done_qty,
                earned_minutes=plain_e4(t.earned_e4),
                hours=t.hours,
                efficiency=percent(t.efficiency),
            )
            for t in day.top
        ],
    )


@router.get("/lines/{line_id}/dashboard", response_model=DashboardOut)
def line_dashboard(
    line_id: RowId, date: str = DAY, scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Return a line's day: output and efficiency per hour, WIP by operation, top operators."""
    day = figures.parse_day(date, local_today(utcnow()))
    return dashboard_out(figures_line.line_day(db, scope, line_id, day))


class OperatorHourOut(BaseModel):
    """One hour of an operator on a line."""

    hour: datetime
    local: str
    line_id: int
    done_qty: int
    earned_minutes: str
    earned_e4: int


class OperatorDayOut(BaseModel):
    """An operator's output per hour over a local day."""

    operator_id: int
    code: str
    name: str
    date: date
    done_qty: int
    hours: list[OperatorHourOut]


@router.get("/operators/{operator_id}/hours", response_model=OperatorDayOut)
def operator_hours(
    operator_id: RowId, date: str = DAY, scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Return an operator's output (pieces done) and earned minutes per hour of a day."""
    day = figures.parse_day(date, local_today(utcnow()))
    person, hours = figures_line.operator_day(db, scope, operator_id, day)
    return OperatorDayOut(
        operator_id=person.id,
        code=person.code,
        name=person.name,
        date=day,
        done_qty=sum(h.done_qty for h in hours),
        hours=[
            OperatorHourOut(
                hour=h.hour,
                local=h.label,
                line_id=h.line_id,
                done_qty=h.done_qty,
                earned_minutes=plain_e4(h.earned_e4),
                earned_e4=h.earned_e4,
            )
            for h in hours
        ],
    )


class OpWipOut(BaseModel):
    """One operation of an order's routing."""

    operation_id: int
    code: str
    name: str
    seq: int
    predecessors: list[int]
    done_qty: int
    rework_qty: int
    defect_qty: int
    wip: int


class OrderWipOut(BaseModel):
    """An order's WIP by operation and its progress."""

    order_id: int
    number: str
    total_qty: int
    cut_qty: int
    finished_qty: int
    progress: str
    operations: list[OpWipOut]


@router.get("/orders/{order_id}/wip", response_model=OrderWipOut)
def order_wip(order_id: RowId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return an order's WIP at each operation of its routing and its progress in percent."""
    found = figures.order_wip(db, scope, order_id)
    return OrderWipOut(
        order_id=found.order.id,
        number=found.order.number,
        total_qty=found.order.total_qty,
        cut_qty=found.cut_qty,
        finished_qty=found.finished_qty,
        progress=percent(found.progress) or "0.0",
        operations=[
            OpWipOut(**{**vars(o), "predecessors": list(o.predecessors)}) for o in found.operations
        ],
    )
