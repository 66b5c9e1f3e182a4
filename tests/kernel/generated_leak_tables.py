"""The tables of the generated leak walk: how to fill each path parameter, and what may show.

Kept apart from the walk itself (test_generated_leak.py) so that adding a route's entry does
not mean reading the walk's machinery.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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
