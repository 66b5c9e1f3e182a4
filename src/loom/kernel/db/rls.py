"""PostgreSQL row-level security: the database's own wall around every tenant-owned table.

Two halves. :func:`enable_row_level_security` runs after every ``loom db upgrade`` and derives
the policies from the mapped ``TenantOwned`` models. The session hooks below switch each
transaction of a scoped session to the ``loom_tenant`` role with the scope's organisation in a
transaction-local setting, before any statement reaches the server. SQLite is untouched.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session, SessionTransaction

from loom.kernel.db.base import TenantOwned
from loom.kernel.db.repository import session_scope_of, tenant_models

#: the NOLOGIN role a scoped transaction runs as (cluster-wide, shared by Loom databases)
TENANT_ROLE = "loom_tenant"
#: transaction-local setting naming the organisation the policies admit
ORG_SETTING = "loom.org_id"
#: transaction-local setting the kernel turns on for ``loom_all_tenants`` reads only
ALL_TENANTS_SETTING = "loom.all_tenants"
#: execution option marking a justified cross-tenant read (allow-listed in tests)
ALL_TENANTS_OPTION = "loom_all_tenants"

ISOLATION_POLICY = "loom_tenant_rows"
ALL_TENANTS_POLICY = "loom_all_tenants_read"
OWNER_POLICY = "loom_connecting_role"

_CURRENT_ORG = f"NULLIF(current_setting('{ORG_SETTING}', true), '')::integer"


def is_postgres(bind: Connection | Engine) -> bool:
    """Return whether ``bind`` talks to PostgreSQL (the only backend with these walls)."""
    return bind.dialect.name == "postgresql"


def policy_condition(model: type[TenantOwned]) -> str:
    """Return the SQL condition admitting rows the current organisation owns or takes part in."""
    columns = ("org_id", *model.__participant_columns__)
    return " OR ".join(f'"{column}" = {_CURRENT_ORG}' for column in columns)


def _tenant_tables(models: Iterable[type[TenantOwned]]) -> dict[str, type[TenantOwned]]:
    return {model.__table__.name: model for model in models}  # type: ignore[attr-defined]


def enable_row_level_security(
    connection: Connection, models: Iterable[type[TenantOwned]] | None = None
) -> list[str]:
    """Create the role, grants and policies for every existing tenant table; return the tables.

    Idempotent: policies are dropped and recreated in the caller's transaction, so a changed
    participant list or a newly added app's tables are covered by the next upgrade.
    """
    if not is_postgres(connection):
        return []
    tables = _tenant_tables(tenant_models() if models is None else models)
    existing = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    # Roles are cluster-wide: two test workers migrating their own databases may race here,
    # and an owner without CREATEROLE finds the role made by the operator (docs/operations.md).
    connection.execute(
        text(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{TENANT_ROLE}') "  # nosec B608 - a module constant, no input
            f"THEN CREATE ROLE {TENANT_ROLE} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    )
    exempt, member = connection.execute(
        text(
            "SELECT rolsuper OR rolbypassrls, pg_has_role(current_user, :role, 'MEMBER') "
            "FROM pg_roles WHERE rolname = current_user"
        ),
        {"role": TENANT_ROLE},
    ).one()
    if not member:
        # a non-superuser owner may only SET ROLE to roles it is a member of
        connection.execute(text(f"GRANT {TENANT_ROLE} TO current_user"))
    for statement in (
        f"GRANT USAGE ON SCHEMA {_schema(connection)} TO {TENANT_ROLE}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {_schema(connection)} "
        f"TO {TENANT_ROLE}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema(connection)} "
        f"TO {TENANT_ROLE}",
    ):
        connection.execute(text(statement))
    done = []
    for name, model in sorted(tables.items()):
        if name not in existing:
            continue  # an app whose migrations are not installed here
        _protect(connection, name, policy_condition(model), owner_policy=not exempt)
        done.append(name)
    return done


def _schema(connection: Connection) -> str:
    schema = connection.execute(text("SELECT quote_ident(current_schema())")).scalar()
    return str(schema)


def _protect(connection: Connection, table: str, condition: str, *, owner_policy: bool) -> None:
    quoted = f'"{table}"'
    statements = [
        f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY",
        # FORCE: the owner is bound too, so a non-superuser owner gains nothing by owning
        f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {ISOLATION_POLICY} ON {quoted}",
        f"CREATE POLICY {ISOLATION_POLICY} ON {quoted} FOR ALL TO {TENANT_ROLE} "
        f"USING ({condition}) WITH CHECK ({condition})",
        f"DROP POLICY IF EXISTS {ALL_TENANTS_POLICY} ON {quoted}",
        # reads only: a justified cross-tenant read never widens what may be written
        f"CREATE POLICY {ALL_TENANTS_POLICY} ON {quoted} FOR SELECT TO {TENANT_ROLE} "
        f"USING (current_setting('{ALL_TENANTS_SETTING}', true) = 'on')",
        f"DROP POLICY IF EXISTS {OWNER_POLICY} ON {quoted}",
    ]
    if owner_policy:
        # Unscoped work (CLI, login, jobs) runs as the connecting role; under FORCE it would
        # see nothing. loom_tenant is a member of no other role, so this never widens scope.
        statements.append(
            f"CREATE POLICY {OWNER_POLICY} ON {quoted} FOR ALL TO current_user "
            "USING (true) WITH CHECK (true)"
        )
    for statement in statements:
        connection.execute(text(statement))


def unprotected_tables(connection: Connection) -> list[str]:
    """Return tenant tables lacking forced row-level security or the isolation policy."""
    if not is_postgres(connection):
        return []
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
            "WHERE c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity "
            "AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname "
            "AND p.tablename = c.relname AND p.policyname = :policy)"
        ),
        {"policy": ISOLATION_POLICY},
    ).scalars()
    protected = set(rows)
    existing = set(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    return sorted(t for t in _tenant_tables(tenant_models()) if t in existing - protected)


# --- per-transaction switch ------------------------------------------------------------------

_UNKNOWN = object()


@dataclass
class _Applied:
    """What the server was last told in this connection's transaction."""

    session: weakref.ref[Session]
    state: object  # (org_id | None, all_tenants) or _UNKNOWN


