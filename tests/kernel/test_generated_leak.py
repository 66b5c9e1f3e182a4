"""Every route of the assembled app, called as organisation B with A's ids: nothing of A leaks.

The walk is generated from the app's routes (walk_routes), so a new route is covered the day it
is added; a path parameter the table below cannot fill fails the test and says what to add.
Object routes (a path parameter naming A's row) must answer 404; every body, HTML, JSON or
workbook cells, must be free of A's markers; and A's rows must be byte-for-byte unchanged after
B's unsafe calls. SQLite only: one walk is about 850 requests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
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
from tests.kernel.generated_leak_world import World, build_world

# A path parameter naming a tenant-owned row: (fragment of the path or "", parameter, table).
# The first entry whose fragment is in the path wins; "" is the fallback for the parameter.
OBJECT_PARAMS: tuple[tuple[str, str, str], ...] = (
    ("", "token_id", "identity_api_token"),
    ("", "membership_id", "tenancy_membership"),
    ("", "assessment_id", "assessment_assessment"),
    ("", "evidence_id", "assessment_evidence"),
    ("/balancing/", "plan_id", "balancing_plan"),
    ("/scheduling/", "plan_id", "scheduling_plan"),
    ("/equipment/", "plan_id", "equipment_maintenance_plan"),
    ("", "meter_id", "energy_meter"),
    ("", "reading_id", "energy_reading"),
    ("", "revenue_id", "energy_revenue"),
    ("", "machine_id", "masterdata_machine"),
    ("/matching/", "order_id", "matching_order"),
    ("/equipment/", "order_id", "equipment_work_order"),
    ("", "order_id", "shopfloor_order"),  # the shop floor's and the scheduling app's orders
    ("", "round_id", "equipment_inspection_round"),
    ("", "template_id", "equipment_inspection_template"),
    ("/investment/", "line_id", "programme_investment"),
    ("", "line_id", "masterdata_line"),
    ("", "workstation_id", "masterdata_workstation"),
    ("", "station_id", "masterdata_workstation"),
    ("", "operator_id", "masterdata_operator"),
    ("", "style_id", "masterdata_style"),
    ("", "operation_id", "masterdata_operation"),
    ("", "op_id", "masterdata_operation"),
    ("", "invitation_id", "matching_invitation"),
    ("", "enterprise_id", "programme_enterprise"),
    ("pilot", "application_id", "programme_pilot_application"),
    ("contractor", "application_id", "programme_contractor_application"),
    ("pilot", "sheet_id", "programme_pilot_score"),
    ("contractor", "sheet_id", "programme_contractor_score"),
    ("", "need_id", "programme_need"),
    ("", "scenario_id", "programme_scenario"),
    ("", "list_id", "programme_list"),
    ("", "project_id", "programme_project"),
    ("", "product_id", "programme_product"),
    ("", "defect_id", "quality_defect"),
    ("/aql/", "inspection_id", "quality_aql_inspection"),
    ("", "inspection_id", "quality_inspection"),
    ("", "series_id", "quality_aql_series"),
    ("", "lay_id", "shopfloor_lay"),
    ("", "bundle_id", "shopfloor_bundle"),
    ("", "quarantine_id", "shopfloor_quarantine"),
    ("", "entry_id", "shopfloor_quarantine"),
    ("", "job_id", "subcontract_job"),
    ("", "receipt_id", "subcontract_receipt"),
    ("", "award_id", "subsidy_award"),
)
# Parameters that name no tenant's row: a fixed, valid value (the route is then no object route).
LITERAL_PARAMS: dict[str, object] = {
    "slug": "energy",  # an app
    "category": "output",  # a brain sharing category
    "metric": "quality.dhu",  # a brain metric
    "stage": "cutting",  # a time-and-action stage
    "sheet": "all",  # the masterdata import templates
    "token": "no-such-upload",  # a refused registry upload kept in the session
    "day": date.today().isoformat(),
    "item": 1,  # the first item of an inspection round (the round is A's)
    "target_id": "batch-1-pilots",  # a target of the built-in action plan
}
# ``code`` is a language on /lang and a global rule set in the assessment app.
LANGUAGE = "en"

# Columns whose values in A's rows are A's markers: names, codes and numbers people read.
# Rows made by the world carry "LKA"; the demo's own rows keep their (distinctive) names.
# Left out on purpose: the common defect catalogue (every factory may add the same codes).
MARKER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("masterdata_style", "code"),
    ("masterdata_line", "code"),
    ("masterdata_operation", "code"),
    ("masterdata_operator", "code"),
    ("masterdata_operator", "name"),
    ("masterdata_machine", "serial"),
    ("masterdata_workstation", "code"),
    ("masterdata_bom_line", "material_name"),
    ("shopfloor_order", "number"),
    ("shopfloor_quarantine", "detail"),
    ("equipment_work_order", "number"),
    ("equipment_maintenance_plan", "name"),
    ("equipment_inspection_template", "name"),
    ("energy_meter", "code"),
    ("balancing_plan", "name"),
    ("identity_api_token", "name"),
    ("matching_order", "style_name"),
    ("subcontract_job", "partner"),
    ("assessment_assessment", "title"),
    ("assessment_evidence", "filename"),
    ("programme_enterprise", "name"),
    ("programme_enterprise", "credit_code"),
    ("programme_need", "need_title"),
    ("programme_scenario", "title"),
    ("programme_showcase", "title"),
    ("programme_project", "contract_no"),
    ("programme_product", "name"),
    ("programme_investment", "description"),
    ("programme_contractor_application", "statement"),
    ("programme_acceptance", "reasons"),
    ("subsidy_award", "note"),
    ("subsidy_payment", "reference"),
)
MIN_MARKER = 4  # shorter values ("T恤", "N01") could be anyone's words

ORG_NAME = "tenancy_organisation.name"
PRODUCTS = ("programme_product.name", ORG_NAME)  # a product and its contractor's name
# The product catalogue is public: contractors publish products for every enterprise and
# bureau to choose from, with the contractor's name and the bureaus' "excellent" marks.
CATALOGUE = "the product catalogue is public (contractors publish for every organisation)"
BRAIN = (
    "enterprises consent to share with the brain, which any bureau reads; the capacity map "
    "names each consenting enterprise with its own figures, and each read is logged in the "
    "enterprise's read log (the k-anonymous district figures name nobody)"
)
# Routes that show some of A's rows to B on purpose: (method, path) → marker sources, reason.
ALLOWED_SOURCES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("GET", "/api/v1/programme/products"): (PRODUCTS, CATALOGUE),
    ("GET", "/api/v1/programme/products/{product_id}"): (PRODUCTS, CATALOGUE),
    ("GET", "/apps/programme/products"): (PRODUCTS, CATALOGUE),
    ("GET", "/apps/programme/products.xlsx"): (PRODUCTS, CATALOGUE),
    ("GET", "/apps/programme/products/{product_id:int}"): (PRODUCTS, CATALOGUE),
    # a bureau quotes the excellent-product award for any published product
    ("GET", "/apps/subsidy/quote"): (PRODUCTS, CATALOGUE),
    ("GET", "/api/v1/brain/capacity"): ((ORG_NAME,), BRAIN),
    ("GET", "/apps/brain/capacity"): ((ORG_NAME,), BRAIN),
    ("GET", "/apps/brain/capacity.xlsx"): ((ORG_NAME,), BRAIN),
    # the instance's action plan (a global table) names the bureau that issued it
    ("GET", "/api/v1/programme/plan"): ((ORG_NAME,), "one action plan per instance"),
    ("GET", "/apps/programme/plan"): ((ORG_NAME,), "one action plan per instance"),
    # a contractor applies to any bureau, alone or with partner contractors: it picks them by name
    ("GET", "/api/v1/programme/contractor-applications/bureaus"): ((ORG_NAME,), "bureaus"),
    ("GET", "/api/v1/programme/contractor-applications/partners"): ((ORG_NAME,), "partners"),
    ("GET", "/apps/programme/contractors/apply"): ((ORG_NAME,), "bureaus and partners"),
    # an assessor may assess any enterprise on site: the form lists active enterprises by name
    ("GET", "/apps/assessment/new"): ((ORG_NAME,), "enterprises an assessor may assess"),
}
# Object routes that answer B on purpose: (method, path) → statuses, reason.
OBJECT_STATUSES: dict[tuple[str, str], tuple[set[int], str]] = {
    ("GET", "/api/v1/programme/products/{product_id}"): ({200}, CATALOGUE),
    ("GET", "/apps/programme/products/{product_id:int}"): ({200}, CATALOGUE),
    # any bureau marks a published product excellent: the mark is the bureau's own row
    ("PUT", "/api/v1/programme/products/{product_id}/mark"): ({200, 422}, "B's own mark"),
    ("POST", "/apps/programme/products/{product_id:int}/mark"): ({303, 422}, "B's own mark"),
}
# Query parameters a GET needs before it looks its row up (else it answers 422 and proves
# nothing about the row).
QUERIES: dict[str, dict[str, str]] = {
    "/api/v1/masterdata/operations/{operation_id}/rate": {"on": date.today().isoformat()},
}
# Bodies the service checks before it looks the row up, where the smallest body the API
# description accepts is not enough (the walk would otherwise stop at a 422).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PUT", "/api/v1/programme/products/{product_id}"): {
        "name": "B's product",
        "price": "9800.00",
        "delivery_weeks": 2,
        "deployment": "cloud",
        "scenario_code": "N05",
        "description": "",
        "scenes": {"S09": 2},
        "indicators": {},
    },
    ("POST", "/api/v1/programme/projects/{project_id}/decision"): {"decision": "pass"},
    ("POST", "/api/v1/assessment/assessments/{assessment_id}/evidence"): {"item": "B2"},
    ("POST", "/api/v1/subsidy/awards/{award_id}/payments"): {
        "funder": "city",
        "amount": "1",
        "paid_on": "2025-12-01",
        "reference": "B",
    },
}

# Page forms the walk fills in (the others answer 422 to an empty form: their API twins above
# are walked with a valid body).
FORMS: dict[str, dict[str, str]] = {
    "/settings/members/{membership_id}": {"role": "viewer"},
    "/apps/assessment/{assessment_id:int}/evidence": {"item": "B2"},
    "/apps/programme/projects/{project_id:int}/transition": {"action": "approve"},
}
EVIDENCE = {"file": ("b.pdf", b"%PDF-1.4 B", "application/pdf")}


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
    assert sorted(keyed - present) == [], "stale entries in the tables above: remove them"
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
