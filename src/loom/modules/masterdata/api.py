"""JSON API of the garment master data: styles, operations, piece rates, routings, BOMs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.masterdata.api_line_plans import router as line_plans_router
from loom.modules.masterdata.api_resources import router as resources_router
from loom.modules.masterdata.schemas import (
    BomBody,
    BomLineBody,
    BomOut,
    OperationBody,
    OperationOut,
    RateBody,
    RateOut,
    RequirementOut,
    RequirementsBody,
    RequirementsOut,
    RoutingBody,
    RoutingOut,
    StepOut,
    StyleBody,
    StyleOut,
)
from loom.modules.masterdata.service import bom, operations, rates, routing, styles

router = APIRouter()
# lines, workstations, operators and machines live in their own file, under the same prefix
router.include_router(resources_router)
router.include_router(line_plans_router)
DB = Depends(get_db, scope="function")
OFFSET = Query(0, ge=0)
LIMIT = Query(50, ge=1, le=200)
SEARCH = Query("", max_length=100)
#: ids the INTEGER columns can hold; PostgreSQL would fail on larger ones instead of answering
StyleId = Annotated[int, Path(ge=1, le=2_147_483_647)]
OperationId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("/styles", response_model=PageOut[StyleOut])
def list_styles(
    q: str = SEARCH,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("masterdata.style.read"),
    db: Session = DB,
) -> Any:
    """List the enterprise's styles by code, searched in code, name, season and customer."""
    return PageOut.of(styles.search(db, scope, q=q, offset=offset, limit=limit), StyleOut)


@router.post("/styles", response_model=StyleOut, status_code=201)
def create_style(
    body: StyleBody, scope: Scope = require("masterdata.style.write"), db: Session = DB
) -> Any:
    """Create a style; a 422 names every bad field, a taken code answers 409."""
    return styles.create(db, scope, body.to_input())


@router.get("/styles/{style_id}", response_model=StyleOut)
def read_style(
    style_id: StyleId, scope: Scope = require("masterdata.style.read"), db: Session = DB
) -> Any:
    """Return one style."""
    return styles.StyleRepository(db, scope).get(style_id)


@router.put("/styles/{style_id}", response_model=StyleOut)
def update_style(
    style_id: StyleId,
    body: StyleBody,
    scope: Scope = require("masterdata.style.write"),
    db: Session = DB,
) -> Any:
    """Replace a style's fields."""
    return styles.update(db, scope, style_id, body.to_input())


@router.delete("/styles/{style_id}", status_code=204)
def delete_style(
    style_id: StyleId, scope: Scope = require("masterdata.style.delete"), db: Session = DB
) -> Response:
    """Delete a style with its routing."""
    styles.delete(db, scope, style_id)
    return Response(status_code=204)


def _routing_out(style_id: int, steps: Any) -> RoutingOut:
    return RoutingOut(style_id=style_id, steps=[StepOut.model_validate(s) for s in steps])


@router.get("/styles/{style_id}/routing", response_model=RoutingOut)
def read_routing(
    style_id: StyleId, scope: Scope = require("masterdata.style.read"), db: Session = DB
) -> Any:
    """Return a style's routing in order."""
    return _routing_out(style_id, routing.steps_of(db, scope, style_id))


@router.put("/styles/{style_id}/routing", response_model=RoutingOut)
def set_routing(
    style_id: StyleId,
    body: RoutingBody,
    scope: Scope = require("masterdata.style.write"),
    db: Session = DB,
) -> Any:
    """Replace a style's routing; unknown operations and precedence cycles answer 422."""
    return _routing_out(style_id, routing.set_routing(db, scope, style_id, body.to_input()))


def _bom_out(style_id: int, lines: Any) -> BomOut:
    return BomOut(style_id=style_id, lines=[BomLineBody.model_validate(b) for b in lines])


