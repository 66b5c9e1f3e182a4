"""Cutting: lays (床次) planned by hand or suggested, and cut into numbered bundles (扎)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems
from loom.modules.shopfloor.engine import cutting as maths
from loom.modules.shopfloor.models import Bundle, Lay, ProductionOrder
from loom.modules.shopfloor.service.orders import OrderRepository

MAX_PLIES = 1000
MAX_MARKER = 50
MAX_BUNDLE = 1000
#: keeps bundle numbering apart from other advisory locks (the audit chain uses 0x4C4F)
_BUNDLE_LOCK = 0x4C42


@dataclass(frozen=True)
class LayIn:
    """A lay as a user enters it: colour, plies and the marker's garments per size."""

    colour: str
    plies: int
    ratios: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanIn:
    """The limits of a suggested plan."""

    max_plies: int
    max_marker: int
    min_plies: int = 1


class LayRepository(TenantRepository[Lay]):
    """The scope's enterprise's lays."""

    model = Lay


class BundleRepository(TenantRepository[Bundle]):
    """The scope's enterprise's bundles."""

    model = Bundle


def lays_of(session: Session, scope: Scope, order_id: int) -> Sequence[Lay]:
    """Return an order's lays by number (404 for another enterprise's order)."""
    order = OrderRepository(session, scope).get(order_id)
    stmt = LayRepository(session, scope).select().where(Lay.order_id == order.id)
    return session.scalars(stmt.order_by(Lay.lay_no)).all()


def bundles_of(
    session: Session, scope: Scope, order_id: int, lay_id: int | None = None
) -> Sequence[Bundle]:
    """Return an order's bundles by number, or one lay's."""
    order = OrderRepository(session, scope).get(order_id)
    stmt = BundleRepository(session, scope).select().where(Bundle.order_id == order.id)
    if lay_id is not None:
        stmt = stmt.where(Bundle.lay_id == lay_id)
    return session.scalars(stmt.order_by(Bundle.number)).all()


def _style(session: Session, order: ProductionOrder) -> Style:
    style = session.get(Style, order.style_id)
    assert style is not None  # the composite foreign key keeps it
    return style


def lay_problems(data: LayIn, colours: Sequence[str], sizes: Sequence[str]) -> list[FieldProblem]:
    """Return every bad field of a lay against the order's colours and the style's sizes."""
    found: list[FieldProblem] = []
    if data.colour not in colours:
        found.append(
            FieldProblem(
                "colour", "%(colour)s is not a colour of this order", {"colour": data.colour}
            )
        )
    if not 1 <= data.plies <= MAX_PLIES:
        found.append(FieldProblem("plies", "a whole number from 1 to %(max)s", {"max": MAX_PLIES}))
    for size, ratio in data.ratios.items():
        where = f"ratios.{size}"
        if size not in sizes:
            found.append(
                FieldProblem(where, "%(size)s is not a size of this style", {"size": size})
            )
        elif not 0 <= ratio <= MAX_MARKER:
            found.append(
                FieldProblem(where, "a whole number from 0 to %(max)s", {"max": MAX_MARKER})
            )
    marker = sum(r for r in data.ratios.values() if r > 0)
    if not found and not 1 <= marker <= MAX_MARKER:
        found.append(
            FieldProblem("ratios", "the marker holds 1 to %(max)s garments", {"max": MAX_MARKER})
        )
    return found


def snapshot(lay: Lay) -> dict[str, Any]:
    """Return a lay's fields as the audit trail records them."""
    return {
        "order_id": lay.order_id,
        "lay_no": lay.lay_no,
        "colour": lay.colour,
        "plies": lay.plies,
        "ratios": dict(lay.ratios),
        "status": lay.status,
    }


def _checked(session: Session, order: ProductionOrder, data: LayIn) -> dict[str, int]:
    style = _style(session, order)
    raise_problems(lay_problems(data, list(order.quantities), style.sizes))
    return {size: int(data.ratios[size]) for size in style.sizes if data.ratios.get(size, 0) > 0}


