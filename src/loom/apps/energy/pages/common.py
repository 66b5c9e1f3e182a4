"""Shared helpers of the energy pages: labels, form errors, numbers and downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import KINDS
from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context
from loom.modules.masterdata.models import Machine, ProductionLine
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.lines import LineRepository
from loom.modules.masterdata.service.machines import MachineRepository

BASE = "/apps/energy"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


KIND_LABELS = {
    "electricity": msgid("Electricity"),
    "natural_gas": msgid("Natural gas"),
    "steam": msgid("Steam"),
    "diesel": msgid("Diesel"),
    "lpg": msgid("Liquefied petroleum gas"),
    "gasoline": msgid("Gasoline"),
    "heat": msgid("Purchased heat"),
    "water": msgid("Water"),
}
ATTACHMENT_LABELS = {
    "factory": msgid("Whole factory"),
    "line": msgid("Production line"),
    "machine": msgid("Machine"),
}
MODE_LABELS = {
    "register": msgid("Register readings (cumulative)"),
    "period": msgid("Consumption per period (bills)"),
}
EVENT_LABELS = {
    "": "",
    "rollover": msgid("Register rolled over"),
    "replaced": msgid("Meter replaced"),
}
SOURCE_LABELS = {
    "hand": msgid("by hand"),
    "file": msgid("from a file"),
    "device": msgid("from a device"),
}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def locale_of(request: Request) -> str:
    """Return the page's locale (zh_CN or en)."""
    locale: str = page_context(request)["locale"]
    return locale


def kind_options(request: Request) -> list[tuple[str, str]]:
    """Return (key, "label (unit)") of every kind in the page's language."""
    gettext = translator(request)
    return [(key, f"{gettext(KIND_LABELS[key])} ({kind.unit})") for key, kind in KINDS.items()]


def labels(request: Request) -> dict[str, dict[str, str]]:
    """Return the translated labels of kinds, attachments, modes, events and sources."""
    gettext = translator(request)

    def each(table: dict[str, str]) -> dict[str, str]:
        return {key: gettext(text) if text else "" for key, text in table.items()}

    return {
        "kind": each(KIND_LABELS),
        "attached": each(ATTACHMENT_LABELS),
        "mode": each(MODE_LABELS),
        "event": each(EVENT_LABELS),
        "source": each(SOURCE_LABELS),
        "unit": {key: kind.unit for key, kind in KINDS.items()},
    }


def problem_errors(request: Request, problems: Sequence[FieldProblem]) -> dict[str, str]:
    """Return one translated message per form field."""
    gettext = translator(request)
    errors: dict[str, str] = {}
    for problem in problems:
        text = gettext(problem.template, **problem.params)
        errors[problem.field] = (
            f"{errors[problem.field]}; {text}" if problem.field in errors else text
        )
    return errors


def domain_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """Return the field message of a refusal raised by a service (a taken code)."""
    return {exc.field or "form": translator(request)(exc.template, **exc.params)}


def lines_of(db: Session, scope: Scope) -> list[ProductionLine]:
    """Return the enterprise's lines by code."""
    return list(db.scalars(LineRepository(db, scope).select().order_by(ProductionLine.code)))


def machines_of(db: Session, scope: Scope) -> list[Machine]:
    """Return the enterprise's machines by code."""
    return list(db.scalars(MachineRepository(db, scope).select().order_by(Machine.code)))


def number(value: Decimal | None, places: int = 2) -> str:
    """Return a figure grouped by thousands with ``places`` decimals, or "—"."""
    if value is None:
        return "—"
    return f"{value:,.{places}f}"


def xlsx(content: bytes, filename: str) -> Response:
    """Return an Excel download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)


def base_context(request: Request, tab: str, **more: Any) -> dict[str, Any]:
    """Return the context every energy page shares."""
    return {"tab": tab, "base": BASE, "labels": labels(request), "number": number, **more}
