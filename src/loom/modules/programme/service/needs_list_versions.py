"""Published N+X list versions: who may read them, the newest, and what changed between two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import ListVersion
from loom.modules.programme.service.catalogue import ALL_TENANTS
from loom.modules.programme.service.context import programme_bureau

#: the three lists, in the order the plan names them
KINDS = ("problems", "needs", "scenarios")


class ListRepository(TenantRepository[ListVersion]):
    """The bureau's published list versions; for a contractor, those of its programme.

    The lists are what contractors build their scenarios and products on (四(二)3), so a
    contractor taking part in a bureau's programme (a bid or a project) reads that bureau's
    published versions: one explicit all-tenants read of published snapshots, never of the
    survey behind them.
    """

    model = ListVersion

    def __init__(self, session: Session, scope: Scope) -> None:
        super().__init__(session, scope)
        self.bureau = scope.org_id
        if scope.org_kind == OrgKind.CONTRACTOR:
            self.bureau = programme_bureau(session, scope) or scope.org_id

    def _owned(self) -> ColumnElement[bool]:
        return ListVersion.org_id == self.bureau

    def select(self) -> Select[ListVersion]:
        """Return a select of the versions this caller may read."""
        return super().select().execution_options(**ALL_TENANTS)

    def page(
        self, stmt: Select[ListVersion] | None = None, *, offset: int = 0, limit: int = 50
    ) -> Page[ListVersion]:
        """Return one page of ``stmt`` with its total, both read the same explicit way."""
        stmt = self.select() if stmt is None else stmt
        limit = max(1, min(limit, 200))
        offset = max(0, offset)
        count = select(func.count()).select_from(stmt.subquery())
        total = self.session.scalar(count, execution_options=ALL_TENANTS) or 0
        items = self.session.scalars(stmt.offset(offset).limit(limit)).all()
        return Page(items=items, total=total, offset=offset, limit=limit)


def versions(
    session: Session,
    scope: Scope,
    *,
    sector: str = "",
    kind: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[ListVersion]:
    """Return one page of published list versions, newest first."""
    repo = ListRepository(session, scope)
    stmt = repo.select()
    if sector:
        stmt = stmt.where(ListVersion.sector == sector)
    if kind:
        stmt = stmt.where(ListVersion.kind == kind)
    stmt = stmt.order_by(ListVersion.published_at.desc(), ListVersion.id.desc())
    return repo.page(stmt, offset=offset, limit=limit)


def latest(session: Session, scope: Scope, sector: str) -> dict[str, ListVersion]:
    """Return the newest published version of each list of the sector, by kind."""
    found: dict[str, ListVersion] = {}
    for kind in KINDS:
        stmt = (
            ListRepository(session, scope)
            .select()
            .where(ListVersion.sector == sector, ListVersion.kind == kind)
            .order_by(ListVersion.version.desc())
        )
        row = session.scalars(stmt).first()
        if row is not None:
            found[kind] = row
    return found


def get_version(session: Session, scope: Scope, list_id: int) -> ListVersion:
    """Return a published list version of the bureau (404 for anyone else's)."""
    return ListRepository(session, scope).get(list_id)


def previous(session: Session, scope: Scope, row: ListVersion) -> ListVersion | None:
    """Return the version published just before ``row`` of the same list, if any."""
    stmt = (
        ListRepository(session, scope)
        .select()
        .where(
            ListVersion.sector == row.sector,
            ListVersion.kind == row.kind,
            ListVersion.version < row.version,
        )
        .order_by(ListVersion.version.desc())
    )
    return session.scalars(stmt).first()


@dataclass(frozen=True)
class Change:
    """An item in both versions whose fields differ."""

    key: str
    before: dict[str, Any]
    after: dict[str, Any]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ListDiff:
    """What changed from one version of a list to another."""

    old: ListVersion | None
    new: ListVersion
    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[Change, ...]
    unchanged: int


def entries(kind: str, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return a list's items by key; the problem list is compared problem by problem."""
    if kind == "problems":
        return {p["key"]: {**p, "stage": g["stage"]} for g in items for p in g["problems"]}
    return {item["key"]: item for item in items}


def diff(old: ListVersion | None, new: ListVersion) -> ListDiff:
    """Compare two versions of one list (``old`` None: everything of ``new`` is added)."""
    before = entries(new.kind, [] if old is None else old.items)
    after = entries(new.kind, new.items)
    order = {key: n for n, key in enumerate(after)}
    changed = []
    for key in after.keys() & before.keys():
        fields = sorted(
            f
            for f in after[key].keys() | before[key].keys()
            if f != "key" and after[key].get(f) != before[key].get(f)
        )
        if fields:
            changed.append(Change(key, before[key], after[key], tuple(fields)))
    return ListDiff(
        old=old,
        new=new,
        added=tuple(item for key, item in after.items() if key not in before),
        removed=tuple(item for key, item in before.items() if key not in after),
        changed=tuple(sorted(changed, key=lambda c: order[c.key])),
        unchanged=len(after.keys() & before.keys()) - len(changed),
    )


def compare(session: Session, scope: Scope, list_id: int, against: int | None = None) -> ListDiff:
    """Compare a version with ``against`` (default: the version just before it)."""
    new = get_version(session, scope, list_id)
    old = previous(session, scope, new) if against is None else get_version(session, scope, against)
    if old is not None and (old.sector, old.kind) != (new.sector, new.kind):
        raise ValidationFailed("against: a version of the same sector's same list", field="against")
    return diff(old, new)
