"""The energy dashboard: consumption per day, per piece, per line and per meter, with export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import KINDS, to_kgce
from loom.apps.energy.engine.consumption import DayFigures
from loom.apps.energy.pages import charts
from loom.apps.energy.pages.common import (
    BASE,
    DB,
    base_context,
    labels,
    lines_of,
    number,
    translator,
    xlsx,
)
from loom.apps.energy.permissions import READ
from loom.apps.energy.service import figures, meters
from loom.apps.energy.service.export import workbook
from loom.apps.energy.service.times import local_today, parse_day
from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render

router = APIRouter()
DEFAULT_DAYS = 30


def _span(first: str, last: str) -> tuple[date, date, dict[str, str]]:
    errors: dict[str, str] = {}
    end = parse_day(last) if last.strip() else local_today()
    if end is None:
        errors["to"] = "a date such as 2026-03-01 is expected here"
        end = local_today()
    start = parse_day(first) if first.strip() else end - timedelta(days=DEFAULT_DAYS - 1)
    if start is None:
        errors["from"] = "a date such as 2026-03-01 is expected here"
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    return start, end, errors


def _line(raw: str, known: set[int]) -> int | None:
    text = raw.strip()
    return int(text) if text.isdigit() and int(text) in known else None


@router.get("/")
def home(scope: Scope = require(READ)) -> Response:
    """Send the app's root to the dashboard."""
    return RedirectResponse(f"{BASE}/dashboard", status_code=303)


@router.get("/dashboard")
def dashboard(
    request: Request,
    first: str = Query("", alias="from", max_length=20),
    last: str = Query("", alias="to", max_length=20),
    line_id: str = Query("", max_length=20),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show consumption per day and per piece, by line and by meter, for a span of days."""
    gettext = translator(request)
    start, end, problems = _span(first, last)
    errors = {k: gettext(v) for k, v in problems.items()}
    lines = lines_of(db, scope)
    chosen = _line(line_id, {x.id for x in lines})
    all_meters = meters.all_meters(db, scope)
    status = 200
    try:
        board = figures.dashboard(db, scope, start, end, chosen, all_meters)
    except DomainError as exc:
        errors[exc.field or "to"] = gettext(exc.template, **exc.params)
        start, end = end - timedelta(days=DEFAULT_DAYS - 1), end
        board = figures.dashboard(db, scope, start, end, chosen, all_meters)
        status = exc.status_code
    names = labels(request)
    line_codes = {x.id: f"{x.code} {x.name}" for x in lines}
    c = board.coefficients
    meter_kgce = [
        (m.code, float(round(to_kgce(board.meters.get(m.id, Decimal(0)), m.kind, c), 2)))
        for m in all_meters
        if c.counted(m.kind)
    ]
    chart_names = {
        "kgce": gettext("kgce per piece"),
        "kwh": gettext("kWh per piece"),
        "kgce_unit": "kgce",
        "kwh_unit": "kWh",
    }
    line_rows = [(line_codes.get(line, str(line)), total) for line, total in board.lines.items()]
    kinds = [k for k in KINDS if any(k in d.amounts for d in board.days)]
    context = base_context(
        request,
        "dashboard",
        board=board,
        first=start.isoformat(),
        last=end.isoformat(),
        line_id=chosen,
        lines=lines,
        line_rows=line_rows,
        errors=errors,
        has_meters=bool(all_meters),
        kinds=kinds,
        day_rows=_day_rows(board.days, kinds),
        daily_chart=charts.daily_kgce(board.days, c, lambda k: names["kind"][k], "kgce"),
        piece_chart=charts.per_piece(board.days, chart_names),
        line_chart=charts.bars(
            [label for label, _t in line_rows],
            [float(round(t.kgce, 2)) for _l, t in line_rows],
            gettext("Energy (kgce)"),
            "kgce",
        ),
        meter_chart=charts.bars(
            [code for code, _v in meter_kgce],
            [v for _c, v in meter_kgce],
            gettext("Energy (kgce)"),
            "kgce",
        ),
    )
    return render(request, "energy/dashboard.html", context, status=status)


def _day_rows(
    days: Sequence[DayFigures], kinds: Sequence[str]
) -> list[tuple[str, list[str], tuple[str, str, str, str]]]:
    """Return the days table's cells, newest first, as text (formatted once, not by Jinja)."""
    return [
        (
            d.day.isoformat(),
            [number(d.amounts.get(k), 2) for k in kinds],
            (
                number(d.kgce, 2),
                f"{d.pieces:,}",
                number(d.kgce_per_piece, 4),
                number(d.per_piece("electricity"), 4),
            ),
        )
        for d in reversed(days)
    ]


def _f(value: Decimal | None, places: int = 4) -> Any:
    return "" if value is None else round(float(value), places)


@router.get("/dashboard.xlsx")
def dashboard_export(
    request: Request,
    first: str = Query("", alias="from", max_length=20),
    last: str = Query("", alias="to", max_length=20),
    line_id: str = Query("", max_length=20),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the days of the dashboard as an Excel workbook."""
    gettext = translator(request)
    start, end, _errors = _span(first, last)
    chosen = _line(line_id, {x.id for x in lines_of(db, scope)})
    board = figures.dashboard(db, scope, start, end, chosen)
    names = labels(request)
    kinds = [k for k in KINDS if any(k in d.amounts for d in board.days)]
    headings = [gettext("Day")]
    headings += [f"{names['kind'][k]} ({KINDS[k].unit})" for k in kinds]
    headings += [
        "kgce",
        gettext("Finished pieces"),
        gettext("kgce per piece"),
        gettext("kWh per piece"),
    ]
    rows = [
        [d.day.isoformat()]
        + [_f(d.amounts.get(k)) for k in kinds]
        + [_f(d.kgce), d.pieces, _f(d.kgce_per_piece, 6), _f(d.per_piece("electricity"), 6)]
        for d in board.days
    ]
    content = workbook(gettext("Energy per day"), headings, rows)
    return xlsx(content, f"energy-{start.isoformat()}-{end.isoformat()}.xlsx")
