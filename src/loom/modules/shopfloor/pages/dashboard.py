"""The live line dashboard: pick a line and a day; HTMX polls the figures fragment.

Charts live outside the polled fragment and are updated in place from the data the fragment
carries, so a wall screen left open all day does not pile up chart instances.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from openpyxl import Workbook
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import MAX_ID
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.charts import bar_chart
from loom.kernel.web.templating import render
from loom.modules.shopfloor.engine.figures import (
    decimal_e4,
    grouped_e4,
    local_label,
    local_today,
    percent,
)
from loom.modules.shopfloor.pages.figures_common import (
    BASE,
    DB,
    XLSX,
    Gettext,
    msgid,
    saved,
    sheet,
    translator,
)
from loom.modules.shopfloor.service import figures, figures_line

router = APIRouter()
READ = "shopfloor.event.read"
#: seconds between two refreshes of today's figures
POLL_SECONDS = 5
DAY = Query("", max_length=20)


def _hours(day: figures_line.LineDay) -> list[tuple[str, int, float]]:
    """Return (local label, output, efficiency %) from the first to the last hour with scans.

    Hours without scans in between are shown as zero so the bars keep the clock's spacing.
    """
    if not day.hours:
        return []
    by_hour = {h.hour: h for h in day.hours}
    rows: list[tuple[str, int, float]] = []
    hour, last = day.hours[0].hour, day.hours[-1].hour
    while hour <= last:
        found = by_hour.get(hour)
        # chart heights only; the tables show the exact percentages
        share = float(percent(found.efficiency) or 0) if found else 0.0
        rows.append((local_label(hour), found.output_qty if found else 0, share))
        hour += timedelta(hours=1)
    return rows


def charts(day: figures_line.LineDay, gettext: Gettext) -> dict[str, dict[str, Any]]:
    """Return the ECharts options of the dashboard: output, efficiency and WIP."""
    hours = _hours(day)
    labels = [label for label, _, _ in hours]
    efficiency = bar_chart(
        labels, [share for _, _, share in hours], gettext(msgid("Efficiency (%)"))
    )
    efficiency["yAxis"] = {"type": "value", "axisLabel": {"formatter": "{value}%"}}
    wip = bar_chart(
        [f"{w.code} {w.name}".strip() for w in day.wip],
        [w.wip for w in day.wip],
        gettext(msgid("Pieces waiting")),
    )
    wip["xAxis"]["axisLabel"] = {"interval": 0, "rotate": 30}
    wip["grid"]["bottom"] = 80
    return {
        "output": bar_chart(
            labels, [output for _, output, _ in hours], gettext(msgid("Garments finished"))
        ),
        "efficiency": efficiency,
        "wip": wip,
    }


def _context(request: Request, day: figures_line.LineDay) -> dict[str, Any]:
    """Return what both the page and the polled fragment show of a line's day."""
    today = local_today(utcnow())
    live = day.day == today
    return {
        "figures": day,
        "day": day.day.isoformat(),
        "live": live,
        "poll": POLL_SECONDS,
        "charts": charts(day, translator(request)),
        "efficiency": percent(day.efficiency),
        "percent": percent,
        "minutes": grouped_e4,
        # today's screen follows the clock past midnight; a chosen day stays that day
        "live_url": f"{BASE}/lines/{day.line.id}/live"
        + ("" if live else f"?date={day.day.isoformat()}"),
        "export_url": f"{BASE}/lines/{day.line.id}/day.xlsx?date={day.day.isoformat()}",
    }


@router.get("/lines")
def dashboard(
    request: Request,
    line: int = Query(0, ge=0, le=MAX_ID),
    date: str = DAY,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show a line's day (the first active line and today unless chosen)."""
    today = local_today(utcnow())
    day = figures.parse_day(date, today)
    choices = figures_line.lines(db, scope)
    context: dict[str, Any] = {"lines": choices, "chosen": line, "day": day.isoformat()}
    line_id = line or (choices[0].id if choices else 0)
    if line_id:
        # the picker's lines were just read under this scope: no second read of the line
        known = next((c for c in choices if c.id == line_id), None)
        found = figures_line.line_day(db, scope, line_id, day, line=known)
        context |= _context(request, found) | {"chosen": line_id}
        if found.line not in choices:
            # an inactive line asked for by id still shows, and stays selectable
            context["lines"] = [*choices, found.line]
    context["today"] = today.isoformat()
    context["yesterday"] = (day - timedelta(days=1)).isoformat()
    context["tomorrow"] = (day + timedelta(days=1)).isoformat()
    return render(request, "shopfloor/dashboard_page.html", context)


def workbook(day: figures_line.LineDay, gettext: Gettext) -> bytes:
    """Return a line's day as a workbook: hours, operators and WIP by operation."""
    book = Workbook()
    book.remove(book.worksheets[0])
    head = [msgid("Hour"), msgid("Garments finished"), msgid("Pieces done")]
    head += [msgid("Earned minutes"), msgid("Operators present"), msgid("Efficiency (%)")]
    head += [msgid("Rework"), msgid("Defects")]
    hours = sheet(book, gettext(msgid("Hour by hour")), [gettext(h) for h in head], [10] * 8)
    for h in day.hours:
        share = percent(h.efficiency)
        hours.append(
            [
                h.label,
                h.output_qty,
                h.done_qty,
                decimal_e4(h.earned_e4),
                h.operator_hours,
                None if share is None else Decimal(share),
                h.rework_qty,
                h.defect_qty,
            ]
        )
    head = [msgid("Badge code"), msgid("Operator"), msgid("Pieces done")]
    head += [msgid("Earned minutes"), msgid("Hours"), msgid("Efficiency (%)")]
    people = sheet(book, gettext(msgid("Top operators")), [gettext(h) for h in head], [12] * 6)
    for t in day.top:
        share = percent(t.efficiency)
        people.append(
            [
                t.code,
                t.name,
                t.done_qty,
                decimal_e4(t.earned_e4),
                t.hours,
                None if share is None else Decimal(share),
            ]
        )
    head = [msgid("Operation"), msgid("Pieces waiting")]
    wip = sheet(
        book, gettext(msgid("Work in progress by operation")), [gettext(h) for h in head], (30, 14)
    )
    for w in day.wip:
        wip.append([f"{w.code} {w.name}".strip(), w.wip])
    return saved(book)


@router.get("/lines/{line_id:int}/day.xlsx")
def export(
    request: Request,
    line_id: int,
    date: str = DAY,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download a line's day (hours, operators, WIP) as an Excel workbook."""
    if not 0 < line_id <= MAX_ID:
        line_id = 0  # answers 404 like any id that is not the caller's line
    day = figures.parse_day(date, local_today(utcnow()))
    found = figures_line.line_day(db, scope, line_id, day)
    content = workbook(found, translator(request))
    name = f"line-{found.line.code}-{day.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=XLSX, headers=headers)


@router.get("/lines/{line_id:int}/live")
def live(
    request: Request,
    line_id: int,
    date: str = DAY,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Return the figures fragment that the dashboard polls."""
    if not 0 < line_id <= MAX_ID:
        line_id = 0  # answers 404 like any id that is not the caller's line
    day = figures.parse_day(date, local_today(utcnow()))
    found = figures_line.line_day(db, scope, line_id, day)
    return render(request, "shopfloor/dashboard_live.html", _context(request, found))
