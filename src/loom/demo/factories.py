"""Six garment factories' master data and orders, entered through the masterdata services.

Each factory gets its garments' operations, piece rates and routings, its sewing lines and
operators with skills, and orders cut into bundles: enough cut work for the 90 simulated days
and a few days more for the live simulator, plus uncut orders due in the coming weeks for the
scheduling app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from loom.demo.styles import GARMENTS, RATE_PER_MINUTE, Garment
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service import lines, operations, operators, rates, routing, styles
from loom.modules.shopfloor.service import cutting, orders

#: slug, code prefix, sewing lines, operators per line, the garments its lines sew in turn
FLOORS = (
    ("yongfeng-apparel", "YF", 2, 9, ("TEE", "POLO", "SHORTS")),
    ("siming-knitwear", "SM", 2, 8, ("TEE", "HOODIE")),
    ("lihua-garments", "LH", 1, 9, ("TROUSERS", "SHORTS")),
    ("dongqian-sports", "DQ", 1, 8, ("SHORTS", "JACKET")),
    ("gulin-fashion", "GL", 1, 8, ("POLO", "TROUSERS")),
    ("tianyi-sportswear", "TY", 1, 8, ("JACKET", "HOODIE")),
)
#: the simulated history, how many days of cut work each line has beyond it (for the live
#: simulator), and how many days ahead of sewing an order is cut
HISTORY_DAYS = 90
SPARE_DAYS = 6
CUT_AHEAD = 2
#: days of a line's work in one order, and uncut orders waiting per line
ORDER_DAYS = 16
FUTURE_ORDERS = 2
#: the floor's pace as a share of standard minutes: the simulated lines lose about a quarter
#: of their time to waiting for bundles between unbalanced operations (measured on the seed)
PACE = 0.75
#: an operator's working minutes in a day (the simulated floor's calendar)
WORK_MINUTES = 480
#: a lay is this many bundles high; a marker holds at most this many garments
PLIES = 5
MARKER = 16
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
GIVEN = (
    "秀英", "桂英", "丽", "敏", "静", "燕", "芳", "娟", "霞", "红梅", "海燕", "春燕", "玉兰",
    "建军", "伟", "勇", "军", "磊", "晓明", "丽华", "美玲", "小红", "翠花", "金凤", "雪梅",
)  # fmt: skip
#: size curve of an order (share of the pieces per size, in the garment's size order)
CURVES = {4: (15, 35, 30, 20), 5: (10, 25, 30, 20, 15)}


@dataclass(frozen=True)
class LayPlan:
    """A planned lay waiting for the cutting room: its line, bundle size and standard minutes."""

    line_id: int
    lay_id: int
    size: int
    minutes: float


@dataclass
class Floor:
    """What one factory was given: its garments' style ids, lines, orders by line."""

    slug: str
    prefix: str
    garments: tuple[str, ...]
    styles: dict[str, int] = field(default_factory=dict)  # garment key → style id
    lines: list[int] = field(default_factory=list)
    orders: dict[int, list[int]] = field(default_factory=dict)  # line id → order ids in turn
    future: list[int] = field(default_factory=list)  # uncut orders
    #: lays still to cut, in the order the lines sew them
    to_cut: list[LayPlan] = field(default_factory=list)


def bundle_size(garment: Garment) -> int:
    """Return the pieces a bundle of the garment holds (woven pieces are heavier: smaller)."""
    return 24 if garment.category.startswith("woven") else 36


def daily_pieces(garment: Garment, staff: int) -> int:
    """Return the garments a line of ``staff`` operators sews in a 480-minute day."""
    return int(staff * WORK_MINUTES * PACE / garment.sam)


