"""Energy management's manifest: a built-in N app registered through ``loom.apps``."""

from __future__ import annotations

from pathlib import Path

from loom import __version__
from loom.apps.energy.permissions import PERMISSIONS, READ, READING_WRITE
from loom.apps.energy.service.evidence import r1_evidence, scene_evidence
from loom.apps.energy.service.ingest import CHANNEL, MAX_RECORDS, handle_meter_records
from loom.apps.energy.settings import EnergySettings
from loom.kernel.plugins.spec import AppSpec, IngestChannel, NavItem
from loom.kernel.tenancy.models import OrgKind

HERE = Path(__file__).parent


def _spec() -> AppSpec:
    from loom.apps.energy.api import router
    from loom.apps.energy.cli import cli
    from loom.apps.energy.pages import pages
    from loom.apps.energy.service.brain_metrics import BRAIN_METRICS

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
        translations_dir=HERE / "translations",
        migrations_dir=HERE / "migrations",
        models_module="loom.apps.energy.models",
        settings_model=EnergySettings,
        nav=(NavItem("Energy management", "/apps/energy/dashboard", READ),),
        evidence_providers=(scene_evidence, r1_evidence),
        ingest_channels=(IngestChannel(CHANNEL, handle_meter_records, READING_WRITE, MAX_RECORDS),),
        brain_metrics=BRAIN_METRICS,
        cli=cli,
        cli_name="energy",
        org_kinds=frozenset({OrgKind.ENTERPRISE}),
        builtin=True,
    )


spec = _spec()
