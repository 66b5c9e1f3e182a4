"""A style's bill of materials (BOM): fabric and trim consumption per size, and requirements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.engine import material_requirements
from loom.modules.masterdata.models import BomLine, Style
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.styles import StyleRepository

KINDS = ("fabric", "trim")
UNITS = ("m", "cm", "yard", "kg", "g", "piece", "pair", "set", "cone", "roll")
MAX_LINES = 500
MAX_CONSUMPTION = Decimal("99999.9999")  # per piece: a typo guard, not a business rule
STEP = Decimal("0.0001")
MAX_PIECES = 10_000_000


@dataclass(frozen=True)
class LineIn:
    """One material of a BOM as a user enters it; consumption per size of one piece."""

    material_code: str
    material_name: str
    kind: str
    unit: str
    consumption: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirement:
    """The total consumption of one material for an order's quantities."""

    material_code: str
    material_name: str
    kind: str
    unit: str
    quantity: Decimal


class BomRepository(TenantRepository[BomLine]):
    """The scope's enterprise's BOM lines."""

    model = BomLine


def lines_of(session: Session, scope: Scope, style_id: int) -> Sequence[BomLine]:
    """Return a style's BOM in the order it was set (404 for another enterprise's style)."""
    style = StyleRepository(session, scope).get(style_id)
    stmt = BomRepository(session, scope).select().where(BomLine.style_id == style.id)
    return session.scalars(stmt.order_by(BomLine.id)).all()


def _consumption_problems(
    where: str, values: Mapping[str, Decimal], sizes: Sequence[str]
) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    for size in sizes:
        if size not in values:
            found.append(FieldProblem(f"{where}.{size}", "a consumption is required for this size"))
    for size, value in values.items():
        here = f"{where}.{size}"
        if size not in sizes:
            found.append(FieldProblem(here, "%(size)s is not a size of this style", {"size": size}))
        elif not value.is_finite() or not Decimal(0) <= value <= MAX_CONSUMPTION:
            found.append(FieldProblem(here, "a consumption from 0 to 99999.9999"))
        elif value != value.quantize(STEP):
            found.append(FieldProblem(here, "at most four decimals"))
    return found


def bom_problems(lines: Sequence[LineIn], sizes: Sequence[str]) -> list[FieldProblem]:
    """Return every bad field of a BOM, named with its line index; ``sizes`` are the style's."""
    found: list[FieldProblem] = []
    if len(lines) > MAX_LINES:
        found.append(FieldProblem("lines", "at most %(n)s entries", {"n": MAX_LINES}))
    seen: set[str] = set()
    for index, line in enumerate(lines):
        where = f"lines[{index}]"
        code = line.material_code.strip()
        found += text_problems(f"{where}.material_code", line.material_code, 40, required=True)
        if code and code in seen:
            found.append(
                FieldProblem(f"{where}.material_code", "%(value)s is listed twice", {"value": code})
            )
        seen.add(code)
        found += text_problems(f"{where}.material_name", line.material_name, 200, required=True)
        if line.kind not in KINDS:
            found.append(
                FieldProblem(f"{where}.kind", "one of %(kinds)s", {"kinds": ", ".join(KINDS)})
            )
        if line.unit not in UNITS:
            found.append(
                FieldProblem(f"{where}.unit", "one of %(kinds)s", {"kinds": ", ".join(UNITS)})
            )
        found += _consumption_problems(f"{where}.consumption", line.consumption, sizes)
    return found


def _snap(lines: Sequence[BomLine]) -> list[dict[str, Any]]:
    return [
        {
            "material_code": line.material_code,
            "material_name": line.material_name,
            "kind": line.kind,
            "unit": line.unit,
            "consumption": dict(line.consumption),
        }
        for line in lines
    ]


def set_bom(
    session: Session, scope: Scope, style_id: int, lines: Sequence[LineIn]
) -> Sequence[BomLine]:
    """Replace a style's whole BOM with ``lines``; every bad field answers 422 at once."""
    style = StyleRepository(session, scope).get(style_id)
    before = _snap(lines_of(session, scope, style.id))
    raise_problems(bom_problems(lines, style.sizes))
    # the unique (style, material) key forbids swapping codes in place: clear, then write anew
    session.execute(
        sql_delete(BomLine).where(BomLine.style_id == style.id, BomLine.org_id == scope.org_id)
    )
    for line in lines:
        session.add(
            BomLine(
                org_id=scope.org_id,
                style_id=style.id,
                material_code=line.material_code.strip(),
                material_name=line.material_name.strip(),
                kind=line.kind,
                unit=line.unit,
                # in the style's size order, four decimals, so equal BOMs are stored equally
                consumption={s: f"{line.consumption[s]:.4f}" for s in style.sizes},
            )
        )
    session.flush()
    stored = lines_of(session, scope, style.id)
    after = _snap(stored)
    if after != before:
        record_scoped(
            session, scope, "masterdata.bom.set", "style", style.id, before=before, after=after
        )
    return stored


def quantity_problems(
    style: Style, quantities: Mapping[str, Mapping[str, int]], lines: Sequence[BomLine]
) -> list[FieldProblem]:
    """Return every bad entry of an order's colour × size quantities for ``style``."""
    found: list[FieldProblem] = []
    for colour, per_size in quantities.items():
        if colour not in style.colours:
            found.append(
                FieldProblem(
                    f"quantities.{colour}",
                    "%(colour)s is not a colour of this style",
                    {"colour": colour},
                )
            )
            continue
        for size, qty in per_size.items():
            here = f"quantities.{colour}.{size}"
            if size not in style.sizes:
                found.append(
                    FieldProblem(here, "%(size)s is not a size of this style", {"size": size})
                )
            elif not 0 <= qty <= MAX_PIECES:
                found.append(
                    FieldProblem(here, "a number of pieces from 0 to %(n)s", {"n": MAX_PIECES})
                )
            elif qty and (gaps := [b.material_code for b in lines if size not in b.consumption]):
                # the style gained this size after its BOM was set
                found.append(
                    FieldProblem(
                        here,
                        "the BOM has no consumption for this size of %(materials)s",
                        {"materials": ", ".join(gaps)},
                    )
                )
    return found


def requirements(
    session: Session, scope: Scope, style_id: int, quantities: Mapping[str, Mapping[str, int]]
) -> list[Requirement]:
    """Return the total consumption per material of the style's BOM for an order's quantities."""
    style = StyleRepository(session, scope).get(style_id)
    lines = lines_of(session, scope, style.id)
    raise_problems(quantity_problems(style, quantities, lines))
    totals = material_requirements(
        ((b.material_code, {s: Decimal(v) for s, v in b.consumption.items()}) for b in lines),
        quantities,
    )
    return [
        Requirement(b.material_code, b.material_name, b.kind, b.unit, totals[b.material_code])
        for b in lines
    ]
