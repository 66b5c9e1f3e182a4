"""Pages of the 小快轻准 product catalogue: browse, export, publish, withdraw, mark excellent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.engine import CompiledRules
from loom.modules.programme.models import Product
from loom.modules.programme.pages.common import BASE, DB, PAGE_SIZE, fen_of, msgid, translator
from loom.modules.programme.service import catalogue as svc
from loom.modules.programme.service import projects
from loom.modules.programme.service.planning import CLOSED, plan_project, plannable_assessments

router = APIRouter()
READ = "programme.product.read"
PUBLISH = "programme.product.publish"
MARK = "programme.product.mark"
INVEST = "programme.project.invest"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_ORDER = ["name", "price", "delivery_weeks", "deployment", "scenes", "indicators"]
DEPLOYMENT_LABELS = {
    "cloud": msgid("Cloud deployment"),
    "on_premise": msgid("On-premise deployment"),
}


def _shown(db: Session, rows: Sequence[Product]) -> dict[str, Any]:
    """Return what the product tables show besides the rows: contractors and excellent marks."""
    marked = svc.excellent_by(db, [p.id for p in rows])
    ids = {p.org_id for p in rows} | {b for bureaus in marked.values() for b in bureaus}
    names = svc.contractor_names(db, ids)
    by = {p: [names.get(b, "") for b in bureaus] for p, bureaus in marked.items()}
    return {"names": names, "excellent_by": by}


@router.get("/products")
def catalogue(
    request: Request,
    q: str = Query("", max_length=100),
    excellent: str = Query("", pattern="^(|yes)$"),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the published products of every contractor, searched and filtered."""
    page = svc.catalogue_page(db, q=q, excellent=excellent == "yes", offset=offset, limit=PAGE_SIZE)
    context = {"page": page, "q": q, "excellent": excellent, **_shown(db, page.items)}
    context["can_publish"] = scope.can(PUBLISH)
    return render(request, "programme/catalogue_list.html", context)


