"""The subsidy module's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.subsidy.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.subsidy.api import router
    from loom.modules.subsidy.cli import cli
    from loom.modules.subsidy.pages import pages

    return AppSpec(
        slug="subsidy",
        name="Subsidies and awards",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Subsidy and award rules of the action plan (四(四)): quotes, ledger, payments",
        dependencies=("programme",),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        nav=(NavItem("Subsidies", "/apps/subsidy/", "subsidy.award.read"),),
        cli=cli,
        cli_name="subsidy",
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.subsidy.models",
        org_kinds=frozenset({OrgKind.BUREAU, OrgKind.ENTERPRISE, OrgKind.CONTRACTOR}),
        builtin=True,
    )


spec = _spec()
