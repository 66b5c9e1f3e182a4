"""Line scheduling's manifest: a built-in N app registered through ``loom.apps``."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.apps.scheduling.permissions import PERMISSIONS
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.apps.scheduling.api import router
    from loom.apps.scheduling.cli import cli
    from loom.apps.scheduling.pages import pages
    from loom.apps.scheduling.service.brain_metrics import BRAIN_METRICS

    return AppSpec(
        slug="scheduling",
        name="Production scheduling",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Finite-capacity plans of orders on lines, minimising weighted tardiness",
        dependencies=("masterdata", "shopfloor"),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        static_dir=HERE / "static",
        translations_dir=HERE / "translations",
        migrations_dir=HERE / "migrations",
        models_module="loom.apps.scheduling.models",
        nav=(
            NavItem("Production plan", "/apps/scheduling/plans", "scheduling.plan.read"),
            NavItem("Time and action", "/apps/scheduling/milestones", "scheduling.milestone.read"),
        ),
        brain_metrics=BRAIN_METRICS,
        cli=cli,
        cli_name="schedule",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
