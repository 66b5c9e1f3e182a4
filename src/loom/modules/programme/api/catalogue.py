"""JSON API of the programme console: the 小快轻准 catalogue and a project's plan to level 2."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.repository import Page
from loom.kernel.errors import NotFound
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.programme.models import Product
from loom.modules.programme.schemas.catalogue import (
    MarkIn,
    MarkOut,
    PlanIn,
    ProductBody,
    ProductOut,
)
from loom.modules.programme.service import catalogue as svc
from loom.modules.programme.service import projects
from loom.modules.programme.service.planning import plan_project

router = APIRouter()
DB = Depends(get_db, scope="function")
READ = "programme.product.read"
PUBLISH = "programme.product.publish"
MARK = "programme.product.mark"
CENT = Decimal("0.01")


def products_out(db: Session, rows: Sequence[Product]) -> list[ProductOut]:
    """Return the API view of products, with contractor and excellent-mark names."""
    marked = svc.excellent_by(db, [p.id for p in rows])
    ids = {p.org_id for p in rows} | {b for bureaus in marked.values() for b in bureaus}
    names = svc.contractor_names(db, ids)
    return [
        ProductOut(
            id=p.id,
            contractor_org_id=p.org_id,
            contractor=names.get(p.org_id, ""),
            name=p.name,
            scenario_code=p.scenario_code,
            scenes=dict(p.scenes),
            indicators={k: list(v) for k, v in p.indicators.items()},
            price=(Decimal(p.price_fen) / 100).quantize(CENT),
            price_fen=p.price_fen,
            delivery_weeks=p.delivery_weeks,
            deployment=p.deployment,
            description=p.description,
            status=p.status,
            excellent=p.id in marked,
            excellent_by=[names.get(b, "") for b in marked.get(p.id, [])],
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in rows
    ]


def _page(db: Session, page: Page[Product]) -> PageOut[ProductOut]:
    return PageOut[ProductOut](
        items=products_out(db, page.items),
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.get("/products", response_model=PageOut[ProductOut])
def catalogue(
    q: str = Query("", max_length=100),
    excellent: bool = Query(False),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List the published products of every contractor, searched and filtered."""
    return _page(db, svc.catalogue_page(db, q=q, excellent=excellent, offset=offset, limit=limit))


@router.get("/products/mine", response_model=PageOut[ProductOut])
def mine(
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(PUBLISH),
    db: Session = DB,
) -> Any:
    """List the caller contractor's products, withdrawn ones included."""
    return _page(db, svc.own_products(db, scope, offset=offset, limit=limit))


@router.post("/products", response_model=ProductOut, status_code=201)
def publish(body: ProductBody, scope: Scope = require(PUBLISH), db: Session = DB) -> Any:
    """Publish a product; a 422 lists every bad field."""
    return products_out(db, [svc.publish(db, scope, body.to_input())])[0]


@router.get("/products/{product_id}", response_model=ProductOut)
def read(product_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a published product, or one of the caller's own withdrawn ones."""
    return products_out(db, [svc.visible_product(db, scope, product_id)])[0]


@router.put("/products/{product_id}", response_model=ProductOut)
def update(
    product_id: int, body: ProductBody, scope: Scope = require(PUBLISH), db: Session = DB
) -> Any:
    """Change one of the caller's products; others' answer 404."""
    return products_out(db, [svc.update(db, scope, product_id, body.to_input())])[0]


@router.post("/products/{product_id}/withdraw", response_model=ProductOut)
def withdraw(product_id: int, scope: Scope = require(PUBLISH), db: Session = DB) -> Any:
    """Take one of the caller's products out of the catalogue."""
    return products_out(db, [svc.set_status(db, scope, product_id, "withdrawn")])[0]


@router.post("/products/{product_id}/republish", response_model=ProductOut)
def republish(product_id: int, scope: Scope = require(PUBLISH), db: Session = DB) -> Any:
    """Put a withdrawn product of the caller's back in the catalogue."""
    return products_out(db, [svc.set_status(db, scope, product_id, "published")])[0]


@router.get("/products/{product_id}/mark", response_model=MarkOut)
def read_mark(product_id: int, scope: Scope = require(MARK), db: Session = DB) -> Any:
    """Return the calling bureau's own mark on a product (404 when it has none)."""
    found = svc.marks(db, scope).get(product_id)
    if found is None:
        raise NotFound("No mark on product %(id)s", params={"id": product_id})
    return found


@router.put("/products/{product_id}/mark", response_model=MarkOut)
def set_mark(product_id: int, body: MarkIn, scope: Scope = require(MARK), db: Session = DB) -> Any:
    """Mark a published product excellent, or take the mark back, with a note."""
    return svc.mark(db, scope, product_id, excellent=body.excellent, note=body.note)


@router.get("/projects/{project_id}/plan")
def read_plan(
    project_id: int, scope: Scope = require("programme.project.read"), db: Session = DB
) -> Any:
    """Return the plan to level 2 stored on a project (404 until one is made)."""
    project = projects.get(db, scope, project_id)
    if project.plan is None:
        raise NotFound("Project %(id)s has no plan yet", params={"id": project_id})
    return project.plan


@router.post("/projects/{project_id}/plan")
def make_plan(
    project_id: int,
    body: PlanIn,
    scope: Scope = require("programme.project.invest"),
    db: Session = DB,
) -> Any:
    """Plan the cheapest way to the target level from one of the enterprise's assessments."""
    return plan_project(db, scope, project_id, body.assessment_id, body.target_level, body.subsidy)
