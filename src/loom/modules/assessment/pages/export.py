"""Excel workbooks of an assessment and of a plan (openpyxl; plain data in, bytes out)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.assessment.models import Assessment
from loom.modules.assessment.pages.common import level_name, msgid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Gettext = Callable[..., str]


def _sheet(book: Workbook, title: str, header: Sequence[str], widths: Sequence[int]) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    assert isinstance(sheet, Worksheet)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _save(book: Workbook) -> bytes:
    default = book["Sheet"]
    book.remove(default)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _t(gettext: Gettext, *texts: str) -> list[str]:
    return [gettext(t) for t in texts]


def assessment_workbook(
    a: Assessment, view: dict[str, Any], orgs: dict[int, str], gettext: Gettext
) -> bytes:
    """Return an .xlsx with the summary, indicators, scenes and level conditions."""
    book = Workbook()
    kinds = {"self": gettext(msgid("self-assessment")), "onsite": gettext(msgid("on-site"))}
    phases = {"before": gettext(msgid("before")), "after": gettext(msgid("after"))}
    summary = _sheet(
        book, gettext(msgid("Summary")), _t(gettext, msgid("Item"), msgid("Value")), (24, 60)
    )
    summary.append([gettext(msgid("Enterprise")), orgs.get(a.org_id, "")])
    if a.assessor_org_id:
        summary.append([gettext(msgid("Assessor")), orgs.get(a.assessor_org_id, "")])
    summary.append([gettext(msgid("Kind")), kinds.get(a.kind, a.kind)])
    summary.append([gettext(msgid("Phase")), phases.get(a.phase, a.phase)])
    summary.append([gettext(msgid("Assessed on")), a.assessed_on])
    summary.cell(row=summary.max_row, column=2).number_format = "yyyy-mm-dd"
    summary.append([gettext(msgid("Title")), a.title])
    summary.append([gettext(msgid("Rule set")), view["rules_version"]])
    summary.append([gettext(msgid("Score")), view["score"]])
    summary.append([gettext(msgid("Digital level")), level_name(view["level"], gettext)])
    for d in view["dimensions"]:
        summary.append([d["name"], d["score"]])
    if view["unverified"]:
        summary.append([gettext(msgid("Unverified rules used")), ", ".join(view["unverified"])])
    head = _t(gettext, msgid("ID"), msgid("Indicator"), msgid("Question"), msgid("Answer"))
    head += _t(gettext, msgid("Figures"), msgid("Points"), msgid("Max points"))
    sheet = _sheet(book, gettext(msgid("Indicators")), head, (6, 14, 36, 60, 30, 10, 10))
    for row in view["indicators"]:
        answer = "；".join(f"{k} {t}" for k, t in row["options"])
        figures = "；".join(f"{k} {v}" for k, v in row["figures"])
        sheet.append(
            [row["id"], row["name"], row["question"], answer, figures, row["points"], row["max"]]
        )
    head = _t(
        gettext,
        msgid("ID"),
        msgid("Scene"),
        msgid("Constrained"),
        msgid("Level"),
        msgid("Level description"),
    )
    sheet = _sheet(book, gettext(msgid("Scenes")), head, (6, 14, 10, 8, 80))
    for row in view["scenes"]:
        flag = gettext(msgid("yes")) if row["constrained"] else ""
        sheet.append([row["id"], row["name"], flag, row["level"], row["text"]])
    head = _t(
        gettext, msgid("Level"), msgid("Reached"), msgid("Score needed"), msgid("Points short")
    )
    head += _t(gettext, msgid("Scenes needed"), msgid("Scenes short"))
    head += _t(gettext, msgid("Constrained scenes needed"), msgid("Constrained scenes short"))
    sheet = _sheet(book, gettext(msgid("Levels")), head, (10, 10, 12, 12, 12, 12, 16, 16))
    for check in view["checks"]:
        sheet.append(
            [
                check["level"],
                gettext(msgid("yes")) if check["met"] else gettext(msgid("no")),
                check["score"]["required"],
                check["score"]["short"],
                check["scenes"]["required"],
                check["scenes"]["short"],
                check["constrained_scenes"]["required"],
                check["constrained_scenes"]["short"],
            ]
        )
    return _save(book)


def plan_workbook(a: Assessment, report: dict[str, Any], gettext: Gettext) -> bytes:
    """Return an .xlsx with the plan's summary, its options and the changes it makes."""
    book = Workbook()
    plan = report["target"]
    cost = plan["cost"]
    summary = _sheet(
        book, gettext(msgid("Plan")), _t(gettext, msgid("Item"), msgid("Value")), (28, 40)
    )
    summary.append([gettext(msgid("Assessment")), a.id])
    summary.append([gettext(msgid("Target level")), plan["target_level"]])
    summary.append(
        [gettext(msgid("Reachable")), gettext(msgid("yes") if plan["reachable"] else msgid("no"))]
    )
    summary.append([gettext(msgid("Total investment (CNY)")), cost["investment_cny"]])
    if cost.get("subsidy_counted"):
        summary.append([gettext(msgid("Subsidy (CNY)")), cost["subsidy_cny"]])
        summary.append([gettext(msgid("Net cost (CNY)")), cost["net_cny"]])
    summary.append([gettext(msgid("Weeks (sum)")), plan["weeks"]["total"]])
    summary.append([gettext(msgid("Weeks (critical path)")), plan["weeks"]["critical_path"]])
    summary.append([gettext(msgid("Score before")), plan["before"]["score"]])
    if plan["after"]:
        summary.append([gettext(msgid("Score after")), plan["after"]["score"]])
        summary.append([gettext(msgid("Level after")), plan["after"]["level"]])
    summary.append([gettext(msgid("Solver status")), plan["solver"]["status"]])
    summary.append(
        [
            gettext(msgid("Proved optimal")),
            gettext(msgid("yes") if plan["solver"]["proved"] else msgid("no")),
        ]
    )
    if plan.get("unreachable"):
        summary.append([gettext(msgid("Why unreachable")), plan["unreachable"]["message"]])
    head = _t(
        gettext,
        msgid("ID"),
        msgid("Option"),
        msgid("Provider"),
        msgid("Cost (CNY)"),
        msgid("Weeks"),
        msgid("Raises"),
    )
    sheet = _sheet(book, gettext(msgid("Options")), head, (20, 40, 24, 12, 8, 60))
    for option in plan["options"]:
        raises = "；".join(
            f"{r['indicator']} {r['name']} {r['points_before']:g}→{r['points_after']:g}"
            if "indicator" in r
            else f"{r['scene']} {r['name']} {r['level_before']}→{r['level_after']}"
            for r in option["raises"]
        )
        sheet.append(
            [
                option["id"],
                option["name"],
                option["provider"],
                option["cost_cny"],
                option["weeks"],
                raises,
            ]
        )
    return _save(book)
