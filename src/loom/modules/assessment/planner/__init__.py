"""Exact planner: the cheapest catalogue upgrades that lift an enterprise to a digital level.

Typical use::

    from loom.modules.assessment.engine import score
    from loom.modules.assessment.planner import Baseline, load_catalogue, plan_report, plan_to_level

    baseline = Baseline.from_result(score(answers))
    plan = plan_to_level(baseline, load_catalogue(path, baseline.rules), target_level=2)
    print(plan.reachable, plan.cost_fen, plan_report(plan))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loom.modules.assessment.planner.catalogue import (
        Catalogue,
        InvalidCatalogue,
        Upgrade,
        load_catalogue,
        parse_catalogue,
    )
    from loom.modules.assessment.planner.explain import (
        critical_path_weeks,
        explain_option,
        explain_unreachable,
    )
    from loom.modules.assessment.planner.report import (
        TIE_BREAK,
        budget_report,
        plan_report,
    )
    from loom.modules.assessment.planner.samples import (
        random_baselines,
        random_catalogue,
        random_catalogue_document,
        random_selection,
        sample_answers,
        sample_catalogue,
        sample_catalogue_document,
    )
    from loom.modules.assessment.planner.solve import (
        BudgetPlan,
        NotProved,
        Plan,
        Proof,
        plan_many,
        plan_to_level,
        plan_within_budget,
    )
    from loom.modules.assessment.planner.state import (
        Baseline,
        Gap,
        State,
        apply,
        gap,
    )
    from loom.modules.assessment.planner.subsidy import (
        SubsidyRule,
        cny,
        to_fen,
    )

# the solver (OR-Tools) takes most of a second to import, so names load on first use and
# `loom --help` or registering the `plan` command does not pay for it
_WHERE = {
    "Baseline": "state",
    "BudgetPlan": "solve",
    "Catalogue": "catalogue",
    "Gap": "state",
    "InvalidCatalogue": "catalogue",
    "NotProved": "solve",
    "Plan": "solve",
    "Proof": "solve",
    "State": "state",
    "SubsidyRule": "subsidy",
    "TIE_BREAK": "report",
    "Upgrade": "catalogue",
    "apply": "state",
    "budget_report": "report",
    "cny": "subsidy",
    "critical_path_weeks": "explain",
    "explain_option": "explain",
    "explain_unreachable": "explain",
    "gap": "state",
    "load_catalogue": "catalogue",
    "parse_catalogue": "catalogue",
    "plan_many": "solve",
    "plan_report": "report",
    "plan_to_level": "solve",
    "plan_within_budget": "solve",
    "random_baselines": "samples",
    "random_catalogue": "samples",
    "random_catalogue_document": "samples",
    "random_selection": "samples",
    "sample_answers": "samples",
    "sample_catalogue": "samples",
    "sample_catalogue_document": "samples",
    "to_fen": "subsidy",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "TIE_BREAK",
    "Baseline",
    "BudgetPlan",
    "Catalogue",
    "Gap",
    "InvalidCatalogue",
    "NotProved",
    "Plan",
    "Proof",
    "State",
    "SubsidyRule",
    "Upgrade",
    "apply",
    "budget_report",
    "cny",
    "critical_path_weeks",
    "explain_option",
    "explain_unreachable",
    "gap",
    "load_catalogue",
    "parse_catalogue",
    "plan_many",
    "plan_report",
    "plan_to_level",
    "plan_within_budget",
    "random_baselines",
    "random_catalogue",
    "random_catalogue_document",
    "random_selection",
    "sample_answers",
    "sample_catalogue",
    "sample_catalogue_document",
    "to_fen",
]