def _next_lay_no(session: Session, scope: Scope, order_id: int) -> int:
    stmt = select(func.max(Lay.lay_no)).where(Lay.order_id == order_id, Lay.org_id == scope.org_id)
    return int(session.scalar(stmt) or 0) + 1


def _add(
    session: Session,
    scope: Scope,
    order: ProductionOrder,
    colour: str,
    plies: int,
    ratios: dict[str, int],
) -> Lay:
    lay = Lay(
        org_id=scope.org_id,
        order_id=order.id,
        lay_no=_next_lay_no(session, scope, order.id),
        colour=colour,
        plies=plies,
        ratios=ratios,
        status="planned",
    )
    session.add(lay)
    session.flush()
    record_scoped(session, scope, "shopfloor.lay.created", "lay", lay.id, after=snapshot(lay))
    return lay


def add_lay(session: Session, scope: Scope, order_id: int, data: LayIn) -> Lay:
    """Add a lay to an order by hand."""
    order = OrderRepository(session, scope).get(order_id)
    ratios = _checked(session, order, data)
    return _add(session, scope, order, data.colour, data.plies, ratios)


def _planned(session: Session, scope: Scope, lay_id: int) -> Lay:
    lay = LayRepository(session, scope).get(lay_id)
    if lay.status != "planned":
        raise Conflict("lay %(no)s is cut already", params={"no": lay.lay_no})
    return lay


def update_lay(session: Session, scope: Scope, lay_id: int, data: LayIn) -> Lay:
    """Replace a planned lay's colour, plies and marker; a cut lay answers 409."""
    lay = _planned(session, scope, lay_id)
    order = OrderRepository(session, scope).get(lay.order_id)
    ratios = _checked(session, order, data)
    before = snapshot(lay)
    lay.colour, lay.plies, lay.ratios = data.colour, data.plies, ratios
    after = snapshot(lay)
    if after != before:
        session.flush()
        record_scoped(
            session, scope, "shopfloor.lay.updated", "lay", lay.id, before=before, after=after
        )
    return lay


def delete_lay(session: Session, scope: Scope, lay_id: int) -> None:
    """Delete a planned lay; a cut lay answers 409."""
    lay = _planned(session, scope, lay_id)
    before = snapshot(lay)
    LayRepository(session, scope).delete(lay)
    record_scoped(session, scope, "shopfloor.lay.deleted", "lay", lay_id, before=before)


def remaining(
    ordered: Mapping[str, Mapping[str, int]], lays: Sequence[Lay]
) -> dict[str, dict[str, int]]:
    """Return what the cut lays leave of the ordered pieces (never below zero)."""
    cut = maths.coverage([maths.PlannedLay(x.colour, x.plies, dict(x.ratios)) for x in lays])
    return {
        colour: {size: max(0, qty - cut.get(colour, {}).get(size, 0)) for size, qty in row.items()}
        for colour, row in ordered.items()
    }


def plan_problems(data: PlanIn) -> list[FieldProblem]:
    """Return every bad limit of a plan request."""
    found: list[FieldProblem] = []
    if not 1 <= data.max_plies <= MAX_PLIES:
        found.append(
            FieldProblem("max_plies", "a whole number from 1 to %(max)s", {"max": MAX_PLIES})
        )
    if not 1 <= data.max_marker <= MAX_MARKER:
        found.append(
            FieldProblem("max_marker", "a whole number from 1 to %(max)s", {"max": MAX_MARKER})
        )
    if not 1 <= data.min_plies <= max(1, min(data.max_plies, MAX_PLIES)):
        found.append(FieldProblem("min_plies", "from 1 to the maximum plies"))
    return found


def suggest(session: Session, scope: Scope, order_id: int, data: PlanIn) -> list[maths.PlannedLay]:
    """Return the lays the engine suggests for what the cut lays have not covered yet."""
    raise_problems(plan_problems(data))
    order = OrderRepository(session, scope).get(order_id)
    cut = [lay for lay in lays_of(session, scope, order.id) if lay.status == "cut"]
    try:
        return maths.plan_order(
            remaining(order.quantities, cut),
            max_plies=data.max_plies,
            max_marker=data.max_marker,
            min_plies=data.min_plies,
        )
    except maths.PlanTooLong:
        raise_problems(
            [
                FieldProblem(
                    "max_plies", "these limits need more than %(n)s lays", {"n": maths.MAX_LAYS}
                )
            ]
        )
        raise  # unreachable: raise_problems raised


