"""What the N+X pages share: permissions, labels of stages and lists, sector and errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request

from loom.modules.programme.engine import Plan
from loom.modules.programme.pages.common import BASE, SECTOR_LABELS, msgid, translator
from loom.modules.programme.service import needs as svc
from loom.modules.programme.service.catalogue import FieldProblem

READ = "programme.needs.read"
MANAGE = "programme.needs.manage"
HOME = f"{BASE}/needs"

#: English names of the plan's business stages; Chinese pages show the plan's own words
STAGE_LABELS = {
    "rd_design": msgid("R&D and design"),
    "manufacturing": msgid("Manufacturing"),
    "operations": msgid("Operations management"),
    "purchasing_sales": msgid("Purchasing and sales"),
    "chain_collaboration": msgid("Industry-chain collaboration"),
}
LIST_LABELS = {
    "problems": msgid("Problem list"),
    "needs": msgid("Need list"),
    "scenarios": msgid("Scenario list"),
}
TAB_LABEL = msgid("N+X lists")


def labels(request: Request, plan: Plan) -> dict[str, Any]:
    """Return the translated names of the plan's sectors and stages and of the three lists."""
    gettext = translator(request)
    sectors = [
        (s.id, gettext(SECTOR_LABELS[s.id]) if s.id in SECTOR_LABELS else s.name)
        for s in plan.sectors
    ]
    stages = [
        (s.id, gettext(STAGE_LABELS[s.id]) if s.id in STAGE_LABELS else s.title)
        for s in plan.business_stages
    ]
    return {
        "sectors": sectors,
        "sector_names": dict(sectors),
        "stages": stages,
        "stage_names": dict(stages),
        "list_names": {kind: gettext(label) for kind, label in LIST_LABELS.items()},
    }


def chosen_sector(plan: Plan, sector: str) -> str:
    """Return the sector asked for (the plan's first by default); 422 for an unknown one."""
    return svc.check_sector(plan, sector or plan.sectors[0].id)


def translated(gettext: Callable[..., str], problems: Iterable[FieldProblem]) -> dict[str, str]:
    """Return the first problem of each field, in the page's language."""
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.field, gettext(problem.template, **problem.params))
    return errors
