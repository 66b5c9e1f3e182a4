"""Industry indices and the digital-level distribution, with their Excel exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.charts import BRAND
from loom.kernel.web.templating import render
from loom.modules.brain.engine.indices import LEVELS, mean_level
from loom.modules.brain.pages.common import (
    DB,
    GROUPING_LABELS,
    LEVEL_LABELS,
    base_context,
    day_errors,
    group_label,
    number,
    parse_day,
    places_of,
    translator,
    xlsx,
)
from loom.modules.brain.permissions import INDEX_READ
from loom.modules.brain.service.collect import find_metric
from loom.modules.brain.service.export import cell_value, workbook
from loom.modules.brain.service.indices import (
    GROUPINGS,
    INDEX_METRICS,
    PLANNED_METRICS,
    IndexTable,
    LevelTable,
    index_table,
    level_distribution,
)
from loom.modules.brain.service.times import default_span, today
from loom.modules.brain.service.views import RowView, row_views

router = APIRouter()
PALETTE = [BRAND, "#e07b00", "#2e9e5b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"]


def _offered(request: Request) -> list[str]:
    apps = runtime_of(request).apps
    names = {m.name for spec in apps.values() for m in spec.brain_metrics}
    return [name for name in INDEX_METRICS if name in names]


def _chart(found: IndexTable, rows: list[RowView], label: Callable[[Any], str]) -> dict[str, Any]:
    """Return a line per group over the weeks; hidden cells are gaps."""
    return {
        "grid": {"left": 64, "right": 16, "top": 40, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "xAxis": {"type": "category", "data": [w.isoformat()[5:] for w in found.weeks]},
        "yAxis": {"type": "value", "name": found.metric.unit},
        "series": [
            {
                "name": label(row.key),
                "type": "line",
                "connectNulls": False,
                "itemStyle": {"color": PALETTE[n % len(PALETTE)]},
                "data": [c.value for c in row.cells],
            }
            for n, row in enumerate(r for r in rows if any(c.value is not None for c in r.cells))
        ],
    }


def _request(
    request: Request, metric: str, first: str, last: str, by: str
) -> tuple[str, date, date, str, dict[str, str]]:
    gettext = translator(request)
    errors = day_errors(gettext, **{"from": first, "to": last})
    offered = _offered(request)
    chosen = metric if metric in offered else (offered[0] if offered else "")
    ahead = chosen in PLANNED_METRICS
    start, end = default_span(parse_day(first), parse_day(last), ahead=ahead)
    return chosen, start, end, by if by in GROUPINGS else "all", errors


def _index(
    request: Request, db: Session, scope: Scope, metric: str, start: date, end: date, by: str
) -> tuple[IndexTable | None, dict[str, str], int]:
    if not metric:
        return None, {}, 200
    apps = runtime_of(request).apps
    try:
        return index_table(db, scope, apps, metric, start, end, by), {}, 200
    except DomainError as exc:
        message = translator(request)(exc.template, **exc.params)
        return None, {exc.field or "to": message}, exc.status_code


@router.get("/indices")
def indices(
    request: Request,
    metric: str = Query("", max_length=80),
    first: str = Query("", alias="from", max_length=20),
    last: str = Query("", alias="to", max_length=20),
    by: str = Query("all", max_length=20),
    scope: Scope = require(INDEX_READ),
    db: Session = DB,
) -> Response:
    """Show one index by group and week; figures of fewer than three enterprises are hidden."""
    gettext = translator(request)
    chosen, start, end, by, errors = _request(request, metric, first, last, by)
    found, problems, status = _index(request, db, scope, chosen, start, end, by)
    errors |= problems
    labels = {
        name: gettext(find_metric(runtime_of(request).apps, name)[1].label)
        for name in _offered(request)
    }
    context = base_context(
        "indices",
        metrics=labels,
        metric=chosen,
        first=start.isoformat(),
        last=end.isoformat(),
        by=by,
        groupings=GROUPINGS,
        grouping_labels=GROUPING_LABELS,
        errors=errors,
        found=found,
    )
    if found is not None:
        rows = row_views(found.table, found.metric.ratio, found.metric.scale, groups=by != "all")
        context |= {
            "rows": rows,
            "places": places_of(found.metric.unit),
            "label": lambda key: group_label(gettext, by, key),
            "index_chart": _chart(found, rows, lambda key: group_label(gettext, by, key)),
        }
    return render(request, "brain/indices.html", context, status=status)


@router.get("/indices.xlsx")
def indices_export(
    request: Request,
    metric: str = Query("", max_length=80),
    first: str = Query("", alias="from", max_length=20),
    last: str = Query("", alias="to", max_length=20),
    by: str = Query("all", max_length=20),
    scope: Scope = require(INDEX_READ),
    db: Session = DB,
) -> Response:
    """Download the index as on the page: hidden cells say so instead of a figure."""
    gettext = translator(request)
    chosen, start, end, by, _errors = _request(request, metric or "", first, last, by)
    found = index_table(db, scope, runtime_of(request).apps, chosen, start, end, by)
    m = found.metric
    hidden = gettext("hidden: fewer than %(k)s enterprises", k=found.table.k)
    headings = [gettext(GROUPING_LABELS[by])]
    headings += [w.isoformat() for w in found.weeks] + [
        gettext("Whole span"),
        gettext("Enterprises counted"),
    ]
    rows = [
        [group_label(gettext, by, row.key)]
        + [cell_value(c, hidden) for c in row.cells]
        + [cell_value(row.total, hidden), row.enterprises if row.enterprises else ""]
        for row in row_views(found.table, m.ratio, m.scale, groups=by != "all")
    ]
    title = f"{gettext(m.label)} ({m.unit})" if m.unit else gettext(m.label)
    content = workbook([(title, headings, rows)])
    return xlsx(content, f"brain-{m.name}-{found.start.isoformat()}-{found.end.isoformat()}.xlsx")


def _levels(
    request: Request, db: Session, scope: Scope, last: str, by: str
) -> tuple[LevelTable, dict[str, str], str]:
    gettext = translator(request)
    errors = day_errors(gettext, to=last)
    by = by if by in GROUPINGS else "all"
    found = level_distribution(db, scope, runtime_of(request).apps, parse_day(last) or today(), by)
    return found, errors, by


@router.get("/levels")
def levels(
    request: Request,
    last: str = Query("", alias="to", max_length=20),
    by: str = Query("all", max_length=20),
    scope: Scope = require(INDEX_READ),
    db: Session = DB,
) -> Response:
    """Show how many sharing enterprises hold each digital level, by group."""
    gettext = translator(request)
    found, errors, by = _levels(request, db, scope, last, by)
    rows = row_views(found.table, groups=by != "all")
    means = {row.key: mean_level(found.table, row.key) for row in rows}
    shown = rows
    chart = {
        "grid": {"left": 140, "right": 16, "top": 36, "bottom": 28},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [group_label(gettext, by, r.key) for r in shown]},
        "series": [
            {
                "name": gettext(LEVEL_LABELS[level]),
                "type": "bar",
                "stack": "levels",
                "itemStyle": {"color": PALETTE[n % len(PALETTE)]},
                "data": [r.cells[n].value for r in shown],
            }
            for n, level in enumerate(LEVELS)
        ],
    }
    context = base_context(
        "levels",
        last=found.end.isoformat(),
        by=by,
        groupings=GROUPINGS,
        grouping_labels=GROUPING_LABELS,
        errors=errors,
        rows=shown,
        means=means,
        levels=[gettext(LEVEL_LABELS[level]) for level in LEVELS],
        label=lambda key: group_label(gettext, by, key),
        levels_chart=chart,
        k=found.table.k,
        nothing=not found.table.cells,
    )
    return render(request, "brain/levels.html", context)


@router.get("/levels.xlsx")
def levels_export(
    request: Request,
    last: str = Query("", alias="to", max_length=20),
    by: str = Query("all", max_length=20),
    scope: Scope = require(INDEX_READ),
    db: Session = DB,
) -> Response:
    """Download the level distribution as on the page."""
    gettext = translator(request)
    found, _errors, by = _levels(request, db, scope, last, by)
    hidden = gettext("hidden: fewer than %(k)s enterprises", k=found.table.k)
    headings = [gettext(GROUPING_LABELS[by])]
    headings += [gettext(LEVEL_LABELS[level]) for level in LEVELS]
    headings += [gettext("Enterprises counted"), gettext("Mean level")]
    rows = [
        [group_label(gettext, by, row.key)]
        + [cell_value(c, hidden, 0) for c in row.cells]
        + [cell_value(row.total, hidden, 0), number(mean_level(found.table, row.key), 2)]
        for row in row_views(found.table, groups=by != "all")
    ]
    content = workbook([(gettext("Digital levels"), headings, rows)])
    return xlsx(content, f"brain-levels-{found.end.isoformat()}.xlsx")
