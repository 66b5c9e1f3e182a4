"""The 小快轻准 product catalogue: contractors publish, everyone reads, the bureau marks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.engine import CompiledRules
from loom.modules.assessment.service.rulesets import compiled_rules, get_ruleset
from loom.modules.programme.models import Product, ProductMark

DEPLOYMENTS = ("cloud", "on_premise")
#: the published catalogue is public: these reads alone skip the tenant filter
ALL_TENANTS = {"loom_all_tenants": True}
MAX_PRICE_FEN = 100_000_000 * 100  # a typo guard, as in the planner's catalogue


@dataclass(frozen=True)
class ProductIn:
    """What a contractor publishes about a product."""

    name: str
    price_fen: int
    delivery_weeks: int
    deployment: str
    scenario_code: str = ""
    description: str = ""
    scenes: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, list[str]] = field(default_factory=dict)


class ProductRepository(TenantRepository[Product]):
    """The scope's contractor's own products."""

    model = Product


def _rules(session: Session) -> CompiledRules:
    return compiled_rules(get_ruleset(session, None))


def check_product(data: ProductIn, rules: CompiledRules) -> None:
    """Raise ValidationFailed listing every bad field of a product."""
    details: list[dict[str, str]] = []

    def bad(name: str, message: str) -> None:
        details.append({"field": name, "message": f"{name}: {message}"})

    if not data.name.strip():
        bad("name", "must not be empty")
    if not 0 <= data.price_fen <= MAX_PRICE_FEN:
        bad("price", "from 0 to 100,000,000 CNY")
    if not 1 <= data.delivery_weeks <= 520:
        bad("delivery_weeks", "from 1 to 520 weeks")
    if data.deployment not in DEPLOYMENTS:
        bad("deployment", "cloud or on_premise")
    scene_max = dict(zip(rules.scene_ids, rules.scene_max_level, strict=True))
    for scene, level in data.scenes.items():
        top = scene_max.get(scene)
        if top is None:
            bad(f"scenes.{scene}", "not a scene of the national index")
        elif type(level) is not int or not 1 <= level <= top:
            bad(f"scenes.{scene}", f"a level from 1 to {top}")
    for indicator_id, options in data.indicators.items():
        indicator = rules.indicator_by_id.get(indicator_id)
        if indicator is None:
            bad(f"indicators.{indicator_id}", "not an indicator of the national index")
            continue
        unknown = [o for o in options if o not in indicator.points]
        if not options or unknown:
            bad(f"indicators.{indicator_id}", f"options among {indicator.option_names}")
    if not data.scenes and not data.indicators:
        bad("scenes", "name at least one scene or indicator the product raises")
    if details:
        raise ValidationFailed(
            "%(count)s problem(s) in the product",
            field=details[0]["field"],
            details=details,
            params={"count": len(details)},
        )


def _snapshot(p: Product) -> dict[str, Any]:
    return {
        "name": p.name,
        "price_fen": p.price_fen,
        "delivery_weeks": p.delivery_weeks,
        "deployment": p.deployment,
        "scenario_code": p.scenario_code,
        "scenes": dict(p.scenes),
        "indicators": {k: list(v) for k, v in p.indicators.items()},
        "status": p.status,
    }


def publish(session: Session, scope: Scope, data: ProductIn) -> Product:
    """Publish a new product of the scope's contractor."""
    check_product(data, _rules(session))
    product = Product(
        org_id=scope.org_id,
        name=data.name.strip()[:200],
        scenario_code=data.scenario_code.strip()[:40],
        scenes=dict(data.scenes),
        indicators={k: list(v) for k, v in data.indicators.items()},
        price_fen=data.price_fen,
        delivery_weeks=data.delivery_weeks,
        deployment=data.deployment,
        description=data.description.strip()[:2000],
        status="published",
    )
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


def set_status(session: Session, scope: Scope, product_id: int, status: str) -> Product:
    """Withdraw a product from the catalogue, or publish it again (its contractor only)."""
    if status not in ("published", "withdrawn"):
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


def public_products(*, q: str = "", excellent_of: int | None = None) -> Select[Product]:
    """Return the query of published products of every contractor (public by design)."""
    stmt = select(Product).where(Product.status == "published")
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Product.name.ilike(like), Product.scenario_code.ilike(like)))
    if excellent_of is not None:
        marked = select(ProductMark.product_id).where(
            ProductMark.org_id == excellent_of, ProductMark.excellent.is_(True)
        )
        stmt = stmt.where(Product.id.in_(marked))
    return stmt.order_by(Product.id)


def catalogue_page(
    session: Session, *, q: str = "", offset: int = 0, limit: int = 50
) -> tuple[list[Product], int]:
    """Return one page of the public catalogue and its total; the one cross-tenant read."""
    stmt = public_products(q=q)
    total = session.scalar(
        select(func.count()).select_from(stmt.subquery()), execution_options=ALL_TENANTS
    )
    rows = session.scalars(stmt.offset(max(0, offset)).limit(limit), execution_options=ALL_TENANTS)
    return list(rows), total or 0


def public_product(session: Session, product_id: int) -> Product:
    """Return one published product of any contractor, or 404."""
    stmt = public_products().where(Product.id == product_id)
    row = session.scalars(stmt, execution_options=ALL_TENANTS).first()
    if row is None:
        raise NotFound("Product %(id)s not found", params={"id": product_id})
    return row


def own_products(session: Session, scope: Scope, offset: int = 0, limit: int = 50) -> Page[Product]:
    """Return the scope's contractor's products, withdrawn ones included."""
    repo = ProductRepository(session, scope)
    return repo.page(repo.select().order_by(Product.id.desc()), offset=offset, limit=limit)


def marks(session: Session, scope: Scope) -> dict[int, ProductMark]:
    """Return the bureau's marks by product id."""
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


def price_cny(product: Product) -> Decimal:
    """Return the price in CNY."""
    return Decimal(product.price_fen) / 100