def seed_master_data(
    session: Session, scope: Scope, slug: str, prefix: str, line_count: int, staff: int
) -> Floor:
    """Create the factory's styles with operations, rates and routings, lines and operators."""
    rng = random.Random(f"{slug}-staff")
    garments = next(f[4] for f in FLOORS if f[0] == slug)
    floor = Floor(slug, prefix, garments)
    machines: set[str] = set()
    for key in garments:
        garment = GARMENTS[key]
        style = styles.create(
            session,
            scope,
            styles.StyleIn(
                code=f"{prefix}-{key}",
                name=garment.name,
                season="2026SS",
                customer=garment.customer,
                colours=list(garment.colours),
                sizes=list(garment.sizes),
            ),
        )
        floor.styles[key] = style.id
        ids: list[int] = []
        for code, name, sam, machine, grade, _preds in garment.steps:
            op = operations.create(
                session,
                scope,
                operations.OperationIn(
                    f"{prefix}-{key}-{code}", name, Decimal(sam), machine, grade
                ),
            )
            rate = (Decimal(sam) * Decimal(str(RATE_PER_MINUTE))).quantize(Decimal("0.01"))
            rates.add_version(session, scope, op.id, rates.RateIn(rate, date(2025, 1, 1)))
            ids.append(op.id)
            machines.add(machine)
        steps = [
            routing.StepIn(ids[n], [ids[p] for p in step[5]])
            for n, step in enumerate(garment.steps)
        ]
        routing.set_routing(session, scope, style.id, steps)
    for n in range(1, line_count + 1):
        line = lines.create(
            session, scope, lines.ProductionLineIn(code=f"{prefix}-L{n}", name=f"缝制{n}线")
        )
        floor.lines.append(line.id)
        for i in range(1, staff + 1):
            name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
            person = operators.create(
                session,
                scope,
                operators.OperatorIn(
                    code=f"{prefix}{n}{i:02d}",
                    name=name,
                    line_id=line.id,
                    hired_on=date(2018 + rng.randint(0, 7), rng.randint(1, 12), 1),
                ),
            )
            skills = [
                operators.SkillIn(kind, rng.randint(2, 4), rng.randint(85, 110))
                for kind in sorted(machines)
            ]
            operators.set_skills(session, scope, person.id, skills)
    return floor


def _quantities(garment: Garment, pieces: int, step: int) -> dict[str, dict[str, int]]:
    """Split ``pieces`` over colours and the size curve, each cell a multiple of ``step``."""
    curve = CURVES[len(garment.sizes)]
    per_colour = pieces / len(garment.colours)
    return {
        colour: {
            size: max(step, round(per_colour * share / 100 / step) * step)
            for size, share in zip(garment.sizes, curve, strict=True)
        }
        for colour in garment.colours
    }


def seed_orders(session: Session, scope: Scope, floor: Floor, staff: int, first_day: date) -> None:
    """Create each line's orders in turn, planned back to back from ``first_day``.

    The lays of the orders that start within the history and its spare days are planned now
    and cut later, a little ahead of the line (``cut_due``); the other orders wait unplanned
    for the scheduling app.
    """
    # a margin beyond the spare days: a line faster than the estimate takes more orders
    horizon = HISTORY_DAYS + SPARE_DAYS + ORDER_DAYS
    for n, line_id in enumerate(floor.lines):
        floor.orders[line_id] = []
        day, turn = 0, n
        while True:
            key = floor.garments[turn % len(floor.garments)]
            garment = GARMENTS[key]
            days = ORDER_DAYS + (turn % 3) - 1
            pieces = daily_pieces(garment, staff) * days
            size = bundle_size(garment)
            # most orders are due three days after their planned finish, a few are tight
            due = first_day + timedelta(days=day + days + (3 if turn % 4 else -1))
            order = orders.create(
                session,
                scope,
                orders.OrderIn(
                    number=f"{floor.prefix}-PO{len(floor.orders[line_id]) + 1:02d}-L{n + 1}",
                    style_id=floor.styles[key],
                    due_date=due,
                    quantities=_quantities(garment, pieces, size * PLIES),
                    customer=garment.customer,
                    line_id=line_id,
                ),
            )
            floor.orders[line_id].append(order.id)
            if day < horizon:
                # the lays are planned at once and cut one after another as the line needs them
                cutting.apply_plan(session, scope, order.id, cutting.PlanIn(size * PLIES, MARKER))
                lays = cutting.lays_of(session, scope, order.id)
                for lay in lays:
                    minutes = lay.plies * sum(lay.ratios.values()) * garment.sam
                    floor.to_cut.append(LayPlan(line_id, lay.id, size, minutes))
            else:
                floor.future.append(order.id)
                if len(floor.future) >= FUTURE_ORDERS * (n + 1):
                    break
            day += days
            turn += 1


def cut_ahead(
    session: Session, scope: Scope, floor: Floor, backlog: dict[int, float], target: float
) -> int:
    """Cut each line's next lays until its uncut-free backlog holds ``target`` standard minutes.

    A cutting room works just ahead of the lines: enough cut work that nobody waits, not so
    much that every order is on the floor at once. Return the bundles cut.
    """
    made = 0
    waiting: list[LayPlan] = []
    for plan in floor.to_cut:
        if backlog.get(plan.line_id, 0.0) >= target:
            waiting.append(plan)
            continue
        made += len(cutting.cut_lay(session, scope, plan.lay_id, plan.size))
        backlog[plan.line_id] = backlog.get(plan.line_id, 0.0) + plan.minutes
    floor.to_cut = waiting
    return made
