"""Pages of the poster: its orders, posting one, the ranking, inviting, progress."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.matching.engine.categories import DEFAULT_SAM
from loom.modules.matching.models import MatchOrder
from loom.modules.matching.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    error_text,
    factor_value,
    labels,
    translator,
)
from loom.modules.matching.pages.form import FIELDS, parse_order
from loom.modules.matching.permissions import ORDER_POST, ORDER_READ
from loom.modules.matching.service import invitations as inv
from loom.modules.matching.service import orders as svc
from loom.modules.matching.service.progress import progress
from loom.modules.matching.service.ranking import rank_order

router = APIRouter()
STATUS = Query("", pattern="^(|open|placed|cancelled)$")


@router.get("/")
def orders_page(
    request: Request,
    status: str = STATUS,
    offset: int = Query(0, ge=0),
    scope: Scope = require(ORDER_READ),
    db: Session = DB,
) -> Response:
    """List the orders the enterprise posted, newest first."""
    page = svc.search(db, scope, status=status, offset=offset, limit=PAGE_SIZE)
    return render(
        request,
        "matching/orders_list.html",
        {
            "page": page,
            "status": status,
            "number": svc.number,
            "names": labels(request),
            "can_post": scope.can(ORDER_POST),
        },
    )


def _form(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "matching/order_form.html",
        {
            "values": values,
            "errors": errors or {},
            "defaults": DEFAULT_SAM,
            "defaults_text": ", ".join(f"{k} {v:g}" for k, v in DEFAULT_SAM.items()),
            "today": svc.today().isoformat(),
        },
        status=status,
    )


@router.get("/orders/new")
def new_order(request: Request, scope: Scope = require(ORDER_POST)) -> Response:
    """Show the form to post an order."""
    return _form(request, {"max_dhu_pct": "3"})


def _problem_errors(request: Request, problems: list[FieldProblem]) -> dict[str, str]:
    gettext = translator(request)
    errors: dict[str, str] = {}
    for problem in problems:
        name = problem.field.split("[")[0].split(".")[0]
        name = "quantities" if name == "colours" else name
        text = gettext(problem.template, **problem.params)
        errors[name] = f"{errors[name]}; {text}" if name in errors else text
    return errors


@router.post("/orders")
async def post_order(
    request: Request, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Response:
    """Post the order, rank the factories, and show the ranking."""
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in FIELDS}
    data, problems = parse_order(values)
    if data is not None:
        problems += svc.order_problems(data, svc.today())
    if problems or data is None:
        return _form(request, values, _problem_errors(request, problems), status=422)
    order = svc.post(db, scope, data)
    rank_order(db, scope, runtime_of(request).apps, order.id)
    return RedirectResponse(f"{BASE}/orders/{order.id}", status_code=303)


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    order: MatchOrder,
    error: str = "",
    status: int = 200,
) -> Response:
    names = labels(request)
    sent = inv.sent(db, scope, order)
    return render(
        request,
        "matching/order_detail.html",
        {
            "order": order,
            "number": svc.number(order.id),
            "names": names,
            "value_of": lambda f: factor_value(f, names),
            "invited": {i.factory_org_id: i for i in sent},
            "invitations": sent,
            "progress": progress(db, scope, runtime_of(request).apps, order),
            "can_post": scope.can(ORDER_POST) and order.status == "open",
            "error": error,
        },
        status=status,
    )


@router.get("/orders/{order_id}")
def order_page(
    request: Request, order_id: RowId, scope: Scope = require(ORDER_READ), db: Session = DB
) -> Response:
    """Show a posted order: its terms, the ranking explained, invitations and progress."""
    return _detail(request, db, scope, svc.get(db, scope, order_id))


def _act(request: Request, db: Session, scope: Scope, order_id: int, exc: DomainError) -> Response:
    if exc.status_code == 404:
        raise exc
    db.rollback()
    message = error_text(exc, translator(request))
    return _detail(request, db, scope, svc.get(db, scope, order_id), message, exc.status_code)


@router.post("/orders/{order_id}/rank")
def rerank(
    request: Request, order_id: RowId, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Response:
    """Rank the factories again from what they share today."""
    try:
        rank_order(db, scope, runtime_of(request).apps, order_id)
    except DomainError as exc:
        return _act(request, db, scope, order_id, exc)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)


@router.post("/orders/{order_id}/invite")
async def invite(
    request: Request, order_id: RowId, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Response:
    """Invite the ticked factories of the ranking."""
    form = await request.form()
    try:
        ids = [int(str(v)) for v in form.getlist("factory_org_id")]
    except ValueError:
        ids = []
    try:
        inv.invite(db, scope, order_id, ids, str(form.get("message", "")))
    except DomainError as exc:
        return _act(request, db, scope, order_id, exc)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)


@router.post("/orders/{order_id}/cancel")
def cancel(
    request: Request, order_id: RowId, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Response:
    """Cancel an open order (confirmed in the browser)."""
    try:
        svc.cancel(db, scope, order_id)
    except DomainError as exc:
        return _act(request, db, scope, order_id, exc)
    return RedirectResponse(f"{BASE}/orders/{order_id}", status_code=303)
