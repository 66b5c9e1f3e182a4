"""Shared helpers of the quality pages: labels, form errors, numbers typed, Excel downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response

from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context
from loom.modules.masterdata.service.checks import FieldProblem

BASE = "/apps/quality"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
EXPORT_LIMIT = 20_000
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


CLASS_LABELS = {
    "critical": msgid("Critical defect"),
    "major": msgid("Major defect"),
    "minor": msgid("Minor defect"),
}
CATEGORY_LABELS = {
    "sewing": msgid("Sewing"),
    "fabric": msgid("Fabric defect"),
    "measurement": msgid("Measurement"),
    "appearance": msgid("Appearance"),
    "trims": msgid("Trims and labels"),
    "other": msgid("Other defect"),
}
KIND_LABELS = {"inline": msgid("Inline inspection"), "endline": msgid("End-of-line inspection")}
SEVERITY_LABELS = {
    "normal": msgid("Normal inspection"),
    "tightened": msgid("Tightened inspection"),
    "reduced": msgid("Reduced inspection"),
    "mixed": msgid("Severity per class"),
    "": msgid("Zero tolerance"),
}
DECISION_LABELS = {"accept": msgid("Lot accepted"), "reject": msgid("Lot rejected")}
SOURCE_LABELS = {
    "entered": msgid("typed by the inspector"),
    "scan": msgid("from the scans"),
    "": "",
}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def locale_of(request: Request) -> str:
    """Return the page's locale (zh_CN or en)."""
    locale: str = page_context(request)["locale"]
    return locale


def labels(request: Request) -> dict[str, Any]:
    """Return every label table translated for the page."""
    gettext = translator(request)

    def translated(table: dict[str, str]) -> dict[str, str]:
        return {key: gettext(text) if text else "" for key, text in table.items()}

    return {
        "class_labels": translated(CLASS_LABELS),
        "category_labels": translated(CATEGORY_LABELS),
        "kind_labels": translated(KIND_LABELS),
        "severity_labels": translated(SEVERITY_LABELS),
        "decision_labels": translated(DECISION_LABELS),
        "source_labels": translated(SOURCE_LABELS),
    }


def problem_errors(request: Request, problems: Sequence[FieldProblem]) -> dict[str, str]:
    """Return one translated message per form field ("defects[2].qty" stays itself)."""
    gettext = translator(request)
    errors: dict[str, str] = {}
    for problem in problems:
        text = gettext(problem.template, **problem.params)
        name = problem.field
        errors[name] = f"{errors[name]}; {text}" if name in errors else text
    return errors


def domain_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """Return the message of a refusal raised by a service (a taken code, a stopped series)."""
    return {exc.field or "form": translator(request)(exc.template, **exc.params)}


def whole(raw: str) -> int:
    """Return a typed whole number, or -1 (below every range) so the service names it."""
    text = raw.strip().replace(",", "")
    return int(text) if text.isdigit() and len(text) < 10 else -1


def optional_id(raw: str) -> int | None:
    """Return a chosen id, None for an empty choice, or -1 for garbage (named as unknown)."""
    text = raw.strip()
    return None if not text else whole(text)


def xlsx(content: bytes, filename: str) -> Response:
    """Return an Excel download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)
