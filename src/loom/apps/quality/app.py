"""Quality management's manifest: a built-in N app registered through ``loom.apps``."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.apps.quality.permissions import INSPECTION_READ, PERMISSIONS
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.apps.quality.api import router
    from loom.apps.quality.cli import cli
    from loom.apps.quality.pages import pages
    from loom.apps.quality.service.brain_metrics import BRAIN_METRICS
    from loom.apps.quality.service.evidence import quality_evidence

    return AppSpec(
        slug="quality",
        name="Quality management",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Inline and end-of-line inspection, DHU, AQL final inspection (GB/T 2828.1)",
        dependencies=("masterdata", "shopfloor"),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        migrations_dir=HERE / "migrations",
        models_module="loom.apps.quality.models",
        nav=(
            NavItem("Quality inspections", "/apps/quality/inspections", INSPECTION_READ),
            NavItem("AQL final inspection", "/apps/quality/aql", INSPECTION_READ),
            NavItem("DHU and defect Pareto", "/apps/quality/figures", INSPECTION_READ),
        ),
        evidence_providers=(quality_evidence,),
        brain_metrics=BRAIN_METRICS,
        cli=cli,
        cli_name="quality",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