def apply_plan(session: Session, scope: Scope, order_id: int, data: PlanIn) -> Sequence[Lay]:
    """Replace the order's planned (uncut) lays with the suggested ones."""
    planned = suggest(session, scope, order_id, data)
    order = OrderRepository(session, scope).get(order_id)
    for lay in lays_of(session, scope, order.id):
        if lay.status == "planned":
            delete_lay(session, scope, lay.id)
    session.flush()
    for suggested in planned:
        _add(session, scope, order, suggested.colour, suggested.plies, dict(suggested.ratios))
    return lays_of(session, scope, order.id)


def _lock_numbers(session: Session, scope: Scope) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # two cuts at once must not both take max+1; SQLite's IMMEDIATE transactions serialise
        session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, :org)"),
            {"ns": _BUNDLE_LOCK, "org": scope.org_id},
        )


def cut_lay(session: Session, scope: Scope, lay_id: int, bundle_size: int) -> Sequence[Bundle]:
    """Cut a planned lay into bundles numbered on from the enterprise's last bundle."""
    if not 1 <= bundle_size <= MAX_BUNDLE:
        raise_problems(
            [FieldProblem("bundle_size", "a whole number from 1 to %(max)s", {"max": MAX_BUNDLE})]
        )
    lay = _planned(session, scope, lay_id)
    order = OrderRepository(session, scope).get(lay.order_id)
    _lock_numbers(session, scope)
    last = session.scalar(select(func.max(Bundle.number)).where(Bundle.org_id == scope.org_id))
    number = int(last or 0)
    made: list[Bundle] = []
    for piece in maths.bundles_of(lay.plies, lay.ratios, bundle_size):
        number += 1
        made.append(
            Bundle(
                org_id=scope.org_id,
                number=number,
                order_id=order.id,
                lay_id=lay.id,
                colour=lay.colour,
                size=piece.size,
                qty=piece.qty,
                ply_from=piece.ply_from,
                ply_to=piece.ply_to,
            )
        )
    session.add_all(made)
    before = snapshot(lay)
    lay.status, lay.cut_at = "cut", utcnow()
    if order.status == "open":
        order.status = "cutting"
    session.flush()
    record_scoped(
        session,
        scope,
        "shopfloor.lay.cut",
        "lay",
        lay.id,
        before=before,
        after={
            **snapshot(lay),
            "bundle_size": bundle_size,
            "bundles": [made[0].number, made[-1].number] if made else [],
            "order_status": order.status,
        },
    )
    return made


def matrix(session: Session, scope: Scope, order_id: int) -> dict[str, dict[str, dict[str, int]]]:
    """Return per colour and size the ordered, planned and cut pieces of an order."""
    order = OrderRepository(session, scope).get(order_id)
    lays = lays_of(session, scope, order.id)
    planned = maths.coverage([maths.PlannedLay(x.colour, x.plies, dict(x.ratios)) for x in lays])
    stmt = (
        select(Bundle.colour, Bundle.size, func.sum(Bundle.qty))
        .where(Bundle.org_id == scope.org_id, Bundle.order_id == order.id)
        .group_by(Bundle.colour, Bundle.size)
    )
    cut: dict[str, dict[str, int]] = {}
    for colour, size, qty in session.execute(stmt):
        cut.setdefault(colour, {})[size] = int(qty or 0)
    style = _style(session, order)
    colours = [c for c in style.colours if c in order.quantities or c in planned or c in cut]
    return {
        colour: {
            size: {
                "ordered": order.quantities.get(colour, {}).get(size, 0),
                "planned": planned.get(colour, {}).get(size, 0),
                "cut": cut.get(colour, {}).get(size, 0),
            }
            for size in style.sizes
        }
        for colour in colours
    }
