"""Resolve a batch's references (bundles, operations, routings, rates, operators) in a few queries.

Ingest and the quarantine's fix both decide an event's fate here: applied with the figures valid
at scan time, or quarantined with a reason.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ARRAY, any_, bindparam, cast, select, text
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from loom.modules.masterdata.models import (
    LinePlan,
    Operation,
    Operator,
    PieceRate,
    RoutingStep,
    Workstation,
)
from loom.modules.shopfloor.engine.events import ParsedEvent, local_day
from loom.modules.shopfloor.models import NO_LINE, Bundle, ProductionOrder, ScanEvent
from loom.modules.shopfloor.service import refcache
from loom.modules.shopfloor.service.eventstore import applied_done, pg_array
from loom.modules.shopfloor.service.refcache import RefData

E4 = Decimal(10_000)
T = TypeVar("T")
#: a published line plan: its style and the (operation, operator id) pairs it assigns
Plan = tuple[int, frozenset[tuple[int, int]]]


def e4(value: Decimal) -> int:
    """Return a 4-decimal amount as an integer of ten-thousandths."""
    return int(value * E4)


@dataclass(frozen=True, slots=True)
class BundleRef:
    """A bundle with what an event needs of its order."""

    id: int
    order_id: int
    qty: int
    style_id: int
    line_id: int | None


class Verdict(NamedTuple):
    """How one event resolves: the ids and figures to store, and a reason when quarantined."""

    # a named tuple: built once per event, and cheaper to build than a frozen dataclass; the
    # fields after ``detail`` are in the event table's column order (eventstore stores them so)

    reason: str
    detail: str
    operator_id: int | None = None
    bundle_id: int | None = None
    order_id: int | None = None
    line_id: int = NO_LINE
    sam_e4: int = 0
    rate_e4: int = 0
    final: bool = False


@dataclass
class Context:
    """The reference data one batch needs, loaded once."""

    # a number or badge mapped to None was looked up and does not exist
    bundles: dict[int, BundleRef | None] = field(default_factory=dict)
    routings: dict[int, dict[int, int]] = field(default_factory=dict)  # style → {op: seq}
    finals: dict[int, int] = field(default_factory=dict)  # style → final operation
    sams: dict[int, int] = field(default_factory=dict)  # operation → SAM e4
    rates: dict[int, tuple[list[date], list[int]]] = field(default_factory=dict)
    operators: dict[str, tuple[int, int | None] | None] = field(default_factory=dict)
    done: set[tuple[int, int]] = field(default_factory=set)  # (bundle id, operation) applied
    # device → (style, {(operation, operator id)}) of the current plan of the device's line
    plans: dict[str, Plan] = field(default_factory=dict)
    _rate_cache: dict[tuple[int, int], int | None] = field(default_factory=dict, repr=False)

    def rate_at(self, operation_id: int, ts: datetime) -> int | None:
        """Return the piece rate (e4) valid at scan time ``ts`` (cached per operation and hour)."""
        slot = (operation_id, int(ts.timestamp()) // 3600)
        if slot in self._rate_cache:
            return self._rate_cache[slot]
        found = self._rate_cache[slot] = self.rate_on(operation_id, local_day(ts))
        return found

    def rate_on(self, operation_id: int, day: date) -> int | None:
        """Return the piece rate (e4) valid on ``day``, or None before the first version."""
        found = self.rates.get(operation_id)
        if found is None:
            return None
        days, rates = found
        index = bisect.bisect_right(days, day) - 1
        return rates[index] if index >= 0 else None


def _chunks(values: Collection[T], size: int = 500) -> Iterable[list[T]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _among(column: Any, name: str, postgresql: bool) -> Any:
    """Return ``column IN :name``; on PostgreSQL ``= ANY(CAST(:name AS T[]))``, one parameter."""
    # on PostgreSQL the parameter is an array literal (eventstore.pg_array), which the server
    # parses faster than psycopg adapts a list, and the statement's text (so its prepared plan)
    # stays the same whatever the batch's count of bundles or badges. The parameter must have no
    # type: typed (VARCHAR), the cast was evaluated once per row scanned (50 ms a batch).
    if postgresql:
        return column == any_(cast(bindparam(name, type_=NullType()), ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _lists(values: Collection[Any], postgresql: bool) -> Iterable[Any]:
    """Yield the values as one array literal on PostgreSQL, in lists of 500 on SQLite."""
    if postgresql:
        return [pg_array(values)] if values else []
    return _chunks(values)


# Table columns, not ORM attributes: these statements run for every ingest batch, and the ORM's
# per-statement work (entity loading, the session's tenant criteria) cost more than the queries.
# Every statement names the organisation itself.
_B = Bundle.__table__.c
_PO = ProductionOrder.__table__.c
_RS = RoutingStep.__table__.c
_OP = Operation.__table__.c
_PR = PieceRate.__table__.c
_PE = Operator.__table__.c
_EV = ScanEvent.__table__.c
_WS = Workstation.__table__.c
_LP = LinePlan.__table__.c


_STATEMENTS: dict[bool, dict[str, Any]] = {}
#: One index probe per bundle number and per bundle's order, whatever the planner believes
#: (LIMIT keeps each subquery from being pulled up into a join reading all the organisation's
#: rows). As a join, before the first ANALYZE of a freshly cut order's bundles, PostgreSQL read
#: every bundle of the organisation for each batch (7 of its 35 CPU-ms per 1,000 events).
_PG_BUNDLES = text(
    "SELECT b.number, b.id, b.order_id, b.qty, o.style_id, o.line_id "
    "FROM unnest(CAST(:numbers AS INTEGER[])) AS w(n) "
    "CROSS JOIN LATERAL (SELECT id, number, order_id, qty FROM shopfloor_bundle "
    "WHERE org_id = :org AND number = w.n LIMIT 1) AS b "
    "CROSS JOIN LATERAL (SELECT style_id, line_id FROM shopfloor_order "
    "WHERE id = b.order_id AND org_id = :org LIMIT 1) AS o"
)


def _statements(postgresql: bool) -> dict[str, Any]:
    """Return load_context's statements, built once per dialect with every value a parameter."""
    # Built per batch, these statements cost more in SQLAlchemy's construction and coercion of
    # the IN lists than the database took to answer them; the organisation is a parameter too.
    found = _STATEMENTS.get(postgresql)
    if found is not None:
        return found
    org: Any = bindparam("org")
    ops: Any = bindparam("ops", expanding=True)
    found = _STATEMENTS[postgresql] = {
        "bundles": _PG_BUNDLES
        if postgresql
        else select(_B.number, _B.id, _B.order_id, _B.qty, _PO.style_id, _PO.line_id)
        .select_from(Bundle.__table__.join(ProductionOrder.__table__, _PO.id == _B.order_id))
        .where(_B.org_id == org, _among(_B.number, "numbers", postgresql)),
        "routings": select(_RS.style_id, _RS.operation_id, _RS.seq).where(
            _RS.org_id == org, _RS.style_id.in_(bindparam("styles", expanding=True))
        ),
        "sams": select(_OP.id, _OP.sam).where(_OP.org_id == org, _OP.id.in_(ops)),
        "rates": select(_PR.operation_id, _PR.effective_from, _PR.rate).where(
            _PR.org_id == org, _PR.operation_id.in_(ops)
        ),
        "operators": select(_PE.id, _PE.code, _PE.line_id).where(
            _PE.org_id == org, _among(_PE.code, "codes", postgresql)
        ),
        "plans": select(_WS.device_code, _LP.line_id, _LP.style_id, _LP.tasks)
        .select_from(
            Workstation.__table__.join(
                LinePlan.__table__,
                (_LP.line_id == _WS.line_id) & (_LP.org_id == _WS.org_id),
            )
        )
        .where(
            _WS.org_id == org,
            _among(_WS.device_code, "devices", postgresql),
            _LP.current.is_(True),
        ),
    }
    return found


