"""The industry brain's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.brain.permissions import (
    CAPACITY_READ,
    CONSENT_READ,
    INDEX_READ,
    PERMISSIONS,
)

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.brain.api import router
    from loom.modules.brain.pages import pages

    return AppSpec(
        slug="brain",
        name="Industry brain",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Consented sharing, industry indices, free capacity and order match-making",
        dependencies=("programme",),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        nav=(
            NavItem("Data sharing", "/apps/brain/sharing", CONSENT_READ),
            NavItem("Industry indices", "/apps/brain/indices", INDEX_READ),
            NavItem("Capacity map", "/apps/brain/capacity", CAPACITY_READ),
        ),
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.brain.models",
        org_kinds=frozenset({OrgKind.BUREAU, OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
