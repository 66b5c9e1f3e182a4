"""Pages of the programme analytics: levels before and after, levels gained per subsidy."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.charts import bar_chart
from loom.kernel.web.templating import render
from loom.modules.programme.engine import rounded
from loom.modules.programme.pages.analytics_export import workbook
from loom.modules.programme.pages.analytics_rows import (
    Gettext,
    effect_name,
    effect_row,
    filters_of,
    group_row,
    level_label,
    percent,
    pilot_row,
)
from loom.modules.programme.pages.common import DB, SECTOR_LABELS, msgid, translator
from loom.modules.programme.service import analytics as svc
from loom.modules.programme.service.analytics_figures import LEVELS

router = APIRouter()
READ = "programme.analytics.read"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AFTER_COLOUR = "#2e9d5b"


def _charts(report: svc.AnalyticsReport, gettext: Gettext) -> dict[str, Any]:
    d = report.distribution
    levels = [level_label(level, gettext) for level in LEVELS]
    option = bar_chart(levels, [d.before[level] for level in LEVELS], gettext(msgid("Before")))
    option["series"].append(
        {
            "name": gettext(msgid("After")),
            "type": "bar",
            "data": [d.after[level] for level in LEVELS],
            "itemStyle": {"color": AFTER_COLOUR},
        }
    )
    option["legend"] = {"top": 0}
    option["grid"]["top"] = 32
    rated = [e for e in report.contractors if e.per_100k_awarded is not None]
    names = [effect_name(report, e, gettext) for e in rated]
    values = [float(rounded(e.per_100k_awarded or Fraction(0), 2)) for e in rated]
    per = bar_chart(names, values, gettext(msgid("Levels per 100,000 CNY awarded")))
    return {"distribution": option, "contractors": per}


@router.get("/analytics")
def analytics_page(
    request: Request,
    batch: str = Query("", max_length=30),
    sector: str = Query("", max_length=30),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show levels before and after across pilots, and levels gained per subsidy."""
    report = svc.analytics_report(db, scope, filters_of(batch, sector))
    gettext = translator(request)
    d = report.distribution
    context = {
        "tab": "analytics",
        "report": report,
        "batch": report.filters.batch,
        "sector": report.filters.sector,
        "levels": [
            {
                "label": level_label(level, gettext),
                "before": d.before[level],
                "after": d.after[level],
            }
            for level in LEVELS
        ],
        "share": percent(d.share_improved),
        "groups": [group_row(report, g, gettext) for g in report.groups],
        "contractors": [effect_row(report, e, gettext) for e in report.contractors],
        "scenarios": [effect_row(report, e, gettext) for e in report.scenarios],
        "total": effect_row(report, report.total, gettext),
        "pilots": [pilot_row(report, p, gettext) for p in report.pilots],
        "charts": _charts(report, gettext),
        "sector_labels": SECTOR_LABELS,
    }
    return render(request, "programme/analytics.html", context)


@router.get("/analytics.xlsx")
def analytics_export(
    request: Request,
    batch: str = Query("", max_length=30),
    sector: str = Query("", max_length=30),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the analytics as an Excel workbook, one sheet per table."""
    report = svc.analytics_report(db, scope, filters_of(batch, sector))
    content = workbook(report, translator(request))
    headers = {"Content-Disposition": 'attachment; filename="programme-analytics.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)
