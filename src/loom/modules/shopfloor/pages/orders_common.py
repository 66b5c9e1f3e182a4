"""Shared helpers of the order pages: paths, status labels, form parsing, error messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context
from loom.modules.masterdata.service.checks import FieldProblem

BASE = "/apps/shopfloor/orders"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
READ = "shopfloor.order.read"
WRITE = "shopfloor.order.write"
DELETE = "shopfloor.order.delete"
CUT = "shopfloor.cutting.write"
#: an integer column holds no more; a larger typed number is refused like a typo
MAX_INT = 2_147_483_647


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


STATUS_LABELS = {
    "open": msgid("Not started"),
    "cutting": msgid("Cutting in progress"),
    "sewing": msgid("Sewing in progress"),
    "done": msgid("Order finished"),
    "cancelled": msgid("Order cancelled"),
}
LAY_LABELS = {"planned": msgid("Lay planned"), "cut": msgid("Lay cut")}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def problem_texts(request: Request, found: Iterable[FieldProblem]) -> dict[str, str]:
    """Return one translated message per bad field (the first problem of a field wins)."""
    gettext = translator(request)
    errors: dict[str, str] = {}
    for problem in found:
        errors.setdefault(problem.field, gettext(problem.template, **dict(problem.params)))
    return errors


def error_text(request: Request, exc: DomainError) -> dict[str, str]:
    """Return a refused change's message under its field (or ``_`` for the whole form)."""
    text = translator(request)(exc.template, **exc.params)
    return {exc.field or "_": text.removeprefix(f"{exc.field}: ") if exc.field else text}


def whole(
    raw: str, field: str, found: list[FieldProblem], *, low: int = 0, blank: int | None = 0
) -> int | None:
    """Return a typed whole number, or note the problem; ``blank`` is what an empty box means."""
    text = raw.strip()
    if not text:
        if blank is None:
            found.append(FieldProblem(field, "must not be empty"))
        return blank
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= MAX_INT:
        found.append(FieldProblem(field, "a whole number of at least %(min)s", {"min": low}))
        return None
    return value


def day(raw: str, field: str, found: list[FieldProblem]) -> date | None:
    """Return a typed ISO date, or note the problem."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        found.append(FieldProblem(field, "a date such as 2026-12-31"))
        return None


def session_rollback(db: Session) -> None:
    """Drop anything flushed before a rule broke, so the page can render cleanly."""
    db.rollback()
