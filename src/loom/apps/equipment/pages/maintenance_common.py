"""Shared helpers of the maintenance pages: paths, labels, the badge, form parsing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.apps.equipment.service import maintenance_due as due
from loom.apps.equipment.service import maintenance_inspections as inspections
from loom.apps.equipment.service import maintenance_orders as orders
from loom.apps.equipment.service.maintenance_common import active_machines
from loom.apps.equipment.service.maintenance_views import (
    DUE_LABELS,
    FREQUENCY_LABELS,
    KIND_LABELS,
    MACHINE_LABELS,
    PRIORITY_LABELS,
    SHIFT_LABELS,
    STATUS_LABELS,
    msgid,
)
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context
from loom.modules.masterdata.models import Machine
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.operations import MACHINE_TYPES

BASE = "/apps/equipment/maintenance"
DB = Depends(get_db, scope="function")
READ = "equipment.maintenance.read"
WRITE = "equipment.maintenance.write"
RECORD = "equipment.maintenance.record"
DELETE = "equipment.maintenance.delete"
PAGE_SIZE = 25
EXPORT_LIMIT = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def gettext_of(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def locale_of(request: Request) -> str:
    """Return the page's locale (zh_CN or en)."""
    locale: str = page_context(request)["locale"]
    return locale


def machine_type_labels(request: Request) -> dict[str, str]:
    """Return every machine type's label in the page's language."""
    if locale_of(request) == "zh_CN":
        return dict(MACHINE_TYPES)
    gettext = gettext_of(request)
    return {key: gettext(MACHINE_LABELS[key]) for key in MACHINE_TYPES}


def labels(request: Request) -> dict[str, Any]:
    """Return the translated labels every maintenance template uses."""
    gettext = gettext_of(request)

    def translated(found: Mapping[str, str]) -> dict[str, str]:
        return {key: gettext(text) for key, text in found.items()}

    return {
        "status_labels": translated(STATUS_LABELS),
        "kind_labels": translated(KIND_LABELS),
        "priority_labels": translated(PRIORITY_LABELS),
        "due_labels": translated(DUE_LABELS),
        "frequency_labels": translated(FREQUENCY_LABELS),
        "shift_labels": translated(SHIFT_LABELS),
        "type_labels": machine_type_labels(request),
    }


def context(
    request: Request, db: Session, scope: Scope, tab: str, today: date, **more: Any
) -> dict[str, Any]:
    """Return what every maintenance page shows: its tab, the badge counts and the labels."""
    badge = {
        "due": due.due_count(db, scope, today),
        "live": orders.live_count(db, scope),
        "rounds_missing": sum(len(w.missing) for w in inspections.todays_rounds(db, scope, today)),
    }
    return {
        "tab": tab,
        "base": BASE,
        "today": today,
        "badge": badge,
        "can_write": scope.can(WRITE),
        "can_record": scope.can(RECORD),
        "can_delete": scope.can(DELETE),
        **labels(request),
        **more,
    }


def machine_codes(db: Session, scope: Scope) -> dict[int, Machine]:
    """Return the enterprise's machines in service by id, for names and select boxes."""
    return {m.id: m for m in active_machines(db, scope)}


def problem_errors(request: Request, problems: list[FieldProblem]) -> dict[str, str]:
    """Return one translated message per form field ("results[2]" keeps its index)."""
    gettext = gettext_of(request)
    errors: dict[str, str] = {}
    for problem in problems:
        name = problem.field.split(".")[0]
        if not name.startswith("results["):
            # a part's line belongs to the parts box; a round's item keeps its own message
            name = name.split("[")[0]
        text = gettext(problem.template, **problem.params)
        errors[name] = f"{errors[name]}; {text}" if name in errors else text
    return errors


def optional_int(raw: str) -> int | None:
    """Return a typed whole number, None when blank, or -1 (below every range) when not one."""
    text = raw.strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else -1


def date_or_problem(raw: str, field: str, found: list[FieldProblem]) -> date | None:
    """Return a typed date, or None after adding the field's problem."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        found.append(FieldProblem(field, msgid("a date such as 2026-03-01 is expected here")))
        return None


def lines_of(raw: str) -> list[str]:
    """Return the non-blank lines of a text box: one checklist item or part per line."""
    return [line.strip() for line in raw.replace("\r", "").split("\n") if line.strip()]


def xlsx(content: bytes, filename: str) -> Response:
    """Return an Excel download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)
