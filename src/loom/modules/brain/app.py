"""The industry brain's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import OrgKind
from loom.modules.brain.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    return AppSpec(
        slug="brain",
        name="Industry brain",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Consented sharing, industry indices, free capacity and order match-making",
        dependencies=("programme",),
        permissions=PERMISSIONS,
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.brain.models",
        org_kinds=frozenset({OrgKind.BUREAU, OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
