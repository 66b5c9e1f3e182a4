"""Shared helpers of the plan pages: paths, labels, form values and errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Request

from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context

BASE = "/apps/scheduling/plans"
DB = Depends(get_db, scope="function")
READ, WRITE = "scheduling.plan.read", "scheduling.plan.write"
CALENDAR = "scheduling.calendar.write"
PAGE_SIZE = 25
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


WEEKDAYS = (
    msgid("Mon"),
    msgid("Tue"),
    msgid("Wed"),
    msgid("Thu"),
    msgid("Fri"),
    msgid("Sat"),
    msgid("Sun"),
)
STATUS_LABELS = {
    "draft": msgid("draft"),
    "adopted": msgid("current plan"),
    "superseded": msgid("superseded"),
}
SCENARIO_LABELS = {
    "rush": msgid("Rush order"),
    "overtime": msgid("Overtime"),
    "lose_line": msgid("Line lost"),
}
SKIP_REASONS = (msgid("all pieces finished"), msgid("no SAM: route the style first"))


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def domain_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """Return one translated message per field of a refusal (a list of problems, or one)."""
    gettext = translator(request)
    if isinstance(exc.details, list) and exc.details:
        errors: dict[str, str] = {}
        for item in exc.details:
            name = str(item.get("field", "form")).split("[")[0].split(".")[0]
            message = str(item.get("message", ""))
            # "field: text" as raised: translate the text after the field name when we can
            text = message.split(": ", 1)[1] if ": " in message else message
            errors[name] = f"{errors[name]}; {gettext(text)}" if name in errors else gettext(text)
        return errors
    template = exc.template
    field = exc.field or "form"
    if exc.field and template.startswith(f"{exc.field}: "):
        template = template[len(exc.field) + 2 :]
    return {field: gettext(template, **exc.params)}


def day_field(raw: str) -> date | None:
    """Return a typed ISO date, or None when blank or not a date."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def int_or_none(raw: str) -> int | None:
    """Return a typed whole number, or None when blank or not a number."""
    text = raw.strip()
    if text.startswith("-") and text[1:].isdigit():
        return int(text)
    return int(text) if text.isdigit() and len(text) < 10 else None


def labels(request: Request) -> dict[str, Any]:
    """Return the translated status and scenario labels every plan page uses."""
    gettext = translator(request)
    return {
        "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
        "scenario_labels": {k: gettext(v) for k, v in SCENARIO_LABELS.items()},
        "weekday_labels": [gettext(d) for d in WEEKDAYS],
    }


def base_context(request: Request, tab: str, **more: Any) -> dict[str, Any]:
    """Return the context every plan page shares."""
    return {"tab": tab, "base": BASE, **labels(request), **more}
