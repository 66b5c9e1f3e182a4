"""Energy management's manifest: a built-in N app registered through ``loom.apps``."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.apps.energy.permissions import PERMISSIONS
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import OrgKind

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.apps.energy.api import router
    from loom.apps.energy.cli import cli
    from loom.apps.energy.pages import pages

    return AppSpec(
        slug="energy",
        name="Energy management",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Meters, readings, consumption per piece and per revenue, standard coal (tce)",
        dependencies=("masterdata", "shopfloor"),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        cli=cli,
        cli_name="energy",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
