"""Equipment management's manifest: a built-in N app registered through ``loom.apps``."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.apps.equipment.permissions import MAINTENANCE_READ, OEE_READ, PERMISSIONS
from loom.kernel.plugins.spec import AppSpec, NavItem
from loom.kernel.tenancy.models import OrgKind

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.apps.equipment.api import router
    from loom.apps.equipment.cli import cli
    from loom.apps.equipment.pages import pages
    from loom.apps.equipment.service.evidence import equipment_evidence
    from loom.apps.equipment.service.telemetry import telemetry_channel
    from loom.apps.equipment.service.telemetry_settings import EquipmentSettings

    return AppSpec(
        slug="equipment",
        name="Equipment management",
        version=__version__,
        requires_core=f"=={__version__}",
        description="Machine maintenance, spot inspections, telemetry and OEE",
        dependencies=("masterdata", "shopfloor"),
        permissions=PERMISSIONS,
        api_router=router,
        pages_router=pages,
        templates_dir=HERE / "templates",
        translations_dir=HERE / "translations",
        migrations_dir=HERE / "migrations",
        models_module="loom.apps.equipment.models",
        settings_model=EquipmentSettings,
        ingest_channels=(telemetry_channel(),),
        nav=(
            NavItem("Maintenance", "/apps/equipment/maintenance", MAINTENANCE_READ),
            NavItem("OEE", "/apps/equipment/oee", OEE_READ),
        ),
        evidence_providers=(equipment_evidence,),
        cli=cli,
        cli_name="equipment",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