def load_context(
    session: Session,
    org_id: int,
    bundle_nos: Collection[int],
    operator_codes: Collection[str],
    done_pairs: Collection[tuple[int, int]] = (),
    devices: Collection[str] = (),
) -> Context:
    """Return everything the events of one batch refer to, reading only what is not held yet.

    The reference data comes from this process's copy (``refcache``), valid while the
    organisation's token stands still; what the copy lacks is read in a handful of indexed
    queries and added to it. ``done_pairs`` are the (bundle number, operation) of the batch's
    "done" scans: the context learns which of them are already applied (always read, since
    events are no reference data). ``devices`` are the batch's scanners: the context learns the
    published line plan each one's line runs (none given: no plan is checked).
    """
    refs = refcache.current(session, org_id)
    run = session.connection().execute
    pg = session.get_bind().dialect.name == "postgresql"
    sql = _statements(pg)
    bundles = refs.bundles
    _load_plans(run, sql["plans"], refs, org_id, devices, pg)
    # Other threads read this copy while it is filled: an entry (a miss included) is published
    # only once read, and a routing only after its operations' SAM and rates.
    wanted = [n for n in bundle_nos if n not in bundles]
    found: dict[int, BundleRef] = {}
    for chunk in _lists(wanted, pg):
        for number, bundle_id, order_id, qty, style_id, line_id in run(
            sql["bundles"], {"org": org_id, "numbers": chunk}
        ):
            found[number] = BundleRef(bundle_id, order_id, qty, style_id, line_id)
    for number in wanted:
        bundles[number] = found.get(number)
    styles = {b.style_id for n in bundle_nos if (b := bundles.get(n)) is not None}
    _load_routings(run, sql, refs, org_id, {s for s in styles if s not in refs.routings})
    codes = [c for c in operator_codes if c not in refs.operators]
    people: dict[str, tuple[int, int | None]] = {}
    for chunk in _lists(codes, pg):
        for op_id, code, line_id in run(sql["operators"], {"org": org_id, "codes": chunk}):
            people[code] = (op_id, line_id)
    for code in codes:
        refs.operators[code] = people.get(code)
    ctx = Context(
        bundles=bundles,
        routings=refs.routings,
        finals=refs.finals,
        sams=refs.sams,
        rates=refs.rates,
        operators=refs.operators,
        plans={d: p for d in devices if (p := refs.plans.get(d)) is not None},
        _rate_cache=refs.rate_slots,
    )
    # only the "done" pairs this batch scans: most are new, so this returns almost nothing
    pairs = [
        (bundle.id, operation)
        for number, operation in done_pairs
        if (bundle := bundles.get(number)) is not None
    ]
    if pairs:
        ctx.done.update(applied_done(session, org_id, pairs))
    return ctx


