"""Pages of the programme console: the targets dashboard (the programme's home) and drill-down."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.repository import Page
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.charts import bar_chart
from loom.kernel.web.templating import render
from loom.modules.programme.engine import rounded
from loom.modules.programme.pages.common import (
    DB,
    PAGE_SIZE,
    SECTOR_LABELS,
    msgid,
    translator,
)
from loom.modules.programme.service import targets as svc

router = APIRouter()
READ = "programme.kpi.read"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOAL_COLOUR = "#9aa5b1"
Gettext = Callable[..., str]

STATE_LABELS = {
    "met": msgid("Target met"),
    "on_track": msgid("On track"),
    "at_risk": msgid("At risk"),
    "missed": msgid("Target missed"),
    "no_data": msgid("No data"),
}
METRIC_LABELS = {
    "pilots_accepted": msgid("Pilots accepted"),
    "municipal_samples": msgid("Municipal samples"),
    "new_smart_factories": msgid("New digital workshops and smart factories"),
    "products_launched": msgid("小快轻准 solutions and products"),
    "above_scale_level2_share": msgid("Above-scale enterprises at level 2 or above"),
    "above_scale_cloud_share": msgid("Above-scale enterprises using the cloud"),
}


def _target_value(figure: svc.Figure) -> str:
    target = figure.target
    return f"{target.value}%" if target.unit == "percent" else str(target.value)


def _card(figure: svc.Figure) -> dict[str, Any]:
    """Return what a card and a table row show of one figure."""
    target, status = figure.target, figure.status
    return {
        "id": target.id,
        "title": target.title,
        "metric": target.metric,
        "metric_label": METRIC_LABELS.get(target.metric, ""),
        "metric_title": figure.metric.title if figure.metric else target.metric,
        "sector": target.sector,
        "batch": target.batch,
        "state": str(status.state),
        "shown": svc.shown(figure.actual, target.unit),
        "goal": _target_value(figure),
        "comparator": target.comparator,
        "deadline": target.deadline.isoformat(),
        "passed": figure.deadline_passed,
        "at_deadline": svc.shown(figure.actual_at_deadline, target.unit),
        "late": len(figure.late),
        "expected": svc.shown(status.expected_now, target.unit),
        "days_left": status.days_left,
        "current_only": figure.current_only,
        "population": None if figure.basis.population is None else len(figure.basis.population),
        "count": len(figure.counted),
    }


def _compare(
    labels: Sequence[str], actual: Sequence[float | None], goal: Sequence[float], names: list[str]
) -> dict[str, Any]:
    """Return a horizontal two-series bar chart: actual against target, one row per label."""
    option = bar_chart(labels, [0.0 if v is None else v for v in actual], names[0])
    option["series"].append(
        {"name": names[1], "type": "bar", "data": list(goal), "itemStyle": {"color": GOAL_COLOUR}}
    )
    option["legend"] = {"top": 0}
    option["grid"] = {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True}
    # categories down the side keep the plan's long Chinese titles readable
    option["xAxis"], option["yAxis"] = option["yAxis"], option["xAxis"]
    option["yAxis"]["inverse"] = True
    return option


def _sector(sector: str | None, gettext: Gettext) -> str:
    return gettext(SECTOR_LABELS.get(sector, sector)) if sector else ""


def _charts(report: svc.KpiReport, gettext: Gettext) -> dict[str, dict[str, Any]]:
    names = [gettext(msgid("Actual")), gettext(msgid("Target value"))]
    counts = [f for f in report.figures if f.target.unit == "count"]
    shares = [f for f in report.figures if f.target.unit == "percent"]
    batches = {b.id: b.title for b in report.plan.batches}
    cells = report.pilots
    return {
        "counts": _compare(
            [f.target.title for f in counts],
            [None if f.actual is None else float(f.actual) for f in counts],
            [float(f.target.value) for f in counts],
            names,
        ),
        "shares": _compare(
            [f.target.title for f in shares],
            [None if f.actual is None else float(rounded(f.actual * 100, 1)) for f in shares],
            [float(f.target.value) for f in shares],
            [gettext(msgid("Actual (%)")), gettext(msgid("Target (%)"))],
        ),
        "pilots": _compare(
            [f"{batches.get(c.batch, c.batch)} · {_sector(c.sector, gettext)}" for c in cells],
            [float(c.accepted) for c in cells],
            [float(c.quota) for c in cells],
            [gettext(msgid("Accepted")), gettext(msgid("Places in the plan"))],
        ),
    }


@router.get("/")
def dashboard(
    request: Request,
    on: str = Query("", max_length=10),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show every target of the plan against its actual value, as of a chosen day."""
    report = svc.kpi_report(db, scope, svc.parse_on(on))
    context = {
        "report": report,
        "on": report.on.isoformat(),
        "cards": [_card(f) for f in report.figures],
        "states": report.states(),
        "charts": _charts(report, translator(request)),
        "deadlines": sorted({t.deadline.isoformat() for t in report.plan.targets}),
        "batches": {b.id: b.title for b in report.plan.batches},
        **_labels(),
    }
    return render(request, "programme/targets_dashboard.html", context)


