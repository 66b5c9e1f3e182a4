"""The programme console's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.programme.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.programme.api import router
    from loom.modules.programme.cli import cli
    from loom.modules.programme.pages import pages
    from loom.modules.programme.service.planning import product_options

    return AppSpec(
        slug="programme",
        name="Programme console",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Pilots, contractors, N+X lists, projects to acceptance, targets",
        dependencies=("assessment",),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        nav=(
            NavItem("Programme", "/apps/programme/", "programme.kpi.read"),
            NavItem("Projects", "/apps/programme/projects", "programme.project.read"),
            NavItem("Products", "/apps/programme/products", "programme.product.read"),
            NavItem("Showcase cases", "/apps/programme/showcase", "programme.showcase.read"),
        ),
        cli=cli,
        cli_name="programme",
        upgrade_options=(product_options,),
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.programme.models",
        org_kinds=frozenset(OrgKind),
        builtin=True,
    )


spec = _spec()
