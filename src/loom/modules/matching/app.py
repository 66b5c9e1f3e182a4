"""The order match-making module's manifest: the workflow on top of the brain's consent."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.matching.permissions import ORDER_READ, PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.matching.api import router
    from loom.modules.matching.pages import pages

    return AppSpec(
        slug="matching",
        name="Order match-making",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Chain leaders post orders; the brain ranks factories; factories accept",
        dependencies=("brain", "shopfloor"),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        nav=(NavItem("Order match-making", "/apps/matching/", ORDER_READ),),
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.matching.models",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