_APPLIED: weakref.WeakKeyDictionary[Connection, _Applied] = weakref.WeakKeyDictionary()
_CONNECTIONS_KEY = "loom_rls_connections"
#: statements SQLAlchemy sends for savepoints (upper case, as its dialects emit them)
_TRANSACTION_CONTROL = ("SAVEPOINT ", "ROLLBACK", "RELEASE SAVEPOINT", "COMMIT", "BEGIN")


@event.listens_for(Session, "after_begin")
def _track(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    if not is_postgres(connection):
        return
    known = _APPLIED.get(connection)
    if transaction.nested and known is not None and known.session() is session:
        return  # a savepoint inherits the transaction's settings
    # a fresh transaction runs as the connecting role with no organisation set
    _APPLIED[connection] = _Applied(weakref.ref(session), (None, False))
    # kept per session, not found by scanning _APPLIED, which other threads change meanwhile
    session.info.setdefault(_CONNECTIONS_KEY, []).append(connection)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    connections: list[Connection] = session.info.get(_CONNECTIONS_KEY, [])
    if transaction.nested:
        for connection in connections:
            applied = _APPLIED.get(connection)
            if applied is not None:
                # a rolled-back savepoint reverts SET LOCAL: re-apply before the next statement
                applied.state = _UNKNOWN
    elif transaction.parent is None:
        for connection in session.info.pop(_CONNECTIONS_KEY, []):
            _APPLIED.pop(connection, None)


@event.listens_for(Engine, "before_cursor_execute")
def _switch_role(
    conn: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    # Every statement of a scoped session passes here, ORM or raw, so no service can forget.
    applied = _APPLIED.get(conn)
    if applied is None or statement.startswith(_TRANSACTION_CONTROL):
        # ROLLBACK TO SAVEPOINT must reach an aborted transaction first, and needs no role
        return
    session = applied.session()
    scope = session_scope_of(session) if session is not None else None
    org_id = scope.org_id if scope is not None else None
    options = context.execution_options if context is not None else {}
    wanted = (org_id, org_id is not None and bool(options.get(ALL_TENANTS_OPTION)))
    if applied.state == wanted:
        return
    raw = conn.connection.dbapi_connection
    if org_id is not None and getattr(raw, "autocommit", False):
        # each statement would be its own transaction and lose the SET LOCAL: fail closed
        raise RuntimeError("a scoped session cannot run in AUTOCOMMIT mode")
    applied.state = wanted
    _execute_raw(conn, _switch_sql(*wanted))


def _switch_sql(org_id: int | None, all_tenants: bool) -> str:
    """Return the one statement putting the transaction into the wanted tenant state."""
    role = TENANT_ROLE if org_id is not None else "none"
    org = "" if org_id is None else str(int(org_id))
    flag = "on" if all_tenants else ""
    return (
        f"SELECT set_config('role', '{role}', true), "
        f"set_config('{ORG_SETTING}', '{org}', true), "
        f"set_config('{ALL_TENANTS_SETTING}', '{flag}', true)"
    )


@contextmanager
def copy_into_own_rows(session: Session, org_ids: Iterable[int]) -> Iterator[None]:
    """Run the block's raw ``COPY … FROM`` as the connecting role, for the scope's own rows only.

    PostgreSQL refuses COPY FROM on a table under row-level security; ingest's binary COPY is
    ~3x faster than any INSERT path (decision 0009), so the kernel checks the rows' owner here
    instead of in the policy. The only caller is allow-listed in ``tests/kernel/test_rls.py``.
    """
    scope = session_scope_of(session)
    if scope is not None and set(org_ids) - {scope.org_id}:
        raise PermissionError("refusing to copy rows of another organisation")
    connection = session.connection()
    applied = _APPLIED.get(connection)
    if applied is None or applied.state == (None, False):
        yield  # SQLite, or already the connecting role
        return
    restore = applied.state
    applied.state = _UNKNOWN
    _execute_raw(connection, _switch_sql(None, False))
    yield
    if isinstance(restore, tuple):
        _execute_raw(connection, _switch_sql(*restore))
        applied.state = restore


def _execute_raw(connection: Connection, sql: str) -> None:
    raw = connection.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()
