"""Styles (款式) with their colour × size matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.service.checks import (
    FieldProblem,
    list_problems,
    raise_problems,
    text_problems,
)


@dataclass(frozen=True)
class StyleIn:
    """A style as a user enters it."""

    code: str
    name: str
    season: str = ""
    customer: str = ""
    colours: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)


class StyleRepository(TenantRepository[Style]):
    """The scope's enterprise's styles."""

    model = Style


def style_problems(data: StyleIn) -> list[FieldProblem]:
    """Return every bad field of a style."""
    return [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("name", data.name, 200, required=True),
        *text_problems("season", data.season, 40, required=False),
        *text_problems("customer", data.customer, 200, required=False),
        *list_problems("colours", data.colours, 40),
        *list_problems("sizes", data.sizes, 20),
    ]


def snapshot(style: Style) -> dict[str, Any]:
    """Return a style's fields as the audit trail records them."""
    return {
        "code": style.code,
        "name": style.name,
        "season": style.season,
        "customer": style.customer,
        "colours": list(style.colours),
        "sizes": list(style.sizes),
    }


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = StyleRepository(session, scope).select().where(Style.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict("code: style %(code)s exists already", field="code", params={"code": code})


def _fill(style: Style, data: StyleIn) -> None:
    style.code = data.code.strip()
    style.name = data.name.strip()
    style.season = data.season.strip()
    style.customer = data.customer.strip()
    style.colours = [c.strip() for c in data.colours]
    style.sizes = [s.strip() for s in data.sizes]


def create(session: Session, scope: Scope, data: StyleIn) -> Style:
    """Create a style of the scope's enterprise; its code must be new there."""
    raise_problems(style_problems(data))
    _check_code_free(session, scope, data.code.strip(), None)
    style = Style(org_id=scope.org_id)
    _fill(style, data)
    session.add(style)
    session.flush()
    record_scoped(
        session, scope, "masterdata.style.created", "style", style.id, after=snapshot(style)
    )
    return style


def update(session: Session, scope: Scope, style_id: int, data: StyleIn) -> Style:
    """Replace a style's fields; another enterprise's style answers 404."""
    style = StyleRepository(session, scope).get(style_id)
    raise_problems(style_problems(data))
    _check_code_free(session, scope, data.code.strip(), style.id)
    before = snapshot(style)
    _fill(style, data)
    after = snapshot(style)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "masterdata.style.updated",
            "style",
            style.id,
            before=before,
            after=after,
        )
    return style


def delete(session: Session, scope: Scope, style_id: int) -> None:
    """Delete a style with its routing."""
    repo = StyleRepository(session, scope)
    style = repo.get(style_id)
    before = snapshot(style)
    repo.delete(style)
    record_scoped(session, scope, "masterdata.style.deleted", "style", style_id, before=before)


def search(
    session: Session, scope: Scope, *, q: str = "", offset: int = 0, limit: int = 50
) -> Page[Style]:
    """Return one page of styles, by code, searched in code, name, season and customer."""
    repo = StyleRepository(session, scope)
    stmt = repo.select().order_by(Style.code, Style.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(
            or_(
                Style.code.ilike(like),
                Style.name.ilike(like),
                Style.season.ilike(like),
                Style.customer.ilike(like),
            )
        )
    return repo.page(stmt, offset=offset, limit=limit)