def _labels() -> dict[str, Any]:
    return {
        "sector_labels": SECTOR_LABELS,
        "metric_labels": METRIC_LABELS,
    }


@router.get("/targets/{target_id}")
def drill_down(
    request: Request,
    target_id: str,
    on: str = Query("", max_length=10),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the projects, enterprises or products behind one target's figure."""
    report = svc.kpi_report(db, scope, svc.parse_on(on))
    figure = report.figure(target_id)
    rows = svc.rows_behind(db, report, figure)
    needle = q.strip().lower()
    if needle:
        rows = [r for r in rows if needle in r.name.lower() or needle in r.party.lower()]
    page = Page(
        items=rows[offset : offset + PAGE_SIZE], total=len(rows), offset=offset, limit=PAGE_SIZE
    )
    context = {
        "report": report,
        "on": report.on.isoformat(),
        "figure": figure,
        "card": _card(figure),
        "page": page,
        "q": q,
        "batches": {b.id: b.title for b in report.plan.batches},
        **_labels(),
    }
    return render(request, "programme/targets_detail.html", context)


def _sheet(book: Workbook, title: str, header: list[str], widths: Sequence[int]) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _saved(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _workbook(report: svc.KpiReport, gettext: Gettext) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    head = [
        msgid("Programme target"),
        msgid("Title"),
        msgid("Metric"),
        msgid("Sector"),
        msgid("Batch"),
    ]
    head += [msgid("Target value"), msgid("Deadline"), msgid("Actual"), msgid("Count")]
    head += [msgid("Population"), msgid("Value at the deadline"), msgid("Expected by now")]
    head += [msgid("Status"), msgid("Days left")]
    widths = (22, 40, 30, 20, 10, 10, 12, 10, 8, 8, 14, 14, 10, 10)
    sheet = _sheet(book, gettext(msgid("Targets")), [gettext(h) for h in head], widths)
    batches = {b.id: b.title for b in report.plan.batches}
    for f in report.figures:
        c = _card(f)
        sheet.append(
            [
                c["id"],
                c["title"],
                gettext(c["metric_label"]) if c["metric_label"] else c["metric_title"],
                _sector(f.target.sector, gettext),
                batches.get(f.target.batch or "", f.target.batch or ""),
                c["goal"],
                f.target.deadline,
                c["shown"],
                c["count"],
                c["population"],
                c["at_deadline"] if c["passed"] else "",
                c["expected"],
                gettext(STATE_LABELS.get(c["state"], c["state"])),
                c["days_left"],
            ]
        )
        sheet.cell(row=sheet.max_row, column=7).number_format = "yyyy-mm-dd"
    head = [msgid("Batch"), msgid("Sector"), msgid("Accepted"), msgid("Places in the plan")]
    pilots = _sheet(
        book, gettext(msgid("Accepted pilots")), [gettext(h) for h in head], (12, 28, 10, 16)
    )
    for cell in report.pilots:
        sector = _sector(cell.sector, gettext)
        pilots.append([batches.get(cell.batch, cell.batch), sector, cell.accepted, cell.quota])
    return _saved(book)


@router.get("/targets.xlsx")
def export(
    request: Request,
    on: str = Query("", max_length=10),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the dashboard's table as an Excel workbook."""
    report = svc.kpi_report(db, scope, svc.parse_on(on))
    content = _workbook(report, translator(request))
    name = f"targets-{report.on.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=XLSX, headers=headers)


def _rows_workbook(figure: svc.Figure, rows: list[svc.Row], gettext: Gettext) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    head = [msgid("ID"), msgid("Name"), msgid("Enterprise, contractor or town"), msgid("Sector")]
    head += [msgid("Batch"), msgid("Digital level"), msgid("Level known on")]
    head += [msgid("Uses the cloud"), msgid("Counts since"), msgid("Counted")]
    head += [msgid("after the deadline")]
    widths = (8, 36, 28, 20, 10, 10, 14, 10, 14, 8, 12)
    sheet = _sheet(book, figure.target.id, [gettext(h) for h in head], widths)
    yes, no = gettext(msgid("yes")), gettext(msgid("no"))
    for r in rows:
        cloud = "" if r.cloud is None else (yes if r.cloud else no)
        counted, late = (yes if r.counted else no), (yes if r.late else "")
        sheet.append(
            [
                r.id,
                r.name,
                r.party,
                _sector(r.sector, gettext),
                r.batch,
                r.level,
                r.level_on,
                cloud,
                r.since if r.counted else None,
                counted,
                late,
            ]
        )
        for column in (7, 9):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    return _saved(book)


@router.get("/targets/{target_id}/rows.xlsx")
def export_rows(
    request: Request,
    target_id: str,
    on: str = Query("", max_length=10),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the rows behind one target's figure as an Excel workbook."""
    report = svc.kpi_report(db, scope, svc.parse_on(on))
    figure = report.figure(target_id)
    content = _rows_workbook(figure, svc.rows_behind(db, report, figure), translator(request))
    name = f"{figure.target.id}-{report.on.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=XLSX, headers=headers)
