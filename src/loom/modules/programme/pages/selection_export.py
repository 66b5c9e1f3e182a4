"""Excel workbooks of the pilot and contractor rankings (openpyxl; page data in, bytes out)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.programme.engine import rounded
from loom.modules.programme.pages.common import msgid
from loom.modules.programme.pages.selection_labels import DECIDED_BY, Weighted
from loom.modules.programme.service.contractor_ranking import SectorBids
from loom.modules.programme.service.selection_ranking import RankRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Gettext = Callable[..., str]
NOT_SCORED = msgid("not scored yet")
STALE = msgid("the sheets do not fit the active plan; enter them again")


def _sheet(book: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    assert isinstance(sheet, Worksheet)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, 2 * len(text)))
    sheet.freeze_panes = "A2"
    return sheet


def _scores_format(sheet: Worksheet, first: int, last: int) -> None:
    for column in range(first, last + 1):
        sheet.cell(row=sheet.max_row, column=column).number_format = "0.00"


def _weights(book: Workbook, title: str, items: Sequence[Weighted], gettext: Gettext) -> None:
    head = [gettext(h) for h in (msgid("Item"), msgid("Weight"), msgid("Highest score"))]
    sheet = _sheet(book, title, [*head, gettext(msgid("Weight set by"))])
    for item in items:
        origin = msgid("Loom default") if item.default else msgid("the plan")
        sheet.append([item.label, item.weight, item.max_score, gettext(origin)])


def _save(book: Workbook) -> bytes:
    book.remove(book["Sheet"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def pilot_workbook(
    ranking: Mapping[str, Sequence[RankRow]],
    principles: Sequence[Weighted],
    labels: Mapping[str, Any],
    gettext: Gettext,
) -> bytes:
    """Return the pilot ranking: one row per application, sector by sector, and the weights.

    ``labels`` holds ``sectors`` (id -> name), ``statuses`` (id -> msgid) and ``batches``.
    """
    book = Workbook()
    head = [msgid("Sector"), msgid("Rank in sector"), msgid("Overall rank"), msgid("Application")]
    head += [msgid("Enterprise"), msgid("Unified social credit code"), msgid("Status")]
    head += [msgid("Batch"), msgid("Experts")]
    tail = [msgid("Weighted score"), msgid("Exact score"), msgid("Ranked below the one before")]
    names = [gettext(h) for h in head] + [p.label for p in principles]
    sheet = _sheet(book, gettext(msgid("Ranking")), names + [gettext(t) for t in tail])
    for sector, rows in ranking.items():
        for row in rows:
            app, score, ranked = row.application, row.scored.score, row.ranked
            line: list[Any] = [labels["sectors"].get(sector, sector)]
            line += [
                ranked.sector_position if ranked else None,
                ranked.position if ranked else None,
            ]
            line += [app.id, row.enterprise.name, row.enterprise.credit_code]
            line += [gettext(labels["statuses"].get(app.status, app.status))]
            line += [labels["batches"].get(app.batch, app.batch or ""), row.scored.sheets]
            if score is None:
                note = STALE if row.scored.stale else NOT_SCORED
                sheet.append([*line, *([None] * len(principles)), None, None, gettext(note)])
                continue
            means = [rounded(score.principle(p.id)) for p in principles]
            why = DECIDED_BY.get(ranked.decided_by or "", "") if ranked else ""
            sheet.append(
                [*line, *means, rounded(score.total), str(score.total), gettext(why) if why else ""]
            )
            _scores_format(sheet, len(head) + 1, len(head) + len(principles) + 1)
    _weights(book, gettext(msgid("Weights")), principles, gettext)
    return _save(book)


def contractor_workbook(
    ranking: Mapping[str, SectorBids],
    criteria: Sequence[Weighted],
    groups: Sequence[Weighted],
    labels: Mapping[str, Any],
    gettext: Gettext,
) -> bytes:
    """Return the contractor ranking with group and criterion scores, and the weights.

    ``labels`` holds ``sectors``, ``statuses`` and ``orgs`` (organisation id -> name).
    """
    book = Workbook()
    orgs = labels["orgs"]
    head = [msgid("Sector"), msgid("Rank in sector"), msgid("Application"), msgid("Lead")]
    head += [msgid("Consortium members"), msgid("Status")]
    scored = [g.label for g in groups] + [c.label for c in criteria]
    tail = [msgid("Weighted score"), msgid("Exact score"), msgid("Ranked below the one before")]
    names = [gettext(h) for h in head] + scored + [gettext(t) for t in tail]
    sheet = _sheet(book, gettext(msgid("Ranking")), names)
    for sector, bids in ranking.items():
        for row in bids.rows:
            app, score, ranked = row.application, row.scored.score, row.ranked
            line: list[Any] = [labels["sectors"].get(sector, sector)]
            line += [ranked.sector_position if ranked else None, app.id]
            line += [
                orgs.get(app.contractor_org_id, ""),
                "、".join(orgs.get(m, "") for m in app.member_org_ids),
            ]
            line += [gettext(labels["statuses"].get(app.status, app.status))]
            if score is None:
                note = STALE if row.scored.stale else NOT_SCORED
                sheet.append([*line, *([None] * len(scored)), None, None, gettext(note)])
                continue
            parts = [
                rounded(score.by_group[g.id]) if g.id in score.by_group else None for g in groups
            ]
            parts += [rounded(score.criterion(c.id)) for c in criteria]
            why = DECIDED_BY.get(ranked.decided_by or "", "") if ranked else ""
            sheet.append(
                [*line, *parts, rounded(score.total), str(score.total), gettext(why) if why else ""]
            )
            _scores_format(sheet, len(head) + 1, len(head) + len(scored) + 1)
    _weights(book, gettext(msgid("Criteria")), criteria, gettext)
    _weights(book, gettext(msgid("Evaluator groups")), groups, gettext)
    return _save(book)
