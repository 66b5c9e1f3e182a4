"""The 小快轻准 product catalogue: contractors publish, everyone reads, the bureau marks."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import MAX_PAGE_SIZE, Page, TenantRepository
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.engine import CompiledRules
from loom.modules.assessment.engine.compiled import MULTI
from loom.modules.assessment.service.rulesets import compiled_rules, get_ruleset
from loom.modules.programme.models import Product, ProductMark

DEPLOYMENTS = ("cloud", "on_premise")
STATUSES = ("published", "withdrawn")
#: the published catalogue and the bureau's excellent marks are public: these reads alone
#: skip the tenant filter, and they select nothing else (a mark's note stays the bureau's)
ALL_TENANTS = {"loom_all_tenants": True}
MAX_PRICE_FEN = 100_000_000 * 100  # a typo guard, as in the planner's catalogue
MAX_WEEKS = 520


@dataclass(frozen=True)
class ProductIn:
    """What a contractor publishes about a product."""

    name: str
    price_fen: int
    delivery_weeks: int
    deployment: str
    scenario_code: str = ""
    description: str = ""
    scenes: dict[str, int] = dataclasses.field(default_factory=dict)
    indicators: dict[str, list[str]] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class FieldProblem:
    """One bad field of a product: an English msgid with its parameters, for the pages."""

    template: str
    field: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        """Return the English message, prefixed with the field it names."""
        return f"{self.field}: {self.template % dict(self.params)}"


class ProductRepository(TenantRepository[Product]):
    """The scope's contractor's own products."""

    model = Product


def index_rules(session: Session) -> CompiledRules:
    """Return the newest national index rules, which products are checked against."""
    return compiled_rules(get_ruleset(session, None))


def _indicator_problems(
    indicator_id: str, options: list[str], rules: CompiledRules
) -> list[FieldProblem]:
    where = f"indicators.{indicator_id}"
    indicator = rules.indicator_by_id.get(indicator_id)
    if indicator is None:
        return [FieldProblem("not an indicator of the national index", where)]
    names = {"options": indicator.option_names}
    if indicator.kind != MULTI and len(options) != 1:
        # single and rate indicators reach one option (a rate: the band it lifts the rate into)
        return [FieldProblem("choose one option among %(options)s", where, names)]
    if not options or any(o not in indicator.points for o in options):
        return [FieldProblem("options among %(options)s", where, names)]
    if len(set(options)) != len(options):
        return [FieldProblem("an option is listed twice", where)]
    exclusive = sorted(set(options) & indicator.exclusive)
    if exclusive:
        # "无" (none) is where an enterprise starts, never what a product delivers
        return [
            FieldProblem("option %(option)s cannot be an upgrade", where, {"option": exclusive[0]})
        ]
    return []


def product_problems(data: ProductIn, rules: CompiledRules) -> list[FieldProblem]:
    """Return every bad field of a product, checked against the national index rules."""
    found: list[FieldProblem] = []
    if not data.name.strip():
        found.append(FieldProblem("must not be empty", "name"))
    if not 0 <= data.price_fen <= MAX_PRICE_FEN:
        found.append(FieldProblem("from 0 to 100,000,000 CNY", "price"))
    if not 1 <= data.delivery_weeks <= MAX_WEEKS:
        found.append(FieldProblem("from 1 to 520 weeks", "delivery_weeks"))
    if data.deployment not in DEPLOYMENTS:
        found.append(FieldProblem("cloud or on_premise", "deployment"))
    scene_max = dict(zip(rules.scene_ids, rules.scene_max_level, strict=True))
    for scene, level in data.scenes.items():
        top = scene_max.get(scene)
        if top is None:
            found.append(FieldProblem("not a scene of the national index", f"scenes.{scene}"))
        elif type(level) is not int or not 1 <= level <= top:
            found.append(FieldProblem("a level from 1 to %(top)s", f"scenes.{scene}", {"top": top}))
    for indicator_id, options in data.indicators.items():
        found.extend(_indicator_problems(indicator_id, list(options), rules))
    if not data.scenes and not data.indicators:
        found.append(
            FieldProblem("name at least one scene or indicator the product raises", "scenes")
        )
    return found


def check_product(data: ProductIn, rules: CompiledRules) -> None:
    """Raise ValidationFailed listing every bad field of a product."""
    found = product_problems(data, rules)
    if found:
        # no single ``field``: the error handler would replace the list with that one field
        raise ValidationFailed(
            "%(count)s problem(s) in the product: %(fields)s",
            details=[{"field": p.field, "message": p.message} for p in found],
            params={"count": len(found), "fields": ", ".join(p.field for p in found)},
        )


def _snapshot(p: Product) -> dict[str, Any]:
    return {
        "name": p.name,
        "price_fen": p.price_fen,
        "delivery_weeks": p.delivery_weeks,
        "deployment": p.deployment,
        "scenario_code": p.scenario_code,
        "description": p.description,
        "scenes": dict(p.scenes),
        "indicators": {k: list(v) for k, v in p.indicators.items()},
        "status": p.status,
    }


def _fill(product: Product, data: ProductIn) -> None:
    product.name = data.name.strip()[:200]
    product.scenario_code = data.scenario_code.strip()[:40]
    product.scenes = dict(data.scenes)
    product.indicators = {k: list(v) for k, v in data.indicators.items()}
    product.price_fen = data.price_fen
    product.delivery_weeks = data.delivery_weeks
    product.deployment = data.deployment
    product.description = data.description.strip()[:2000]


def publish(session: Session, scope: Scope, data: ProductIn) -> Product:
    """Publish a new product of the scope's contractor."""
    check_product(data, index_rules(session))
    product = Product(org_id=scope.org_id, status="published")
    _fill(product, data)
    session.add(product)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.product.published",
        "product",
        product.id,
        after=_snapshot(product),
    )
    return product


