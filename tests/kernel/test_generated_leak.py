"""Every route of the assembled app, called as organisation B with A's ids: nothing of A leaks.

The walk is generated from the app's routes (walk_routes), so a new route is covered the day it
is added; a path parameter the tables (generated_leak_tables.py) cannot fill fails the test and
says what to add. Object routes (a path parameter naming A's row) must answer 404; every body,
HTML, JSON or workbook cells, must be free of A's markers; and A's rows must be byte-for-byte
unchanged after B's unsafe calls. SQLite only: one walk is about 850 requests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import ColumnElement, Engine, Table, select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.base import Base
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.assessment.models import RuleSetVersion
from loom.modules.brain.models import BrainRead
from loom.testing.routewalk import (
    Route,
    app_routes,
    body_text,
    markers_in,
    minimal_value,
    openapi_path,
    request_schemas,
    rows_digest,
)
from tests.kernel.generated_leak_tables import (
    ALLOWED_SOURCES,
    BODIES,
    EVIDENCE,
    FORMS,
    LANGUAGE,
    LITERAL_PARAMS,
    MARKER_COLUMNS,
    MIN_MARKER,
    OBJECT_PARAMS,
    OBJECT_STATUSES,
    ORG_NAME,
    QUERIES,
)
from tests.kernel.generated_leak_world import World, build_world


def _b_writes(b_orgs: list[int]) -> dict[str, ColumnElement[bool]]:
    """Return the rows B's calls may add to A's side on purpose, per table.

    A bureau's read of shared figures is logged in the enterprise's read log and audit chain.
    """
    return {
        "brain_read": BrainRead.reader_org_id.in_(b_orgs),
        "audit_event": AuditEvent.action == "brain.data.read",
    }


@dataclass
class Walk:
    """What the walk saw: outcomes by status, and the failures to report."""

    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    checked: int = 0


def _object_table(route: Route, param: str) -> str | None:
    """Return the table a path parameter of ``route`` names, or None."""
    for fragment, name, table in OBJECT_PARAMS:
        if name == param and fragment in route.path:
            return table
    return None


def _first_ids(engine: Engine, a_orgs: list[int]) -> dict[str, int]:
    """Return, per table the walk addresses, the smallest id of a row A's side owns."""
    ids: dict[str, int] = {}
    with engine.connect() as conn:
        for table_name in {t for _f, _p, t in OBJECT_PARAMS}:
            table: Table = Base.metadata.tables[table_name]
            found = conn.scalar(select(table.c.id).where(table.c.org_id.in_(a_orgs)).limit(1))
            assert found is not None, f"the world has no row of {table_name} on A's side"
            ids[table_name] = int(found)
    return ids


def _markers(engine: Engine, a_orgs: list[int]) -> dict[str, str]:
    """Return A's markers, each with the table and column it comes from."""
    found: dict[str, str] = {}
    with engine.connect() as conn:
        for table_name, column in MARKER_COLUMNS:
            table = Base.metadata.tables[table_name]
            query = select(table.c[column]).where(table.c.org_id.in_(a_orgs)).distinct()
            for value in conn.scalars(query):
                if isinstance(value, str) and len(value) >= MIN_MARKER:
                    found[value] = f"{table_name}.{column}"
        # last: a registry entry that names an organisation is that organisation's name
        for name in conn.scalars(select(Organisation.name).where(Organisation.id.in_(a_orgs))):
            found[name] = ORG_NAME
    return found


def _rule_set_code(engine: Engine) -> str:
    """Return a rule set's code (rule sets are global: every organisation may read them)."""
    with engine.connect() as conn:
        code = conn.scalar(select(RuleSetVersion.code).limit(1))
    assert code is not None
    return str(code)


def _url(route: Route, ids: dict[str, int], rule_set: str) -> tuple[str, bool, list[str]]:
    """Return the URL, whether it addresses A's row, and the parameters nothing could fill."""
    is_object = False
    missing: list[str] = []

    def value(param: str) -> object:
        nonlocal is_object
        table = _object_table(route, param)
        if table is not None:
            is_object = True
            return ids[table]
        if param == "code":
            return LANGUAGE if route.path.startswith("/lang/") else rule_set
        if param in LITERAL_PARAMS:
            return LITERAL_PARAMS[param]
        missing.append(param)
        return 0

    url = route.fill(value)
    return url, is_object, missing


def _callers(app: FastAPI, route: Route, world: World) -> list[tuple[OrgKind, TestClient]]:
    """Return B's clients whose organisation kind holds the route's permission."""
    kinds = list(OrgKind)
    if route.permission is not None:
        allowed = app.state.loom.registry.get(route.permission).org_kinds
        kinds = [k for k in OrgKind if k in allowed] or [OrgKind.ENTERPRISE]
    return [(k, world.b_clients[k]) for k in kinds]


