"""Decide and change which apps an organisation uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.plugins.models import AppEnablement
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope

#: session.info key of the rows read in the current transaction: (transaction, {org_id: rows})
_CACHE_KEY = "loom_app_enablement"


#: every page view reads it: built once, not per request
_ORG_ROWS = (
    select(AppEnablement)
    .where(AppEnablement.org_id == bindparam("org_id"))
    .execution_options(loom_all_tenants=True)
)


def _rows(session: Session, org_id: int) -> dict[str, AppEnablement]:
    """Return the organisation's enablement rows by slug, read once per transaction.

    A page asks about every installed app (the route's own and the navigation's): one query
    for all of them instead of one per app. Kept for the transaction only, so another
    request's change is seen by the next one; this module's writers drop it.
    """
    cache: dict[int, dict[str, AppEnablement]] | None = None
    cached = session.info.get(_CACHE_KEY)
    if cached is not None and cached[0] is session.get_transaction():
        cache = cached[1]
        if org_id in cache:
            return cache[org_id]
    found = session.scalars(_ORG_ROWS, {"org_id": org_id})
    rows = {row.slug: row for row in found}
    if cache is None:
        cache = {}
        # after the query, which began the transaction if none was open
        session.info[_CACHE_KEY] = (session.get_transaction(), cache)
    cache[org_id] = rows
    return rows


def preload(session: Session, org_ids: Iterable[int]) -> None:
    """Read the enablement rows of several organisations in one query, for this transaction.

    The brain asks about every sharing enterprise in turn; without this each is a query.
    """
    cached = session.info.get(_CACHE_KEY)
    known: dict[int, dict[str, AppEnablement]] = (
        cached[1] if cached is not None and cached[0] is session.get_transaction() else {}
    )
    wanted = sorted(set(org_ids) - set(known))
    if not wanted:
        return
    stmt = select(AppEnablement).where(AppEnablement.org_id.in_(wanted))
    found: dict[int, dict[str, AppEnablement]] = {org_id: {} for org_id in wanted}
    for row in session.scalars(stmt.execution_options(loom_all_tenants=True)):
        found[row.org_id][row.slug] = row
    cached = session.info.get(_CACHE_KEY)
    if cached is None or cached[0] is not session.get_transaction():
        # after the query, which began the transaction if none was open
        cached = session.info[_CACHE_KEY] = (session.get_transaction(), {})
    cache: dict[int, dict[str, AppEnablement]] = cached[1]
    cache.update(found)


def _forget(session: Session) -> None:
    """Drop the cached rows (after a write, which a savepoint rollback may undo)."""
    session.info.pop(_CACHE_KEY, None)


def _row(session: Session, org_id: int, slug: str) -> AppEnablement | None:
    return _rows(session, org_id).get(slug)


def is_enabled(session: Session, org: Organisation, spec: AppSpec) -> bool:
    """Return whether ``spec`` is on for ``org`` (an explicit choice beats the default)."""
    if org.kind not in spec.org_kinds:
        return False
    row = _row(session, org.id, spec.slug)
    return spec.enabled_by_default if row is None else row.enabled


def enabled_apps(session: Session, org: Organisation, apps: dict[str, AppSpec]) -> list[AppSpec]:
    """Return the apps enabled for ``org``, sorted by name."""
    return sorted(
        (spec for spec in apps.values() if is_enabled(session, org, spec)), key=lambda s: s.name
    )


def app_settings(session: Session, org_id: int, spec: AppSpec) -> dict[str, Any]:
    """Return the organisation's validated settings for ``spec`` (defaults when unset)."""
    row = _row(session, org_id, spec.slug)
    raw = row.settings if row is not None else {}
    if spec.settings_model is None:
        return dict(raw)
    return spec.settings_model.model_validate(raw).model_dump(mode="json")


def stored_settings(session: Session, org_id: int, slug: str) -> dict[str, Any]:
    """Return the settings the organisation saved for the app ``slug``, unvalidated ({} if none).

    For an app reading its own settings on every page: it shares the transaction's one read.
    """
    row = _row(session, org_id, slug)
    return dict(row.settings) if row is not None else {}


def app_settings_model(session: Session, org_id: int, spec: AppSpec) -> BaseModel | None:
    """Return the organisation's settings for ``spec`` as the app's own validated model."""
    if spec.settings_model is None:
        return None
    return spec.settings_model.model_validate(app_settings(session, org_id, spec))


def set_enabled(
    session: Session, scope: Scope, org: Organisation, spec: AppSpec, enabled: bool
) -> AppEnablement:
    """Enable or disable an app for the scope's organisation, with dependants checked."""
    if org.id != scope.org_id:
        raise NotFound("organisation not found")
    if org.kind not in spec.org_kinds:
        raise ValidationFailed(
            "app %(slug)s is not available to %(kind)s organisations",
            field="slug",
            params={"slug": spec.slug, "kind": org.kind.value},
        )
    row = _row(session, scope.org_id, spec.slug)
    before = None if row is None else {"enabled": row.enabled}
    if row is None:
        row = AppEnablement(org_id=scope.org_id, slug=spec.slug, enabled=enabled, settings={})
        session.add(row)
    row.enabled = enabled
    session.flush()
    _forget(session)
    action = f"kernel.app.{'enabled' if enabled else 'disabled'}"
    record_scoped(
        session, scope, action, "app", spec.slug, before=before, after={"enabled": enabled}
    )
    return row


def update_settings(
    session: Session, scope: Scope, spec: AppSpec, values: dict[str, Any]
) -> dict[str, Any]:
    """Validate and store per-organisation settings for ``spec``."""
    if spec.settings_model is None:
        raise ValidationFailed(
            "app %(slug)s has no settings", field="settings", params={"slug": spec.slug}
        )
    try:
        clean = spec.settings_model.model_validate(values).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ValidationFailed(f"{loc}: {first['msg']}", field=loc, details=exc.errors()) from exc
    row = _row(session, scope.org_id, spec.slug)
    before = None if row is None else dict(row.settings)
    if row is None:
        row = AppEnablement(org_id=scope.org_id, slug=spec.slug, enabled=spec.enabled_by_default)
        session.add(row)
    row.settings = clean
    session.flush()
    _forget(session)
    record_scoped(
        session, scope, "kernel.app.configured", "app", spec.slug, before=before, after=clean
    )
    return clean