def update(session: Session, scope: Scope, product_id: int, data: ProductIn) -> Product:
    """Change what a product delivers or costs (its contractor only; others get 404)."""
    check_product(data, index_rules(session))
    row = ProductRepository(session, scope).get(product_id)
    before = _snapshot(row)
    _fill(row, data)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.product.updated",
        "product",
        row.id,
        before=before,
        after=_snapshot(row),
    )
    return row


def set_status(session: Session, scope: Scope, product_id: int, status: str) -> Product:
    """Withdraw a product from the catalogue, or publish it again (its contractor only)."""
    if status not in STATUSES:
        raise ValidationFailed("status: published or withdrawn", field="status")
    row = ProductRepository(session, scope).get(product_id)
    before = _snapshot(row)
    row.status = status
    session.flush()
    record_scoped(
        session,
        scope,
        f"programme.product.{status}",
        "product",
        row.id,
        before=before,
        after=_snapshot(row),
    )
    return row


def public_products(*, q: str = "", excellent: bool = False) -> Select[Product]:
    """Return the query of published products of every contractor (public by design)."""
    stmt = select(Product).where(Product.status == "published")
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(
                Product.name.ilike(like),
                Product.scenario_code.ilike(like),
                Product.description.ilike(like),
            )
        )
    if excellent:
        marked = select(ProductMark.product_id).where(ProductMark.excellent.is_(True))
        stmt = stmt.where(Product.id.in_(marked))
    return stmt.order_by(Product.id)


def catalogue_page(
    session: Session, *, q: str = "", excellent: bool = False, offset: int = 0, limit: int = 50
) -> Page[Product]:
    """Return one page of the public catalogue with its total; a cross-tenant read."""
    stmt = public_products(q=q, excellent=excellent)
    offset, limit = max(0, offset), max(1, min(limit, MAX_PAGE_SIZE))
    total = session.scalar(
        select(func.count()).select_from(stmt.subquery()), execution_options=ALL_TENANTS
    )
    rows = session.scalars(stmt.offset(offset).limit(limit), execution_options=ALL_TENANTS)
    return Page(items=list(rows), total=total or 0, offset=offset, limit=limit)


def catalogue_rows(session: Session, *, q: str = "", excellent: bool = False) -> list[Product]:
    """Return every published product matching the filters (for the Excel export)."""
    stmt = public_products(q=q, excellent=excellent)
    return list(session.scalars(stmt, execution_options=ALL_TENANTS))


def published(session: Session) -> list[Product]:
    """Return every published product of every contractor (the planner's options)."""
    return catalogue_rows(session)


def public_product(session: Session, product_id: int) -> Product:
    """Return one published product of any contractor, or 404."""
    stmt = public_products().where(Product.id == product_id)
    row = session.scalars(stmt, execution_options=ALL_TENANTS).first()
    if row is None:
        raise NotFound("Product %(id)s not found", params={"id": product_id})
    return row


def visible_product(session: Session, scope: Scope, product_id: int) -> Product:
    """Return a published product, or one of the scope's own withdrawn ones; 404 otherwise."""
    try:
        return public_product(session, product_id)
    except NotFound:
        return ProductRepository(session, scope).get(product_id)


def own_products(session: Session, scope: Scope, offset: int = 0, limit: int = 50) -> Page[Product]:
    """Return the scope's contractor's products, withdrawn ones included."""
    repo = ProductRepository(session, scope)
    return repo.page(repo.select().order_by(Product.id.desc()), offset=offset, limit=limit)


def excellent_by(session: Session, product_ids: list[int]) -> dict[int, list[int]]:
    """Return, per product, the bureaus that marked it excellent (a public fact, no notes)."""
    if not product_ids:
        return {}
    stmt = (
        select(ProductMark.product_id, ProductMark.org_id)
        .where(ProductMark.product_id.in_(product_ids), ProductMark.excellent.is_(True))
        .order_by(ProductMark.org_id)
    )
    found: dict[int, list[int]] = {}
    for product_id, bureau_id in session.execute(stmt, execution_options=ALL_TENANTS):
        found.setdefault(product_id, []).append(bureau_id)
    return found


def marks(session: Session, scope: Scope) -> dict[int, ProductMark]:
    """Return the scope's bureau's own marks (with their notes) by product id."""
    rows = session.scalars(select(ProductMark).where(ProductMark.org_id == scope.org_id))
    return {row.product_id: row for row in rows}


def mark(
    session: Session,
    scope: Scope,
    product_id: int,
    *,
    excellent: bool,
    note: str = "",
    on: date | None = None,
) -> ProductMark:
    """Mark a published product excellent (or take the mark back), as the bureau's record."""
    product = public_product(session, product_id)
    existing = marks(session, scope).get(product.id)
    before = None if existing is None else {"excellent": existing.excellent, "note": existing.note}
    if existing is None:
        existing = ProductMark(
            org_id=scope.org_id, product_id=product.id, contractor_org_id=product.org_id
        )
        session.add(existing)
    existing.excellent = excellent
    existing.note = note.strip()[:500]
    existing.marked_on = on or date.today()
    existing.marked_by = scope.actor.label
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.product.marked",
        "product",
        product.id,
        before=before,
        after={"excellent": excellent, "note": existing.note, "on": existing.marked_on},
    )
    return existing


def contractor_names(session: Session, org_ids: set[int]) -> dict[int, str]:
    """Return organisation names for display."""
    if not org_ids:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
    )
    return {row.id: row.name for row in rows}