def _workbook(db: Session, rows: list[Product], gettext: Callable[..., str]) -> bytes:
    shown = _shown(db, rows)
    names, excellent_by = shown["names"], shown["excellent_by"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext(msgid("Products"))[:31]
    head = [msgid("ID"), msgid("Product"), msgid("Service provider"), msgid("Scenario code")]
    head += [msgid("Scenes and levels"), msgid("Indicator options"), msgid("Price (CNY)")]
    head += [msgid("Delivery (weeks)"), msgid("Deployment"), msgid("Marked excellent by")]
    sheet.append([gettext(h) for h in head])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((6, 36, 24, 12, 30, 30, 14, 10, 12, 24), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for p in rows:
        scenes = "；".join(f"{s} L{lv}" for s, lv in sorted(p.scenes.items()))
        options = "；".join(f"{i} {','.join(o)}" for i, o in sorted(p.indicators.items()))
        sheet.append(
            [
                p.id,
                p.name,
                names.get(p.org_id, ""),
                p.scenario_code,
                scenes,
                options,
                p.price_fen / 100,
                p.delivery_weeks,
                gettext(DEPLOYMENT_LABELS.get(p.deployment, p.deployment)),
                "、".join(excellent_by.get(p.id, [])),
            ]
        )
        sheet.cell(row=sheet.max_row, column=7).number_format = "#,##0.00"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@router.get("/products.xlsx")
def export(
    request: Request,
    q: str = Query("", max_length=100),
    excellent: str = Query("", pattern="^(|yes)$"),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download the catalogue, as filtered, as an Excel workbook."""
    rows = svc.catalogue_rows(db, q=q, excellent=excellent == "yes")
    content = _workbook(db, rows, translator(request))
    headers = {"Content-Disposition": 'attachment; filename="products.xlsx"'}
    return Response(content, media_type=XLSX, headers=headers)


@router.get("/products/mine")
def mine(
    request: Request,
    offset: int = Query(0, ge=0),
    scope: Scope = require(PUBLISH),
    db: Session = DB,
) -> Response:
    """List the caller contractor's products, withdrawn ones included."""
    page = svc.own_products(db, scope, offset=offset, limit=PAGE_SIZE)
    context = {"page": page, **_shown(db, page.items)}
    return render(request, "programme/catalogue_mine.html", context)


def _delivers(product: Product, rules: CompiledRules) -> dict[str, Any]:
    """Return the product's scenes and indicator options with the index's names and texts."""
    ruleset = rules.ruleset
    scenes = {s.id: s for s in ruleset.scenes()}
    scene_rows = []
    for scene_id, level in sorted(product.scenes.items()):
        scene = scenes.get(scene_id)
        levels = {lv.level: lv.text for lv in scene.levels} if scene else {}
        name = scene.name if scene else ""
        constrained = bool(scene and scene.constrained)
        scene_rows.append((scene_id, name, constrained, level, levels.get(level, "")))
    indicator_rows = []
    for indicator_id, options in sorted(product.indicators.items()):
        compiled = rules.indicator_by_id.get(indicator_id)
        texts = dict(compiled.texts) if compiled else {}
        name = ruleset.indicator(indicator_id).name if compiled else ""
        indicator_rows.append((indicator_id, name, [(o, texts.get(o, "")) for o in options]))
    return {"scene_rows": scene_rows, "indicator_rows": indicator_rows}


@router.get("/products/{product_id:int}")
def detail(
    request: Request, product_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a product: what it delivers on the national index, its price, its marks."""
    product = svc.visible_product(db, scope, product_id)
    context: dict[str, Any] = {"p": product, **_delivers(product, svc.index_rules(db))}
    context.update(_shown(db, [product]))
    context["own"] = product.org_id == scope.org_id and scope.can(PUBLISH)
    context["can_mark"] = scope.can(MARK)
    context["mark"] = svc.marks(db, scope).get(product.id) if scope.can(MARK) else None
    return render(request, "programme/catalogue_detail.html", context)


def _form_values(form: FormData, rules: CompiledRules) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: str(form.get(key) or "")
        for key in ("name", "price", "delivery_weeks", "deployment", "scenario_code", "description")
    }
    values["scenes"] = {s: str(form.get(f"s.{s}") or "") for s in rules.scene_ids}
    values["indicators"] = {
        i: [str(v) for v in form.getlist(f"i.{i}") if v] for i in rules.indicator_ids
    }
    return values


def _product_of(
    values: dict[str, Any], rules: CompiledRules, gettext: Callable[..., str]
) -> tuple[svc.ProductIn, dict[str, str]]:
    """Return the product a form describes and every bad field, translated, by field."""
    errors: dict[str, str] = {}
    try:
        price = fen_of(values["price"], "price")
    except ValidationFailed:
        price = 0
        errors["price"] = gettext(msgid("an amount in CNY with at most two decimals"))
    weeks = values["delivery_weeks"].strip()
    scenes = {s: int(v) if v.isdigit() else -1 for s, v in values["scenes"].items() if v}
    data = svc.ProductIn(
        name=values["name"],
        price_fen=price,
        delivery_weeks=int(weeks) if weeks.isdigit() else 0,
        deployment=values["deployment"],
        scenario_code=values["scenario_code"],
        description=values["description"],
        # level 0 in the form means "not delivered"
        scenes={s: level for s, level in scenes.items() if level != 0},
        indicators={i: o for i, o in values["indicators"].items() if o},
    )
    for problem in svc.product_problems(data, rules):
        errors.setdefault(problem.field, gettext(problem.template, **problem.params))
    # listed in the form's order; sorted() keeps the scenes and indicators in theirs
    return data, dict(sorted(errors.items(), key=lambda e: FORM_ORDER.index(e[0].split(".")[0])))


def _form_page(
    request: Request,
    db: Session,
    values: dict[str, Any],
    errors: dict[str, str],
    product: Product | None = None,
) -> Response:
    rules = svc.index_rules(db)
    context = {"values": values, "errors": errors, "rules": rules, "p": product}
    names = {i.id: i.name for i in rules.ruleset.indicators()}
    context["item_names"] = names | {s.id: s.name for s in rules.ruleset.scenes()}
    return render(request, "programme/catalogue_form.html", context, status=422 if errors else 200)


BLANK: dict[str, Any] = {"deployment": "cloud", "scenes": {}, "indicators": {}}


@router.get("/products/new")
def new_product(request: Request, scope: Scope = require(PUBLISH), db: Session = DB) -> Response:
    """Show the form that publishes a product."""
    return _form_page(request, db, BLANK, {})


@router.post("/products/new")
async def create_product(
    request: Request, scope: Scope = require(PUBLISH), db: Session = DB
) -> Response:
    """Publish the product, or show the form again with every bad field named."""
    rules = svc.index_rules(db)
    values = _form_values(await request.form(), rules)
    data, errors = _product_of(values, rules, translator(request))
    if errors:
        return _form_page(request, db, values, errors)
    product = svc.publish(db, scope, data)
    return RedirectResponse(f"{BASE}/products/{product.id}", status_code=303)


@router.get("/products/{product_id:int}/edit")
def edit_product(
    request: Request, product_id: int, scope: Scope = require(PUBLISH), db: Session = DB
) -> Response:
    """Show the form that changes one of the caller's products."""
    product = svc.ProductRepository(db, scope).get(product_id)
    values: dict[str, Any] = {
        "name": product.name,
        "price": f"{product.price_fen / 100:.2f}",
        "delivery_weeks": str(product.delivery_weeks),
        "deployment": product.deployment,
        "scenario_code": product.scenario_code,
        "description": product.description,
        "scenes": {s: str(level) for s, level in product.scenes.items()},
        "indicators": {i: list(o) for i, o in product.indicators.items()},
    }
    return _form_page(request, db, values, {}, product)


@router.post("/products/{product_id:int}/edit")
async def save_product(
    request: Request, product_id: int, scope: Scope = require(PUBLISH), db: Session = DB
) -> Response:
    """Save the changes, or show the form again with every bad field named."""
    product = svc.ProductRepository(db, scope).get(product_id)
    rules = svc.index_rules(db)
    values = _form_values(await request.form(), rules)
    data, errors = _product_of(values, rules, translator(request))
    if errors:
        return _form_page(request, db, values, errors, product)
    svc.update(db, scope, product.id, data)
    return RedirectResponse(f"{BASE}/products/{product.id}", status_code=303)


@router.post("/products/{product_id:int}/withdraw")
def withdraw(product_id: int, scope: Scope = require(PUBLISH), db: Session = DB) -> Response:
    """Take one of the caller's products out of the catalogue (the form asks first)."""
    svc.set_status(db, scope, product_id, "withdrawn")
    return RedirectResponse(f"{BASE}/products/mine", status_code=303)


@router.post("/products/{product_id:int}/republish")
def republish(product_id: int, scope: Scope = require(PUBLISH), db: Session = DB) -> Response:
    """Put a withdrawn product of the caller's back in the catalogue."""
    svc.set_status(db, scope, product_id, "published")
    return RedirectResponse(f"{BASE}/products/mine", status_code=303)


@router.post("/products/{product_id:int}/mark")
def mark(
    product_id: int,
    excellent: str = Form("yes", pattern="^(yes|no)$"),
    note: str = Form("", max_length=500),
    scope: Scope = require(MARK),
    db: Session = DB,
) -> Response:
    """Record the bureau's judgement of a product: excellent or not, with a note."""
    svc.mark(db, scope, product_id, excellent=excellent == "yes", note=note)
    return RedirectResponse(f"{BASE}/products/{product_id}", status_code=303)


def _plan_page(
    request: Request,
    db: Session,
    scope: Scope,
    project_id: int,
    values: dict[str, Any],
    error: str = "",
) -> Response:
    project = projects.get(db, scope, project_id)
    rules = svc.index_rules(db).ruleset
    may_plan = (
        scope.can(INVEST)
        and project.enterprise_org_id == scope.org_id
        and project.status not in CLOSED
    )
    context = {
        "project": project,
        "plan": project.plan,
        "values": values,
        "error": error,
        "may_plan": may_plan,
        "assessments": plannable_assessments(db, scope, project) if may_plan else [],
        "levels": [rule.level for rule in rules.level_rules.levels],
        "names": {i.id: i.name for i in rules.indicators()}
        | {s.id: s.name for s in rules.scenes()},
        "orgs": svc.contractor_names(db, {project.enterprise_org_id or 0}),
    }
    return render(request, "programme/catalogue_plan.html", context, status=422 if error else 200)


@router.get("/projects/{project_id:int}/plan")
def project_plan(
    request: Request,
    project_id: int,
    scope: Scope = require("programme.project.read"),
    db: Session = DB,
) -> Response:
    """Show a project's plan to level 2, and to its enterprise the form that makes it."""
    return _plan_page(request, db, scope, project_id, {"target_level": 2, "subsidy": "yes"})


@router.post("/projects/{project_id:int}/plan")
def make_plan(
    request: Request,
    project_id: int,
    assessment: int = Form(...),
    target_level: int = Form(2, ge=1, le=9),
    subsidy: str = Form("yes", pattern="^(yes|no)$"),
    scope: Scope = require(INVEST),
    db: Session = DB,
) -> Response:
    """Plan from the chosen assessment and store the plan on the project."""
    values = {"assessment": assessment, "target_level": target_level, "subsidy": subsidy}
    try:
        plan_project(db, scope, project_id, assessment, target_level, subsidy == "yes")
    except DomainError as exc:
        db.rollback()
        message = translator(request)(exc.template, **exc.params)
        return _plan_page(request, db, scope, project_id, values, message)
    return RedirectResponse(f"{BASE}/projects/{project_id}/plan", status_code=303)
