"""Form handling for the pages: read fields as typed, validate, and say what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Form, Request
from pydantic import BaseModel, ValidationError

from loom.kernel.web.templating import page_context
from loom_subcontract.i18n import msgid
from loom_subcontract.service import RuleViolation

M = TypeVar("M", bound=BaseModel)

# Pydantic's messages are English and technical; a form shows one plain hint per field.
FIELD_HINTS = {
    "partner": msgid("Enter the partner's name (up to 120 characters)."),
    "process": msgid("Choose a process."),
    "reference": msgid("Enter the style or order reference (up to 80 characters)."),
    "qty_sent": msgid("Enter a whole number of pieces, at least 1."),
    "sent_on": msgid("Enter a date as YYYY-MM-DD."),
    "due_on": msgid("Enter a date as YYYY-MM-DD."),
    "received_on": msgid("Enter a date as YYYY-MM-DD."),
    "qty_received": msgid("Enter a whole number of pieces, 0 or more."),
    "qty_defective": msgid("Enter a whole number of pieces, 0 or more."),
    "note": msgid("Keep the note under 1000 characters."),
}


def job_form(
    partner: str = Form(""),
    process: str = Form(""),
    reference: str = Form(""),
    qty_sent: str = Form(""),
    sent_on: str = Form(""),
    due_on: str = Form(""),
    note: str = Form(""),
) -> dict[str, str]:
    """Collect the job form exactly as typed, so a rejected form shows it again."""
    return {
        "partner": partner,
        "process": process,
        "reference": reference,
        "qty_sent": qty_sent,
        "sent_on": sent_on,
        "due_on": due_on,
        "note": note,
    }


def receipt_form(
    qty_received: str = Form(""),
    qty_defective: str = Form("0"),
    received_on: str = Form(""),
    note: str = Form(""),
) -> dict[str, str]:
    """Collect the receipt form exactly as typed."""
    return {
        "qty_received": qty_received,
        "qty_defective": qty_defective,
        "received_on": received_on,
        "note": note,
    }


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for messages made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def parse(
    model: type[M], values: dict[str, str], request: Request, defaults: frozenset[str] = frozenset()
) -> tuple[M | None, dict[str, str]]:
    """Validate form strings into ``model``; on failure return translated hints per field.

    A blank field named in ``defaults`` is left out, so the model's default applies.
    """
    data = {k: v for k, v in values.items() if not (k in defaults and v.strip() == "")}
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        tr = translator(request)
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(name, tr(FIELD_HINTS.get(name, msgid("Check this value."))))
        return None, errors


def rule_error(request: Request, exc: RuleViolation) -> dict[str, str]:
    """Return a broken rule's message, translated, under the field it names."""
    return {exc.field or "form": translator(request)(exc.message_id, **exc.params)}
