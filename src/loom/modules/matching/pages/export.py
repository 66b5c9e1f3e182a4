"""The ranking of a posted order as an Excel workbook: one row per factory, each factor."""

from __future__ import annotations

from io import BytesIO

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.modules.matching.engine.ranking import FACTORS
from loom.modules.matching.models import MatchOrder
from loom.modules.matching.pages.common import DB, Gettext, RowId, factor_value, labels, translator
from loom.modules.matching.permissions import ORDER_READ
from loom.modules.matching.service import orders as svc

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ranking_workbook(
    order: MatchOrder, names: dict[str, dict[str, str]], gettext: Gettext
) -> bytes:
    """Return the order's ranking as .xlsx bytes: place, factory, score, each factor explained."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = svc.number(order.id)
    header = [gettext("Place"), gettext("Factory"), gettext("Score"), gettext("Feasible")]
    for name in FACTORS:
        header += [names["factor"][name], f"{names['factor'][name]} · {gettext('Points')}"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in order.ranking:
        line: list[object] = [
            row["place"],
            row["name"],
            row["score"],
            gettext("Yes") if row["feasible"] else gettext("No"),
        ]
        for factor in row["factors"]:
            line += [factor_value(factor, names), factor["points"]]
        sheet.append(line)
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12 if index != 2 else 30
    sheet.freeze_panes = "C2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@router.get("/orders/{order_id}/ranking.xlsx")
def export_ranking(
    request: Request, order_id: RowId, scope: Scope = require(ORDER_READ), db: Session = DB
) -> Response:
    """Download the order's ranking with every factor explained."""
    order = svc.get(db, scope, order_id)
    data = ranking_workbook(order, labels(request), translator(request))
    return Response(
        data,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="ranking-{svc.number(order.id)}.xlsx"'
        },
    )
