"""Shared helpers of the master-data pages: paths, labels, form errors, Excel downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response

from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.operations import MACHINE_TYPES

BASE = "/apps/masterdata"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
#: ids the INTEGER columns can hold; PostgreSQL would fail on larger ones instead of answering
StyleId = Annotated[int, Path(ge=1, le=2_147_483_647)]
OperationId = Annotated[int, Path(ge=1, le=2_147_483_647)]
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


#: machine types in English; Chinese pages show the shop floor's own names
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
KIND_LABELS = {"fabric": msgid("Fabric"), "trim": msgid("Trim")}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def locale_of(request: Request) -> str:
    """Return the page's locale (zh_CN or en)."""
    locale: str = page_context(request)["locale"]
    return locale


def machine_options(request: Request) -> list[tuple[str, str]]:
    """Return (key, label) of every machine type in the page's language."""
    if locale_of(request) == "zh_CN":
        return list(MACHINE_TYPES.items())
    gettext = translator(request)
    return [(key, gettext(MACHINE_LABELS[key])) for key in MACHINE_TYPES]


def problem_errors(request: Request, problems: Sequence[FieldProblem]) -> dict[str, str]:
    """Return one translated message per form field ("colours[2]" belongs to "colours")."""
    gettext = translator(request)
    errors: dict[str, str] = {}
    for problem in problems:
        name = problem.field.split("[")[0].split(".")[0]
        text = gettext(problem.template, **problem.params)
        errors[name] = f"{errors[name]}; {text}" if name in errors else text
    return errors


def domain_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """Return the field messages of a refusal raised by a service (a taken code)."""
    return {exc.field or "form": translator(request)(exc.template, **exc.params)}


def decimal_field(raw: str) -> Decimal:
    """Return a typed number, or NaN so that the service names the field."""
    try:
        return Decimal(raw.strip().replace(",", "") or "NaN")
    except InvalidOperation:
        return Decimal("NaN")


def int_field(raw: str) -> int:
    """Return a typed whole number, or -1 (below every range) so the service names it."""
    text = raw.strip()
    return int(text) if text.isdigit() and len(text) < 10 else -1


def labels(raw: str) -> list[str]:
    """Return colours or sizes typed into one box, split at commas or 、."""
    parts = raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


def xlsx(content: bytes, filename: str) -> Response:
    """Return an Excel download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)


def base_context(tab: str, **more: Any) -> dict[str, Any]:
    """Return the context every master-data page shares."""
    return {"tab": tab, "base": BASE, "machine_names": MACHINE_TYPES, **more}
