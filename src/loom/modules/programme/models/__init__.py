"""Tables of the programme console; one file per part, all imported here for Alembic."""

from loom.modules.programme.models.catalogue import Product, ProductMark
from loom.modules.programme.models.plan import ListVersion, Need, PlanVersion, Scenario
from loom.modules.programme.models.projects import (
    Acceptance,
    InvestmentLine,
    OnsiteResult,
    Project,
    Transition,
)
from loom.modules.programme.models.registry import Enterprise
from loom.modules.programme.models.selection import (
    ContractorApplication,
    ContractorScore,
    PilotApplication,
    PilotScore,
)
from loom.modules.programme.models.showcase import Showcase

__all__ = [
    "Acceptance",
    "ContractorApplication",
    "ContractorScore",
    "Enterprise",
    "InvestmentLine",
    "ListVersion",
    "Need",
    "OnsiteResult",
    "PilotApplication",
    "PilotScore",
    "PlanVersion",
    "Product",
    "ProductMark",
    "Project",
    "Scenario",
    "Showcase",
    "Transition",
]
