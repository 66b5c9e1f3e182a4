"""The programme console's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import OrgKind
from loom.modules.programme.permissions import PERMISSIONS

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    return AppSpec(
        slug="programme",
        name="Programme console",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Pilots, contractors, N+X lists, projects to acceptance, targets",
        dependencies=("assessment",),
        permissions=PERMISSIONS,
        migrations_dir=HERE / "migrations",
        models_module="loom.modules.programme.models",
        org_kinds=frozenset(OrgKind),
        builtin=True,
    )


spec = _spec()
