"""Shared helpers of the balancing pages: translation, labels, charts and the Excel download."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.apps.balancing.i18n import msgid
from loom.apps.balancing.models import BalancingPlan
from loom.apps.balancing.service.export import plan_workbook
from loom.apps.balancing.service.views import PlanView, load_chart, minutes, view_of
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context
from loom.modules.masterdata.models import ProductionLine, Style
from loom.modules.masterdata.service.lines import LineRepository
from loom.modules.masterdata.service.operations import MACHINE_TYPES
from loom.modules.masterdata.service.styles import StyleRepository

BASE = "/apps/balancing"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
PlanId = Annotated[int, Path(ge=1, le=2_147_483_647)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the master data's machine-type names, for English pages (Chinese pages use its own)
MACHINE_LABELS = {
    "lockstitch": msgid("Lockstitch"),
    "overlock": msgid("Overlock"),
    "coverstitch": msgid("Coverstitch"),
    "bartack": msgid("Bartack"),
    "button": msgid("Button sewing"),
    "buttonhole": msgid("Buttonhole"),
    "manual": msgid("Manual work"),
    "pressing": msgid("Pressing"),
    "other": msgid("Other machine"),
}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def machine_label(request: Request, machine_type: str | None) -> str:
    """Return a machine type in the page's language."""
    if not machine_type:
        return "—"
    if page_context(request)["locale"] == "zh_CN":
        return MACHINE_TYPES.get(machine_type, machine_type)
    return translator(request)(MACHINE_LABELS.get(machine_type, machine_type))


def names(
    db: Session, scope: Scope, plans: Sequence[BalancingPlan]
) -> tuple[dict[int, Style], dict[int, ProductionLine]]:
    """Return the styles and lines the plans name, by id."""
    style_ids = {p.style_id for p in plans}
    line_ids = {p.line_id for p in plans if p.line_id is not None}
    styles = {
        s.id: s
        for s in db.scalars(StyleRepository(db, scope).select().where(Style.id.in_(style_ids)))
    }
    lines = {
        line.id: line
        for line in db.scalars(
            LineRepository(db, scope).select().where(ProductionLine.id.in_(line_ids))
        )
    }
    return styles, lines


def chart_of(request: Request, view: PlanView) -> dict[str, Any]:
    """Return the load chart of a plan with translated labels."""
    gettext = translator(request)
    label = msgid("Cycle time") if view.plan.cycle_time_e4 else msgid("Bottleneck")
    return load_chart(
        view,
        {"load": gettext("Station load (min)"), "pace": gettext(label), "unit": gettext("min")},
    )


def export_response(request: Request, db: Session, scope: Scope, plan: BalancingPlan) -> Response:
    """Return the plan's Excel workbook as a download, headed in the request's language."""
    styles, lines = names(db, scope, [plan])
    style = styles.get(plan.style_id)
    line = lines.get(plan.line_id) if plan.line_id is not None else None
    content = plan_workbook(
        view_of(plan),
        translator(request),
        f"{style.code} {style.name}" if style else "",
        f"{line.code} {line.name}" if line else "",
    )
    filename = f"balancing-plan-{plan.id}-{date.today().isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)


def base_context(**more: Any) -> dict[str, Any]:
    """Return the context every balancing page shares."""
    return {"base": BASE, "minutes": minutes, **more}
