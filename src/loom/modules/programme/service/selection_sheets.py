"""Rules shared by pilot and contractor selection: sheets, free texts, who decides, locking."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from loom.kernel.errors import PermissionDenied, ValidationFailed
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme import engine

MAX_STATEMENT = 4000
MAX_NOTE = 1000
MAX_NAME = 100
# keeps these advisory locks apart from the audit chain's (0x4C4F) and the subsidies' (0x5342)
_LOCK_NAMESPACE = 0x5053  # "PS"
_WHOLE = re.compile(r"\s*\d{1,6}\s*")


def detail(field: str, message: str) -> dict[str, str]:
    """Return one problem of a refused input, its message starting with the field."""
    return {"field": field, "message": f"{field}: {message}"}


def refuse(details: Sequence[dict[str, str]]) -> None:
    """Raise one ValidationFailed naming every problem, if there is any."""
    if details:
        raise ValidationFailed(
            "check these fields: %(fields)s",
            field=details[0]["field"],
            details=list(details),
            params={"fields": ", ".join(d["field"] for d in details)},
        )


def whole_number(value: object) -> int | None:
    """Return an int given as an int or as digits (a form field); ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return int(value)
    return None


def check_sheet(
    name_field: str,
    name: str,
    scores: Mapping[str, object],
    items: Sequence[engine.ScoredItem],
) -> tuple[str, dict[str, int], list[dict[str, str]]]:
    """Return the evaluator's name, the clean scores and every problem of one sheet."""
    found: list[dict[str, str]] = []
    clean_name = name.strip()
    if not clean_name or len(clean_name) > MAX_NAME:
        found.append(detail(name_field, f"a name of 1 to {MAX_NAME} characters"))
    known = {item.id for item in items}
    found.extend(
        detail(f"scores.{key}", "not scored in the active plan")
        for key in scores
        if key not in known
    )
    clean: dict[str, int] = {}
    for item in items:
        number = whole_number(scores.get(item.id))
        if number is None or not 0 <= number <= item.max_score:
            found.append(detail(f"scores.{item.id}", f"a whole number from 0 to {item.max_score}"))
        else:
            clean[item.id] = number
    return clean_name, clean, found


def text_of(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Return a stripped free text, refusing an empty required one or one over ``limit``."""
    clean = value.strip()
    if required and not clean:
        raise ValidationFailed("%(field)s: must not be empty", field=field, params={"field": field})
    if len(clean) > limit:
        raise ValidationFailed(
            "%(field)s: at most %(limit)s characters",
            field=field,
            params={"field": field, "limit": limit},
        )
    return clean


def serialise(session: Session, org_id: int) -> None:
    """Serialise a bureau's selection decisions until the transaction ends (quotas, one chosen).

    SQLite transactions begin IMMEDIATE (see kernel.db.session), which already serialises
    every writer; PostgreSQL needs a lock or two decisions could both see a free place.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, :key)"),
            {"ns": _LOCK_NAMESPACE, "key": org_id},
        )


def bureau_only(scope: Scope) -> None:
    """Refuse a view of the whole competition (a ranking, a selection) to anyone but a bureau."""
    if scope.org_kind != OrgKind.BUREAU:
        raise PermissionDenied("only the bureau sees the ranking of all applications")