@router.get("/styles/{style_id}/bom", response_model=BomOut)
def read_bom(
    style_id: StyleId, scope: Scope = require("masterdata.style.read"), db: Session = DB
) -> Any:
    """Return a style's BOM: fabric and trim consumption per size."""
    return _bom_out(style_id, bom.lines_of(db, scope, style_id))


@router.put("/styles/{style_id}/bom", response_model=BomOut)
def set_bom(
    style_id: StyleId,
    body: BomBody,
    scope: Scope = require("masterdata.style.write"),
    db: Session = DB,
) -> Any:
    """Replace a style's BOM; a 422 names every bad field with its line index."""
    return _bom_out(style_id, bom.set_bom(db, scope, style_id, body.to_input()))


@router.post("/styles/{style_id}/bom/requirements", response_model=RequirementsOut)
def bom_requirements(
    style_id: StyleId,
    body: RequirementsBody,
    scope: Scope = require("masterdata.style.read"),
    db: Session = DB,
) -> Any:
    """Return the total consumption per material for pieces per colour and size."""
    found = bom.requirements(db, scope, style_id, body.quantities)
    return RequirementsOut(
        style_id=style_id, materials=[RequirementOut.model_validate(r) for r in found]
    )


@router.get("/operations", response_model=PageOut[OperationOut])
def list_operations(
    q: str = SEARCH,
    machine_type: str = Query("", max_length=40),
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require("masterdata.operation.read"),
    db: Session = DB,
) -> Any:
    """List the operation library by code, searched in code and name, by machine type."""
    page = operations.search(db, scope, q=q, machine_type=machine_type, offset=offset, limit=limit)
    return PageOut.of(page, OperationOut)


@router.post("/operations", response_model=OperationOut, status_code=201)
def create_operation(
    body: OperationBody, scope: Scope = require("masterdata.operation.write"), db: Session = DB
) -> Any:
    """Add an operation; a 422 names every bad field, a taken code answers 409."""
    return operations.create(db, scope, body.to_input())


@router.get("/operations/{operation_id}", response_model=OperationOut)
def read_operation(
    operation_id: OperationId, scope: Scope = require("masterdata.operation.read"), db: Session = DB
) -> Any:
    """Return one operation."""
    return operations.OperationRepository(db, scope).get(operation_id)


@router.put("/operations/{operation_id}", response_model=OperationOut)
def update_operation(
    operation_id: OperationId,
    body: OperationBody,
    scope: Scope = require("masterdata.operation.write"),
    db: Session = DB,
) -> Any:
    """Replace an operation's fields."""
    return operations.update(db, scope, operation_id, body.to_input())


@router.delete("/operations/{operation_id}", status_code=204)
def delete_operation(
    operation_id: OperationId,
    scope: Scope = require("masterdata.operation.delete"),
    db: Session = DB,
) -> Response:
    """Delete an operation and its rate history; one a routing uses answers 409."""
    operations.delete(db, scope, operation_id)
    return Response(status_code=204)


@router.get("/operations/{operation_id}/rates", response_model=list[RateOut])
def list_rates(
    operation_id: OperationId, scope: Scope = require("masterdata.rate.read"), db: Session = DB
) -> Any:
    """Return an operation's piece-rate versions, oldest first."""
    return rates.versions(db, scope, operation_id)


@router.post("/operations/{operation_id}/rates", response_model=RateOut, status_code=201)
def add_rate(
    operation_id: OperationId,
    body: RateBody,
    scope: Scope = require("masterdata.rate.write"),
    db: Session = DB,
) -> Any:
    """Add a piece-rate version effective after every existing one."""
    return rates.add_version(db, scope, operation_id, body.to_input())


@router.get("/operations/{operation_id}/rate", response_model=RateOut)
def rate_on(
    operation_id: OperationId,
    on: date = Query(..., description="the day, YYYY-MM-DD"),
    scope: Scope = require("masterdata.rate.read"),
    db: Session = DB,
) -> Any:
    """Return the piece-rate version in force on a day; 404 when none was yet."""
    return rates.rate_on(db, scope, operation_id, on)
