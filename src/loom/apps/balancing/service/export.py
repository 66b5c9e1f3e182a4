"""A plan as an Excel workbook: its figures, its stations and the rules it breaks."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from loom.apps.balancing.service.views import Gettext, PlanView
from loom.apps.balancing.solver.model import E4

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="FFDDEBF7")
_ALERT_FILL = PatternFill("solid", fgColor="FFF8D7DA")


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _minutes(value_e4: int) -> float:
    # numbers, not text, so that Excel can sum and chart them
    return round(value_e4 / E4, 4)


def plan_workbook(view: PlanView, gettext: Gettext, style_label: str, line_label: str) -> bytes:
    """Return the workbook of one plan, with headings in the caller's language."""
    book = openpyxl.Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)  # a new workbook starts with one worksheet
    summary.title = gettext("Balancing plan")
    figures = view.figures
    plan = view.plan
    rows: list[tuple[str, object]] = [
        (gettext("Plan name"), plan.name),
        (gettext("Style"), style_label),
        (gettext("Production line"), line_label or gettext("anonymous operators")),
        (gettext("Revision"), plan.revision),
        (gettext("Cycle time (min)"), _minutes(plan.cycle_time_e4) if plan.cycle_time_e4 else ""),
        (gettext("Operators"), figures["operators"]),
        (gettext("Total SAM (min)"), _minutes(figures["total_sam_e4"])),
        (gettext("Bottleneck (min)"), _minutes(figures["bottleneck_e4"])),
        (gettext("Balance efficiency"), round(float(figures["balance_efficiency"]), 4)),
        (gettext("Output per hour"), round(float(figures["output_per_hour"]), 1)),
        (gettext("Violations"), len(view.violations)),
    ]
    for label, value in rows:
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=1).font = _BOLD
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 36

    stations: Worksheet = book.create_sheet(gettext("Stations"))
    _header(
        stations,
        [
            gettext("Station"),
            gettext("Operator"),
            gettext("Machine type"),
            gettext("Operation"),
            gettext("Parts"),
            gettext("Time (min)"),
            gettext("Load (min)"),
            gettext("Idle (min)"),
        ],
    )
    for station in view.stations:
        operator = f"{station.worker_code} {station.worker_name}".strip()
        first = True
        for task in station.tasks or ():
            stations.append(
                [
                    station.number,
                    operator,
                    task.machine_type,
                    f"{task.code} {task.name}".strip(),
                    task.parts,
                    _minutes(task.time_e4),
                    _minutes(station.load_e4) if first else None,
                    _minutes(station.idle_e4) if first else None,
                ]
            )
            if station.bottleneck:
                for cell in stations[stations.max_row]:
                    cell.fill = _ALERT_FILL
            first = False
        if not station.tasks:
            stations.append([station.number, operator, "", "", None, None, 0, None])
    for column, width in zip("ABCDEFGH", (8, 20, 14, 32, 8, 11, 11, 11), strict=True):
        stations.column_dimensions[column].width = width

    broken: Worksheet = book.create_sheet(gettext("Violations"))
    _header(broken, [gettext("Station"), gettext("Rule"), gettext("Details")])
    for violation in view.violations:
        broken.append([violation.station, violation.text(gettext), violation.message])
    broken.column_dimensions["B"].width = 60
    broken.column_dimensions["C"].width = 60

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
