"""The subsidy list as an Excel workbook (openpyxl): awards and the totals per funder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.subsidy.engine import builtin_ruleset
from loom.modules.subsidy.models import Award
from loom.modules.subsidy.pages.common import (
    FUNDER_LABELS,
    KIND_LABELS,
    LIMIT_LABELS,
    RULE_LABELS,
    STATUS_LABELS,
    Gettext,
    label,
    msgid,
)
from loom.modules.subsidy.service.ledger import Ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0.00"


def _yuan(fen: int | None) -> Decimal | None:
    # exact: a Decimal cell keeps 0.01 steps that a float of fen/100 could blur
    return None if fen is None else Decimal(fen) / 100


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


def _money_columns(sheet: Worksheet, first: int, last: int) -> None:
    for row in sheet.iter_rows(min_row=2, min_col=first, max_col=last):
        for cell in row:
            cell.number_format = MONEY


def subsidy_workbook(
    awards: Sequence[Award],
    paid: Mapping[int, int],
    totals: Ledger,
    funders: Sequence[str],
    gettext: Gettext,
) -> bytes:
    """Return an .xlsx of the awards (one column per funder) and a sheet of totals per funder."""
    book = Workbook()
    funder_heads = [label(FUNDER_LABELS, f, gettext) for f in funders]
    head = [gettext(t) for t in (msgid("Award"), msgid("Rule"), msgid("Clause"))]
    head += [gettext(t) for t in (msgid("Rules version"), msgid("Kind"), msgid("Beneficiary"))]
    head += [gettext(t) for t in (msgid("Provider"), msgid("Project"), msgid("Investment (CNY)"))]
    head += [gettext(msgid("Amount (CNY)")), *funder_heads, gettext(msgid("Paid (CNY)"))]
    head += [gettext(t) for t in (msgid("Limit applied"), msgid("Status"), msgid("Approved by"))]
    head += [gettext(t) for t in (msgid("Approved at"), msgid("Note"), msgid("Cancel reason"))]
    widths = [8, 30, 10, 16, 10, 30, 24, 8, 16, 16, *[14] * len(funders), 14, 18, 10, 18, 18]
    sheet = _sheet(book, gettext(msgid("Subsidies")), head, [*widths, 30, 30])
    clauses = _clauses()
    for award in awards:
        sheet.append(
            [
                award.id,
                label(RULE_LABELS, award.rule_id, gettext),
                clauses.get(award.rule_id, ""),
                award.rules_version,
                label(KIND_LABELS, award.beneficiary_kind, gettext),
                award.beneficiary_name,
                award.provider_name,
                award.project_id,
                _yuan(award.investment_fen),
                _yuan(award.amount_fen),
                *[_yuan(award.split.get(f, 0)) for f in funders],
                _yuan(paid.get(award.id, 0)),
                label(LIMIT_LABELS, award.limit_applied, gettext),
                label(STATUS_LABELS, award.status, gettext),
                award.approved_by,
                award.approved_at.strftime("%Y-%m-%d %H:%M"),
                award.note,
                award.cancel_reason,
            ]
        )
    _money_columns(sheet, 9, 11 + len(funders))
    head = [gettext(t) for t in (msgid("Funder"), msgid("Approved (CNY)"), msgid("Paid (CNY)"))]
    head.append(gettext(msgid("Outstanding (CNY)")))
    summary = _sheet(book, gettext(msgid("Per funder")), head, (24, 18, 18, 18))
    for line in totals.lines:
        summary.append(
            [
                label(FUNDER_LABELS, line.funder, gettext),
                _yuan(line.approved_fen),
                _yuan(line.paid_fen),
                _yuan(line.outstanding_fen),
            ]
        )
    summary.append(
        [
            gettext(msgid("Total")),
            _yuan(totals.approved_fen),
            _yuan(totals.paid_fen),
            _yuan(totals.outstanding_fen),
        ]
    )
    _money_columns(summary, 2, 4)
    book.remove(book["Sheet"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _clauses() -> dict[str, str]:
    return {rule.id: rule.clause for rule in builtin_ruleset().rules}
