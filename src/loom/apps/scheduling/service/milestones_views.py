"""What the milestone pages show besides tables: labels, the timeline chart and the Excel sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from loom.apps.scheduling.service.milestones import StageRow


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


STAGE_LABELS = {
    "fabric": msgid("Fabric in house"),
    "cutting": msgid("Cutting done"),
    "sewing_start": msgid("Sewing start"),
    "sewing_finish": msgid("Sewing finish"),
    "finishing": msgid("Finishing and packing done"),
    "shipping": msgid("Shipped"),
}
STATUS_LABELS = {
    "overdue": msgid("Milestone overdue"),
    "at_risk": msgid("Forecast late"),
    "on_track": msgid("On track"),
    "done_late": msgid("Done late"),
    "done": msgid("Done on time"),
}
SEVERITY_LABELS = {
    "critical": msgid("Critical"),
    "major": msgid("Major"),
    "minor": msgid("Minor"),
}
SOURCE_LABELS = {"user": msgid("recorded by hand"), "shopfloor": msgid("from the shop floor")}
COLOURS = {"target": "#1f5fbf", "forecast": "#ef6c00", "actual": "#2e7d32"}


def timeline_chart(rows: Sequence[StageRow], gettext: Callable[..., str]) -> dict[str, Any]:
    """Return the ECharts option of an order's timeline: stages down, dates across."""
    labels = [gettext(STAGE_LABELS[r.stage]) for r in rows]

    def series(name: str, key: str, symbol: str, values: list[date | None]) -> dict[str, Any]:
        return {
            "name": name,
            "type": "scatter",
            "symbol": symbol,
            "symbolSize": 14,
            "itemStyle": {"color": COLOURS[key]},
            "data": [
                [value.isoformat(), label]
                for value, label in zip(values, labels, strict=True)
                if value is not None
            ],
        }

    targets = series(gettext("Target date"), "target", "circle", [r.target for r in rows])
    # the due date as a vertical line: every stage is measured against it
    if rows:
        targets["markLine"] = {
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": "#888"},
            "data": [{"xAxis": rows[0].order.due_date.isoformat(), "name": gettext("Due date")}],
            "label": {"formatter": gettext("Due date")},
        }
    return {
        "grid": {"left": 150, "right": 24, "top": 36, "bottom": 28},
        "legend": {"top": 0},
        "tooltip": {"trigger": "item"},
        "xAxis": {"type": "time"},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            targets,
            series(
                gettext("Forecast date"),
                "forecast",
                "diamond",
                [r.forecast if r.actual is None else None for r in rows],
            ),
            series(gettext("Actual date"), "actual", "triangle", [r.actual for r in rows]),
        ],
    }


def workbook(rows: Sequence[StageRow], gettext: Callable[..., str]) -> bytes:
    """Return the board's rows as an Excel workbook, alerts highlighted."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext("Time and action")
    heads = [
        msgid("Order number"),
        msgid("Customer"),
        msgid("Due date"),
        msgid("Milestone"),
        msgid("Target date"),
        msgid("Forecast date"),
        msgid("Actual date"),
        msgid("Milestone status"),
        msgid("Days late"),
        msgid("Severity"),
        msgid("Remarks"),
    ]
    sheet.append([gettext(h) for h in heads])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    alert_fill = PatternFill("solid", fgColor="FDE2E1")
    for row in rows:
        verdict = row.judgement
        sheet.append(
            [
                row.order.number,
                row.order.customer,
                row.order.due_date,
                gettext(STAGE_LABELS[row.stage]),
                row.target,
                row.forecast,
                row.actual,
                gettext(STATUS_LABELS[verdict.status]),
                verdict.days_late,
                gettext(SEVERITY_LABELS[verdict.severity]) if verdict.severity else "",
                row.note,
            ]
        )
        if row.is_alert:
            for cell in sheet[sheet.max_row]:
                cell.fill = alert_fill
    for column in "ABCDEFGHIJK":
        sheet.column_dimensions[column].width = 16
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
