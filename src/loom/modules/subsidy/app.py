"""The subsidy module's manifest: registered through ``loom.apps`` like any other app."""

from __future__ import annotations

from loom import __version__
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.models import OrgKind
from loom.modules.subsidy.permissions import PERMISSIONS


def _spec() -> AppSpec:
    from loom.modules.subsidy.cli import cli

    return AppSpec(
        slug="subsidy",
        name="Subsidies and awards",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Subsidy and award rules of the action plan (四(四)): quote amounts and splits",
        permissions=PERMISSIONS,
        cli=cli,
        cli_name="subsidy",
        org_kinds=frozenset({OrgKind.BUREAU, OrgKind.ENTERPRISE, OrgKind.CONTRACTOR}),
        builtin=True,
    )


spec = _spec()
