"""Line balancing's manifest: a built-in N app registered through ``loom.apps``."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.apps.balancing.permissions import PERMISSIONS, READ
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.apps.balancing.api import router
    from loom.apps.balancing.cli import cli
    from loom.apps.balancing.pages import pages

    return AppSpec(
        slug="balancing",
        name="Line balancing",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Assign a style's operations to a line's operators, solved to optimality",
        dependencies=("masterdata",),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        migrations_dir=HERE / "migrations",
        models_module="loom.apps.balancing.models",
        nav=(NavItem("Line balancing", "/apps/balancing/plans", READ),),
        cli=cli,
        cli_name="balance",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
