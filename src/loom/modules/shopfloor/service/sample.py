"""A small garment factory written straight through the ORM: tests, benchmarks and the demo use it.

One T-shirt style with a nine-step routing (two branches joining), piece rates since 2020, a
number of sewing lines with operators, and one order per line cut into bundles. The SAM values
are made up for the sample, not third-party time data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import (
    Operation,
    Operator,
    OperatorSkill,
    PieceRate,
    ProductionLine,
    RoutingStep,
    Style,
)
from loom.modules.shopfloor.models import Bundle, Lay, ProductionOrder

# code, name, SAM (min), machine type, grade, rate (CNY), predecessors by index
_OPERATIONS = (
    ("T10", "合肩", "0.45", "overlock", 2, "0.08", ()),
    ("T20", "上领", "0.90", "overlock", 3, "0.16", (0,)),
    ("T30", "压领线", "0.60", "coverstitch", 3, "0.11", (1,)),
    ("T40", "上袖", "1.10", "overlock", 3, "0.20", (0,)),
    ("T50", "合侧缝", "0.95", "overlock", 2, "0.17", (3,)),
    ("T60", "袖口卷边", "0.70", "coverstitch", 2, "0.12", (4,)),
    ("T70", "下摆卷边", "0.65", "coverstitch", 2, "0.12", (2, 5)),
    ("T80", "钉商标", "0.35", "lockstitch", 1, "0.06", (6,)),
    ("T90", "检验修线", "0.50", "manual", 1, "0.09", (7,)),
)
SIZES = ("S", "M", "L", "XL")
COLOURS = ("白", "黑")


@dataclass
class SampleFactory:
    """Ids of what was seeded."""

    org_id: int
    style_id: int
    operations: list[int] = field(default_factory=list)  # routing order
    lines: list[int] = field(default_factory=list)
    operators: dict[int, list[str]] = field(default_factory=dict)  # line → badge codes
    orders: list[int] = field(default_factory=list)
    bundles: list[tuple[int, int, int]] = field(default_factory=list)  # (number, qty, order)

    @property
    def final_operation(self) -> int:
        """Return the routing's last operation (a finished garment)."""
        return self.operations[-1]


def seed_sample_factory(
    session: Session,
    scope: Scope,
    *,
    prefix: str = "S",
    lines: int = 1,
    operators_per_line: int = 12,
    bundles_per_order: int = 40,
    bundle_qty: int = 20,
    due: date = date(2030, 12, 31),
) -> SampleFactory:
    """Seed the sample factory for the scope's enterprise and return its ids (flushes only)."""
    org = scope.org_id
    style = Style(
        org_id=org,
        code=f"{prefix}-TEE",
        name="圆领T恤",
        colours=list(COLOURS),
        sizes=list(SIZES),
    )
    session.add(style)
    session.flush()
    sample = SampleFactory(org_id=org, style_id=style.id)
    operations = [
        Operation(
            org_id=org,
            code=f"{prefix}-{code}",
            name=name,
            sam=Decimal(sam),
            machine_type=machine,
            skill_grade=grade,
        )
        for code, name, sam, machine, grade, _, _ in _OPERATIONS
    ]
    session.add_all(operations)
    session.flush()
    sample.operations = [op.id for op in operations]
    for seq, (spec, op) in enumerate(zip(_OPERATIONS, operations, strict=True), start=1):
        session.add(
            PieceRate(
                org_id=org,
                operation_id=op.id,
                effective_from=date(2020, 1, 1),
                rate=Decimal(spec[5]),
            )
        )
        preds = [operations[i].id for i in spec[6]]
        session.add(
            RoutingStep(
                org_id=org, style_id=style.id, operation_id=op.id, seq=seq * 10, predecessors=preds
            )
        )
    next_no = (session.scalar(select(func.max(Bundle.number)).where(Bundle.org_id == org)) or 0) + 1
    for n in range(1, lines + 1):
        line = ProductionLine(org_id=org, code=f"{prefix}-L{n}", name=f"缝制{n}线")
        session.add(line)
        session.flush()
        sample.lines.append(line.id)
        codes = [f"{prefix}{n}{i:02d}" for i in range(1, operators_per_line + 1)]
        sample.operators[line.id] = codes
        for code in codes:
            person = Operator(org_id=org, code=code, name=f"工{code}", line_id=line.id)
            session.add(person)
            session.flush()
            for machine in ("overlock", "coverstitch", "lockstitch", "manual"):
                session.add(
                    OperatorSkill(org_id=org, operator_id=person.id, machine_type=machine, grade=3)
                )
        per_cell = bundles_per_order * bundle_qty // (len(COLOURS) * len(SIZES)) or bundle_qty
        quantities = {c: dict.fromkeys(SIZES, per_cell) for c in COLOURS}
        order = ProductionOrder(
            org_id=org,
            number=f"{prefix}-PO{n:03d}",
            customer="Sample Retail",
            style_id=style.id,
            line_id=line.id,
            due_date=due,
            quantities=quantities,
            total_qty=per_cell * len(COLOURS) * len(SIZES),
            status="cutting",
        )
        session.add(order)
        session.flush()
        sample.orders.append(order.id)
        # one lay per colour, its plies cut into bundles of ``bundle_qty`` pieces by size
        lays = []
        for number, colour in enumerate(COLOURS, start=1):
            lays.append(
                Lay(
                    org_id=org,
                    order_id=order.id,
                    lay_no=number,
                    colour=colour,
                    plies=bundle_qty,
                    ratios=dict.fromkeys(SIZES, 1),
                    status="cut",
                )
            )
        session.add_all(lays)
        session.flush()
        rows = []
        for b in range(bundles_per_order):
            lay = lays[b % len(COLOURS)]
            colour = lay.colour
            size = SIZES[(b // len(COLOURS)) % len(SIZES)]
            rows.append(
                Bundle(
                    org_id=org,
                    number=next_no,
                    order_id=order.id,
                    lay_id=lay.id,
                    colour=colour,
                    size=size,
                    qty=bundle_qty,
                    ply_from=1,
                    ply_to=bundle_qty,
                )
            )
            sample.bundles.append((next_no, bundle_qty, order.id))
            next_no += 1
        session.add_all(rows)
    session.flush()
    return sample
