"""The programme analytics as an Excel workbook: one sheet per table of the page."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from loom.modules.programme.pages.analytics_rows import (
    Gettext,
    effect_row,
    group_row,
    level_label,
    percent,
    pilot_row,
)
from loom.modules.programme.pages.common import msgid
from loom.modules.programme.service import analytics as svc
from loom.modules.programme.service.analytics_figures import LEVELS

#: (msgid of the heading, key of the row dict, column width) for the effect sheets
EFFECT_COLUMNS = (
    (msgid("Projects"), "projects", 9),
    (msgid("Assessed before and after"), "measured", 12),
    (msgid("Levels gained"), "levels_gained", 10),
    (msgid("Subsidy awarded (CNY)"), "awarded_cny", 16),
    (msgid("Subsidy paid (CNY)"), "paid_cny", 16),
    (msgid("Levels per 100,000 CNY awarded"), "per_awarded_value", 14),
    (msgid("Levels per 100,000 CNY paid"), "per_paid_value", 14),
    (msgid("Awarded to projects not yet assessed (CNY)"), "unmeasured_awarded_cny", 18),
)


def _sheet(
    book: Workbook, title: str, head: Sequence[str], widths: Sequence[int], rows: list[list[Any]]
) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(head))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(row)


def _effects(
    book: Workbook, title: str, first: str, rows: list[dict[str, Any]], _: Gettext
) -> None:
    head = [_(first)] + [_(h) for h, _key, _width in EFFECT_COLUMNS]
    widths = [36] + [w for _h, _key, w in EFFECT_COLUMNS]
    _sheet(
        book,
        title,
        head,
        widths,
        [[r["name"]] + [r[k] for _h, k, _w in EFFECT_COLUMNS] for r in rows],
    )


def workbook(report: svc.AnalyticsReport, _: Gettext) -> bytes:
    """Return the analytics of ``report`` as an .xlsx file."""
    book = Workbook()
    book.remove(book.worksheets[0])
    d = report.distribution
    _sheet(
        book,
        _(msgid("Levels before and after")),
        [_(msgid("Digital level")), _(msgid("Before")), _(msgid("After"))],
        (16, 10, 10),
        [[level_label(level, _), d.before[level], d.after[level]] for level in LEVELS]
        + [[_(msgid("Gained at least one level")), d.improved, percent(d.share_improved)]],
    )
    keys = ["batch", "sector", "pilots", "measured", "improved", "share", "levels_gained"]
    keys += ["mean_before", "mean_after"]
    head = [
        msgid("Batch"),
        msgid("Sector"),
        msgid("Pilot projects"),
        msgid("Assessed before and after"),
    ]
    head += [msgid("Gained at least one level"), msgid("Share gaining"), msgid("Levels gained")]
    head += [msgid("Mean level before"), msgid("Mean level after")]
    groups = [group_row(report, g, _) for g in report.groups]
    _sheet(
        book,
        _(msgid("By batch and sector")),
        [_(h) for h in head],
        (14, 24, 8, 12, 12, 10, 10, 12, 12),
        [[row[k] for k in keys] for row in groups],
    )
    contractors = [effect_row(report, e, _) for e in report.contractors]
    contractors.append(effect_row(report, report.total, _) | {"name": _(msgid("Whole programme"))})
    _effects(book, _(msgid("By contractor")), msgid("Contractor"), contractors, _)
    scenarios = [effect_row(report, e, _) for e in report.scenarios]
    _effects(book, _(msgid("By scenario")), msgid("Scenario"), scenarios, _)
    keys = ["id", "title", "enterprise", "batch", "sector", "status", "contractor", "scenarios"]
    keys += ["before", "after", "gained_value", "awarded_cny", "paid_cny"]
    head = [msgid("ID"), msgid("Project"), msgid("Enterprise"), msgid("Batch"), msgid("Sector")]
    head += [msgid("Status"), msgid("Contractor"), msgid("Scenarios"), msgid("Level before")]
    head += [msgid("Level after"), msgid("Levels gained"), msgid("Subsidy awarded (CNY)")]
    head += [msgid("Subsidy paid (CNY)")]
    pilots = [pilot_row(report, p, _) for p in report.pilots]
    _sheet(
        book,
        _(msgid("Pilot projects")),
        [_(h) for h in head],
        (6, 32, 28, 12, 20, 12, 24, 24, 10, 10, 8, 16, 16),
        [[row[k] for k in keys] for row in pilots],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
