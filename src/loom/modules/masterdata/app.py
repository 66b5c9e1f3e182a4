"""The garment master data's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind
from loom.modules.masterdata.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.modules.masterdata.api import router
    from loom.modules.masterdata.pages import pages

    return AppSpec(
        slug="masterdata",
        name="Garment master data",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Styles, operation library with SAM, versioned piece rates, routings",
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        nav=tuple(
            NavItem(label, f"/apps/masterdata/{path}", f"masterdata.{part}.read")
            for label, path, part in (
                ("Styles", "styles", "style"),
                ("Operation library", "operations", "operation"),
                ("Production lines", "lines", "line"),
                ("Operators and skills", "operators", "operator"),
                ("Machine ledger", "machines", "machine"),
            )
        ),
        translations_dir=HERE / "translations",
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.masterdata.models",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