def _load_routings(
    run: Any, sql: dict[str, Any], refs: RefData, org_id: int, styles: set[int]
) -> None:
    """Read the routings of styles not held yet, then the SAM and rates of their operations."""
    if not styles:
        return
    routings: dict[int, dict[int, int]] = {style_id: {} for style_id in styles}
    for style_id, operation_id, seq in run(
        sql["routings"], {"org": org_id, "styles": list(styles)}
    ):
        routings[style_id][operation_id] = seq
    operations = list({op for ops in routings.values() for op in ops} - refs.operations)
    if operations:
        for op_id, sam in run(sql["sams"], {"org": org_id, "ops": operations}):
            refs.sams[op_id] = e4(Decimal(sam))
        by_op: defaultdict[int, list[tuple[date, int]]] = defaultdict(list)
        for op_id, since, rate in run(sql["rates"], {"org": org_id, "ops": operations}):
            by_op[op_id].append((since, e4(Decimal(rate))))
        for op_id, versions in by_op.items():
            versions.sort()
            refs.rates[op_id] = ([d for d, _ in versions], [r for _, r in versions])
        refs.operations.update(operations)
    for style_id, ops in routings.items():
        if ops:
            refs.finals[style_id] = max(ops, key=ops.__getitem__)
        refs.routings[style_id] = ops


