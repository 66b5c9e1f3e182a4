"""The post-an-order form: typed text to the service's input, naming each bad field."""

from __future__ import annotations

from datetime import date

from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.matching.service.orders import OrderIn

FIELDS = (
    "category",
    "quantity",
    "due_date",
    "max_dhu_pct",
    "sam_minutes",
    "style_name",
    "description",
    "quantities",
)


def _number(values: dict[str, str], name: str, problems: list[FieldProblem]) -> float | None:
    text = values.get(name, "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(FieldProblem(name, "a number is expected here"))
        return None


def _matrix(text: str, problems: list[FieldProblem]) -> dict[str, dict[str, int]]:
    """Read "colour, size, pieces" lines (commas or tabs, full-width commas too)."""
    matrix: dict[str, dict[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("，", ",").replace("\t", ",").strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].isdigit():
            problems.append(
                FieldProblem(
                    "quantities",
                    "line %(line)s: write colour, size, pieces",
                    {"line": number},
                )
            )
            continue
        row = matrix.setdefault(parts[0], {})
        row[parts[1]] = row.get(parts[1], 0) + int(parts[2])
    return matrix


def parse_order(values: dict[str, str]) -> tuple[OrderIn | None, list[FieldProblem]]:
    """Return the order typed in the form, or the problems of its fields."""
    problems: list[FieldProblem] = []
    quantity = _number(values, "quantity", problems)
    if quantity is None and not problems:
        problems.append(FieldProblem("quantity", "must not be empty"))
    elif quantity is not None and quantity != int(quantity):
        problems.append(FieldProblem("quantity", "a whole number is expected here"))
    try:
        due = date.fromisoformat(values.get("due_date", "").strip())
    except ValueError:
        problems.append(FieldProblem("due_date", "a date as YYYY-MM-DD"))
        due = None
    dhu = _number(values, "max_dhu_pct", problems)
    if dhu is None and not any(p.field == "max_dhu_pct" for p in problems):
        problems.append(FieldProblem("max_dhu_pct", "must not be empty"))
    sam = _number(values, "sam_minutes", problems)
    matrix = _matrix(values.get("quantities", ""), problems)
    if problems or quantity is None or due is None or dhu is None:
        return None, problems
    return (
        OrderIn(
            category=values.get("category", ""),
            quantity=int(quantity),
            due_date=due,
            max_dhu_pct=dhu,
            sam_minutes=sam,
            style_name=values.get("style_name", ""),
            description=values.get("description", ""),
            quantities=matrix,
        ),
        problems,
    )