def _call(client: TestClient, route: Route, url: str, bodies: dict[Any, Any]) -> Any:
    """Call ``url`` as the route's method, with a body that passes validation where known."""
    if route.method == "GET":
        return client.get(url, params=QUERIES.get(route.path), follow_redirects=False)
    if url.startswith("/api/"):
        # the smallest body the API description accepts, so the handler gets to the lookup
        found = bodies.get((route.method, openapi_path(route.path)))
        body = {} if found is None else minimal_value(found["schema"], found["components"])
        body = {**body, **BODIES.get((route.method, route.path), {})}
        if route.path.endswith("/evidence"):
            return client.post(url, data=body, files=EVIDENCE, follow_redirects=False)
        return client.request(route.method, url, json=body, follow_redirects=False)
    form = FORMS.get(route.path, {})
    if route.path.endswith("/evidence"):
        return client.post(url, data=form, files=EVIDENCE, follow_redirects=False)
    return client.request(route.method, url, data=form, follow_redirects=False)


def _check(
    walk: Walk, route: Route, kind: OrgKind, response: Any, is_object: bool, markers: dict[str, str]
) -> None:
    """Record the outcome; a 5xx, an unexpected status or a marker of A's is a failure."""
    where = f"{route.method} {route.path} as B {kind.value}"
    status = response.status_code
    walk.statuses[f"{'object' if is_object else 'other'} {route.method} {status}"] += 1
    if status >= 500:
        walk.failures.append(f"{where}: {status} {response.text[:200]}")
    elif is_object and status not in _expected(route):
        walk.failures.append(f"{where}: {status} for A's row (want {sorted(_expected(route))})")
    text = body_text(response.content, response.headers.get("content-type", ""))
    allowed = ALLOWED_SOURCES.get((route.method, route.path), ((), ""))[0]
    leaked = [m for m in markers_in(text, markers) if markers[m] not in allowed]
    if leaked:
        shown = ", ".join(f"{m!r} ({markers[m]})" for m in leaked[:5])
        walk.failures.append(f"{where}: body shows A's {shown}")


def _expected(route: Route) -> set[int]:
    """Return the statuses an object route may answer B with."""
    if (route.method, route.path) in OBJECT_STATUSES:
        return OBJECT_STATUSES[(route.method, route.path)][0]
    if route.method == "GET":
        return {404}
    # A form the walk leaves empty is refused before the handler looks the row up: 422 tells
    # B nothing about A's row, and A's rows are compared after the walk to prove nothing changed.
    return {404, 422}


def test_organisation_b_reaches_nothing_of_a_through_any_route(loom_app: FastAPI) -> None:
    world = build_world(loom_app)
    engine = loom_app.state.loom.engine
    ids = _first_ids(engine, world.a_org_ids)
    markers = _markers(engine, world.a_org_ids)
    rule_set = _rule_set_code(engine)
    session_factory = loom_app.state.loom.session_factory
    b_writes = _b_writes(list(world.b_org_ids.values()))
    with session_factory() as session:
        before = rows_digest(session, world.a_org_ids, b_writes)
    walk = Walk()
    routes = app_routes(loom_app)
    bodies = request_schemas(loom_app)
    present = {(r.method, r.path) for r in routes}
    keyed = {*ALLOWED_SOURCES, *OBJECT_STATUSES, *BODIES}
    keyed |= {("GET", path) for path in QUERIES} | {("POST", path) for path in FORMS}
    assert sorted(keyed - present) == [], "stale entries in generated_leak_tables.py: remove them"
    skipped = 0
    for route in routes:
        url, is_object, missing = _url(route, ids, rule_set)
        if missing:
            walk.failures.append(
                f"{route.method} {route.path}: add {missing} to OBJECT_PARAMS or LITERAL_PARAMS"
            )
            continue
        if route.method != "GET" and not is_object:
            skipped += 1  # an unsafe call without A's id only touches B's own rows
            continue
        walk.checked += 1
        for kind, client in _callers(loom_app, route, world):
            _check(walk, route, kind, _call(client, route, url, bodies), is_object, markers)
    with session_factory() as session:
        after = rows_digest(session, world.a_org_ids, b_writes)
    changed = sorted(t for t in before if before[t] != after[t])
    print(f"\nroutes: {len(routes)} checked: {walk.checked} unsafe without A's id: {skipped}")
    for outcome, count in sorted(walk.statuses.items()):
        print(f"  {outcome}: {count}")
    assert walk.failures == [], "\n".join(walk.failures)
    assert changed == [], f"B's calls changed A's rows in {changed}"
    assert walk.checked + skipped == len(routes)
    # 701 routes when this test was written: 599 walked, 102 unsafe calls without A's id.
    # Raise the floor as routes are added; a drop means the walk lost routes.
    assert walk.checked >= 599
    assert len(markers) > 100