def _load_plans(
    run: Any, statement: Any, refs: RefData, org_id: int, devices: Collection[str], pg: bool
) -> None:
    """Learn the current line plan of each device not held yet: one join (per 500 on SQLite)."""
    wanted = [d for d in devices if d not in refs.plans]
    by_line: dict[int, Plan] = {}
    found: dict[str, Plan] = {}
    for chunk in _lists(wanted, pg):
        for device, line_id, style_id, tasks in run(statement, {"org": org_id, "devices": chunk}):
            plan = by_line.get(line_id)
            if plan is None:
                # tasks arrive as parsed JSON; a line's plan is shared by all its devices
                pairs = frozenset((t["operation_id"], t["operator_id"]) for t in tasks)
                plan = by_line[line_id] = (style_id, pairs)
            found[device] = plan
    for device in wanted:
        refs.plans[device] = found.get(device)


def judge(ctx: Context, event: ParsedEvent) -> Verdict:
    """Decide one event: applied (reason "") with its figures, or a quarantine reason."""
    bundle = ctx.bundles.get(event.bundle)
    operator = ctx.operators.get(event.operator)
    operation = event.operation
    if (
        bundle is None
        or operator is None
        or event.qty > bundle.qty
        or operation not in ctx.routings.get(bundle.style_id, ())
    ):
        return _refusal(ctx, event)
    rate = 0
    if event.kind == "done":
        found = ctx.rate_at(operation, event.ts)
        pair = (bundle.id, operation)
        if found is None or pair in ctx.done:
            return _refusal(ctx, event)
        rate = found
    if ctx.plans:
        plan = ctx.plans.get(event.device)
        if (
            plan is not None
            and plan[0] == bundle.style_id
            and (operation, operator[0]) not in plan[1]
        ):
            return _not_assigned(event, bundle, operator)
    if event.kind == "done":
        ctx.done.add((bundle.id, operation))
    return Verdict(
        "",
        "",
        operator[0],
        bundle.id,
        bundle.order_id,
        operator[1] or bundle.line_id or NO_LINE,
        ctx.sams[operation],
        rate,
        ctx.finals.get(bundle.style_id) == operation,
    )


def _not_assigned(
    event: ParsedEvent, bundle: BundleRef, operator: tuple[int, int | None]
) -> Verdict:
    """Return the quarantine verdict of a scan the line's published plan gives someone else."""
    detail = (
        f"operator {event.operator} is not assigned to operation {event.operation} "
        "in the published line plan"
    )
    return Verdict(
        "not_assigned",
        detail,
        operator_id=operator[0],
        bundle_id=bundle.id,
        order_id=bundle.order_id,
        line_id=operator[1] or bundle.line_id or NO_LINE,
    )


def _refusal(ctx: Context, event: ParsedEvent) -> Verdict:
    """Return the quarantine verdict of an event that cannot be applied, first reason first."""
    bundle = ctx.bundles.get(event.bundle)
    operator = ctx.operators.get(event.operator)
    operator_id = operator[0] if operator else None
    if bundle is None:
        return Verdict("unknown_bundle", f"no bundle number {event.bundle}", operator_id)
    base: dict[str, Any] = {
        "operator_id": operator_id,
        "bundle_id": bundle.id,
        "order_id": bundle.order_id,
    }
    if event.operation not in ctx.routings.get(bundle.style_id, {}):
        # a genuine coupon names a routing operation: the routing changed, or it never existed
        detail = f"operation {event.operation} is not in the routing of the bundle's style"
        return Verdict("unknown_operation", detail, **base)
    if operator is None:
        return Verdict("unknown_operator", f"no operator with badge {event.operator}", **base)
    if event.qty > bundle.qty:
        detail = f"qty {event.qty} exceeds the bundle's {bundle.qty} pieces"
        return Verdict("qty_exceeds_bundle", detail, **base)
    line_id = operator[1] or bundle.line_id or NO_LINE
    if ctx.rate_at(event.operation, event.ts) is None:
        day = local_day(event.ts).isoformat()
        detail = f"operation {event.operation} has no piece rate valid on {day}"
        return Verdict("no_rate", detail, **base, line_id=line_id)
    detail = f"operation {event.operation} of bundle {event.bundle} is already done"
    return Verdict("done_twice", detail, **base, line_id=line_id)
